import { doctorHint } from '../setup/failureChecks';

/**
 * Turns Entra ID (AADSTS) and calling-service errors into a plain sentence and the next step. Used by the token
 * provider and reusable by anything that shows a Graph error (see explainCallingCode).
 */

export interface Explanation {
	/** The code the explanation is for, e.g. "AADSTS7000215" or "7504"; undefined for transport errors. */
	readonly code?: string;
	/** What went wrong, in one plain sentence. */
	readonly message: string;
	/** What to do next. */
	readonly nextStep: string;
}

/** What the explanations may mention about the profile; nothing secret. */
export interface AuthErrorContext {
	readonly profileName?: string;
	readonly clientId?: string;
	readonly tenantId?: string;
	/** The authority URL, used to tell which host could not be reached. */
	readonly authority?: string;
	readonly isEmulator?: boolean;
	/** Certificate profiles: the SHA-1 thumbprint shown in the admin center. */
	readonly certificateThumbprint?: string;
}

const EDIT = 'run "Graph Calls: Edit Profile"';
const REGISTRATION = 'Entra admin center > Identity > Applications > App registrations';

type AadstsExplainer = (ctx: AuthErrorContext) => Omit<Explanation, 'code'>;

const AADSTS: Record<string, AadstsExplainer> = {
	'7000215': (c) => ({
		message: `Entra ID rejected the client secret${c.clientId ? ` of app ${c.clientId}` : ''}: it is not a valid secret for this app.`,
		nextStep: `Copy the secret's Value (not its Secret ID) from ${REGISTRATION} > your app > Certificates & secrets, or create a new secret, then ${EDIT} and replace the secret.`,
	}),
	'7000222': () => ({
		message: 'The client secret has expired.',
		nextStep: `Create a new client secret in ${REGISTRATION} > your app > Certificates & secrets, then ${EDIT} and store the new secret's Value.`,
	}),
	'700016': (c) => ({
		message: `Application ${c.clientId ?? '(client id)'} was not found in tenant ${c.tenantId ?? '(tenant)'}.`,
		nextStep: `Check the Application (client) ID and the tenant in the profile (${EDIT}). If the app is registered in another tenant, make it multi-tenant and have an administrator of this tenant grant consent to it.`,
	}),
	'700027': (c) => ({
		message: 'Entra ID rejected the certificate assertion: its signature does not match a certificate registered for the app.',
		nextStep: `Upload the certificate${c.certificateThumbprint ? ` (thumbprint ${c.certificateThumbprint})` : ''} to ${REGISTRATION} > your app > Certificates & secrets, or ${EDIT} and choose the PEM whose certificate is registered there.`,
	}),
	'90002': (c) => ({
		message: `Tenant ${c.tenantId ?? '(tenant)'} was not found.`,
		nextStep: `Check the Directory (tenant) ID and the cloud in the profile (${EDIT}): a tenant in a national cloud (US Government, China) is not found on the global authority, and the reverse.`,
	}),
};

const CALLING: Record<string, (ctx: AuthErrorContext) => Omit<Explanation, 'code'>> = {
	'7503': () => ({
		message: 'The calling service does not know this application as a calling bot (7503, application not registered).',
		nextStep: 'Create an Azure Bot resource with the same app id, enable its Microsoft Teams channel with Calling turned on and the calling webhook set to your callback URL, wait a few minutes, then retry.',
	}),
	'7504': () => ({
		message: 'The tenant has not granted this application the calling permissions the request needs (7504, insufficient enterprise tenant permissions).',
		nextStep: 'Run "Graph Calls: Check Permissions" to see which Calls.* application permissions are missing, add them in the app registration and have an administrator grant admin consent.',
	}),
	'7505': (c) => ({
		message: `The request was authorized for a different tenant than the one it names (7505, request authorization tenant mismatch).`,
		nextStep: `Use a profile for the tenant the call belongs to, and make the request body's tenantId match the token's tenant${c.tenantId ? ` (${c.tenantId})` : ''}.`,
	}),
};

/** Explains a calling-service error code (7503, 7504, 7505); undefined for codes it does not know. */
export function explainCallingCode(code: number | string, context: AuthErrorContext = {}): Explanation | undefined {
	const key = String(code).trim();
	const e = CALLING[key];
	return e ? { code: key, ...e(context) } : undefined;
}

/**
 * Finds a calling error code in a Graph error body (`error.code` or its message) and explains it.
 * Graph reports these as e.g. {"error":{"code":"7504","message":"Insufficient enterprise tenant permissions..."}}.
 */
export function explainGraphErrorBody(body: unknown, context: AuthErrorContext = {}): Explanation | undefined {
	const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
	if (!err) return undefined;
	const fromCode = explainCallingCode(String(err.code ?? ''), context);
	if (fromCode) return fromCode;
	const m = /\b(750[345])\b/.exec(String(err.message ?? ''));
	return m ? explainCallingCode(m[1], context) : undefined;
}

