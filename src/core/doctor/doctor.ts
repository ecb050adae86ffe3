/**
 * Runs the setup doctor's checks in order and reports each as it finishes. Everything the checks need from outside
 * (the token, Graph, Resource Manager, the manifest, the reachability probe) comes in as data or functions, so the
 * command line and VS Code feed the same checks from their own sources.
 */
import type { GraphClient } from '../graph/graphClient';
import { botChannelCheck, type ArmAccess, type AzureBotRef } from './botChannelCheck';
import { callbackPublicCheck, callbackReachableCheck, type ReachabilityProbe } from './callbackChecks';
import { DOCTOR_CHECKS, type CheckResult, type DoctorReport } from './doctorModel';
import { manifestCheck, type ManifestSource } from './manifestCheck';
import { callingServiceCheck, clockCheck, PROBE_CALL_ID, type ProbeAnswer, type ProbeOutcome } from './serviceChecks';
import { claimsOf, consentCheck, rolesCheck, tenantCheck, tokenCheck, type BotNeeds, type TokenOutcome } from './tokenChecks';

export interface DoctorInput {
	readonly profileName: string;
	readonly clientId: string;
	/** The tenant the calls belong to: a GUID or a verified domain. */
	readonly tenantId: string;
	readonly callbackUrl?: string;
	/** A fresh app-only token; a failure's `message` and `explanation` (SignInError) become the token check's detail and fix. */
	getToken(): Promise<string>;
	/** GET of a call nobody has, answered as it is (any status). */
	probeGraph(): Promise<ProbeAnswer>;
	/** Resolves a tenant domain to its id (through the authority's OpenID configuration). */
	resolveTenantDomain?(domain: string): Promise<string | undefined>;
	readonly needs?: BotNeeds;
	readonly manifest?: ManifestSource | { readonly path?: string; readonly error: string };
	readonly azureBot?: AzureBotRef;
	readonly arm: ArmAccess | { readonly unavailable: string; readonly fix: string };
	readonly reachability?: ReachabilityProbe;
	/** Called as each check finishes (progress in a view). */
	onResult?(result: CheckResult): void;
}

function signInFailure(err: unknown): TokenOutcome {
	const e = err as { message?: unknown; nextStep?: unknown; explanation?: unknown };
	const message = typeof e?.message === 'string' ? e.message : String(err);
	const given = typeof e?.nextStep === 'string' ? e.nextStep : e?.explanation;
	const fix = typeof given === 'string' && given ? given : 'Check the tenant id, client id and secret or certificate.';
	return { error: { message, fix } };
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
	const startedAt = new Date().toISOString();
	const results: CheckResult[] = [];
	const add = (r: CheckResult) => {
		results.push(r);
		input.onResult?.(r);
	};

	let outcome: TokenOutcome;
	try {
		outcome = claimsOf(await input.getToken());
	} catch (err) {
		if (err instanceof Error && (err.name === 'AbortError' || err.name === 'UserCancelledError')) throw err;
		outcome = signInFailure(err);
	}
	const token = tokenCheck(outcome, input.clientId);
	add(token);
	const claims = token.state === 'pass' && 'claims' in outcome ? outcome.claims : undefined;
	add(consentCheck(claims));
	add(rolesCheck(claims, input.needs));
	add(await tenantCheck(claims, input.tenantId, input.resolveTenantDomain));

	let probe: ProbeOutcome | undefined;
	if (claims) {
		try {
			probe = { answer: await input.probeGraph() };
		} catch (err) {
			probe = { error: (err as Error).message };
		}
	}
	add(callingServiceCheck(probe));
	add(await botChannelCheck({ ref: input.azureBot, access: input.arm, clientId: input.clientId, callbackUrl: input.callbackUrl }));
	add(manifestCheck(input.manifest, input.clientId, input.needs?.video ?? false));
	const pub = callbackPublicCheck(input.callbackUrl);
	add(pub);
	add(await callbackReachableCheck(input.callbackUrl, input.reachability, pub));
	add(clockCheck(probe));

	const order = DOCTOR_CHECKS.map((c) => c.id);
	return { profileName: input.profileName, startedAt, results: [...results].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id)) };
}

/** The Graph probe through a profile's GraphClient (its token, its CA), timed for the clock check. */
export function graphProbe(client: GraphClient): () => Promise<ProbeAnswer> {
	return async () => {
		const sentAt = Date.now();
		const res = await client.request({ method: 'GET', path: `/communications/calls/${PROBE_CALL_ID}`, acceptAnyStatus: true, action: 'call.get' });
		return { status: res.status, headers: res.headers, body: res.body, sentAt, receivedAt: Date.now() };
	};
}