/** The AADSTS number in an error or message, e.g. "7000215". */
export function aadstsCodeOf(err: unknown): string | undefined {
	const e = err as { errorNo?: unknown; errorMessage?: unknown; message?: unknown } | undefined;
	const text = `${String(e?.errorMessage ?? '')} ${String(e?.message ?? err ?? '')}`;
	const m = /AADSTS(\d{5,7})/.exec(text);
	if (m) return m[1];
	if (typeof e?.errorNo === 'string' && /^\d{5,7}$/.test(e.errorNo)) return e.errorNo;
	return undefined;
}

const TLS_CODES = new Set([
	'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED',
]);

/** Walks `cause` chains (undici and msal nest the socket error) and returns the first Node error code. */
function systemCodeOf(err: unknown): string | undefined {
	let e: unknown = err;
	for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || TLS_CODES.has(code) || code.startsWith('UND_ERR'))) return code;
		e = (e as { cause?: unknown }).cause;
	}
	const m = /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED)\b/.exec(String((err as Error)?.message ?? err));
	return m?.[1];
}

function hostOf(authority: string | undefined): string {
	if (!authority) return 'the sign-in endpoint';
	try {
		return new URL(authority).host;
	} catch {
		return authority;
	}
}

/**
 * Explains a token request failure: AADSTS codes first, then transport problems. Always returns something;
 * unknown errors keep their first sentence and point at the log.
 */
export function explainAuthError(err: unknown, context: AuthErrorContext = {}): Explanation {
	const aad = aadstsCodeOf(err);
	if (aad) {
		const known = AADSTS[aad];
		if (known) return { code: `AADSTS${aad}`, ...known(context) };
		return {
			code: `AADSTS${aad}`,
			message: `Entra ID refused the token request (AADSTS${aad}).`,
			nextStep: `Look the code up at https://login.microsoftonline.com/error?code=${aad}, fix the app registration or the profile (${EDIT}), then run "Graph Calls: Test Sign-In".`,
		};
	}
	const host = hostOf(context.authority);
	const sys = systemCodeOf(err);
	if (sys && TLS_CODES.has(sys)) {
		return {
			code: sys,
			message: `The TLS certificate of ${host} is not trusted (${sys}).`,
			nextStep: context.isEmulator
				? 'The emulator\'s CA changed since the profile was saved: run "Graph Calls: Use Local Emulator" to restart it and refresh the Emulator profile.'
				: 'A proxy or firewall may be intercepting HTTPS: check its certificate with your network administrator.',
		};
	}
	if (sys === 'ECONNREFUSED' || sys === 'ECONNRESET' || sys === 'ENOTFOUND' || sys === 'EAI_AGAIN' || sys === 'ETIMEDOUT' || sys?.startsWith('UND_ERR')) {
		return {
			code: sys,
			message: `Could not reach ${host} (${sys}).`,
			nextStep: context.isEmulator
				? 'The local emulator is not running: run "Graph Calls: Use Local Emulator" to start it.'
				: 'Check your network connection and proxy, then run "Graph Calls: Test Sign-In" again.',
		};
	}
	const text = String((err as Error)?.message ?? err);
	if (/timed? ?out/i.test(text)) {
		return {
			message: `The sign-in request to ${host} timed out.`,
			nextStep: context.isEmulator ? 'Check that the emulator is running ("Graph Calls: Show Emulator Log").' : 'Check your network connection and proxy, then try again.',
		};
	}
	const first = text.split(/\r?\n/)[0].slice(0, 300);
	return { message: `Sign-in failed: ${first}`, nextStep: 'See the "Graph Calls" log for details, fix the profile, then run "Graph Calls: Test Sign-In".' };
}

/**
 * A failed token request, ready for the command wrapper: `message` + `explanation` (the ActionableError shape).
 * Carries no secret and no token.
 */
export class SignInError extends Error {
	readonly code?: string;
	/** The next step, then which setup doctor check looks at this. */
	readonly explanation: string;
	/** The next step alone (the doctor's own token check shows it as the fix). */
	readonly nextStep: string;
	/** The setup doctor check that covers sign-in; the command wrapper offers "Run Setup Doctor". */
	readonly doctorCheck = 'token';

	constructor(explanation: Explanation, profileName?: string) {
		super(profileName ? `Sign-in for profile "${profileName}" failed: ${explanation.message}` : explanation.message);
		this.name = 'SignInError';
		this.code = explanation.code;
		this.nextStep = explanation.nextStep;
		this.explanation = `${explanation.nextStep} ${doctorHint('token')}`;
	}
}
