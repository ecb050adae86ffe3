import type { ConfidentialClientApplication, Configuration, LogLevel } from '@azure/msal-node';
import { Disposable, toDisposable } from '../lifecycle';
import { CLOUDS } from './clouds';
import { authorityOf, type TenantProfile } from './tenantProfile';
import type { AccessToken, TokenProvider, TokenRequestOptions } from './tokenProvider';
import { redactSecrets, secretsOf, type ProfileCredential } from './credential';
import { parseCertificatePem } from './certificate';
import { explainAuthError, SignInError, type AuthErrorContext } from './authErrors';
import { UndiciNetworkModule } from './msalNetworkClient';

export type AuthLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';
export type AuthLog = (level: AuthLogLevel, message: string) => void;

export interface MsalTokenProviderOptions {
	readonly profile: TenantProfile;
	/** Resolves the secret part when a token is first needed; may ask the user. */
	readonly getCredential: () => Promise<ProfileCredential>;
	/** Receives msal's log (PII messages dropped, secrets redacted) and the provider's own lines. */
	readonly log?: AuthLog;
	readonly timeoutMs?: number;
}

let msalModule: typeof import('@azure/msal-node') | undefined;

/**
 * Loads msal-node on first use. esbuild bundles the literal require, but as a lazily evaluated module:
 * activation never pays for it (about 240 KB minified).
 */
function loadMsal(): typeof import('@azure/msal-node') {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	msalModule ??= require('@azure/msal-node') as typeof import('@azure/msal-node');
	return msalModule;
}

/** True once some profile has asked for a token; activation alone must leave it false. */
export function isMsalLoaded(): boolean {
	return msalModule !== undefined;
}

/**
 * The scope for app-only Graph tokens. The emulator issues tokens for the global Graph resource, like Entra does,
 * so its profiles use the cloud's Graph host, not the loopback one.
 */
export function graphScopeOf(profile: Pick<TenantProfile, 'cloud'>): string {
	return `${CLOUDS[profile.cloud].graphHost}/.default`;
}

/** msal-node treats tokens as expired this long before `expiresOn`; so does the fast path. */
const REFRESH_MARGIN_MS = 300_000;

interface Session {
	readonly app: ConfidentialClientApplication;
	readonly secrets: readonly string[];
}

/**
 * App-only tokens for one profile from an msal-node ConfidentialClientApplication, created on the first request
 * with its own undici network module and an in-memory cache (msal refreshes 5 minutes before expiry).
 */
export class MsalTokenProvider extends Disposable implements TokenProvider {
	private session: Promise<Session> | undefined;
	private inFlight: Promise<AccessToken> | undefined;
	private last: AccessToken | undefined;
	private network: UndiciNetworkModule | undefined;
	private readonly context: AuthErrorContext;

	constructor(private readonly options: MsalTokenProviderOptions) {
		super();
		const p = options.profile;
		this.context = {
			profileName: p.name,
			clientId: p.clientId,
			tenantId: p.tenantId,
			authority: authorityOf(p),
			isEmulator: !!p.emulator,
			// The admin center lists SHA-1 thumbprints: show that one when known.
			certificateThumbprint: p.certificateThumbprintSha1 ?? p.certificateThumbprint,
		};
		this._register(toDisposable(() => this.network?.dispose()));
	}

	async getToken(options: TokenRequestOptions = {}): Promise<AccessToken> {
		if (this.isDisposed) throw new Error(`The token provider for profile "${this.options.profile.name}" was closed because the profile changed: ask again.`);
		// msal's own cache lookup costs milliseconds per call; every Graph request asks, so keep the last token
		// until msal itself would refresh it (5 minutes before expiry).
		const last = this.last;
		if (!options.forceRefresh && last && last.expiresOn.getTime() - Date.now() > REFRESH_MARGIN_MS) return withSignal(Promise.resolve(last), options.signal);
		// Concurrent callers share one request; a forced refresh waits for it, then asks again.
		if (this.inFlight && !options.forceRefresh) return withSignal(this.inFlight, options.signal);
		const run = this.acquire(!!options.forceRefresh);
		this.inFlight = run;
		const clear = () => {
			if (this.inFlight === run) this.inFlight = undefined;
		};
		run.then(clear, clear);
		return withSignal(run, options.signal);
	}

	private async acquire(forceRefresh: boolean): Promise<AccessToken> {
		let secrets: readonly string[] = [];
		try {
			const session = await this.getSession();
			secrets = session.secrets;
			const result = await session.app.acquireTokenByClientCredential({ scopes: [graphScopeOf(this.options.profile)], skipCache: forceRefresh });
			if (!result?.accessToken) throw new Error('Entra ID answered without an access token.');
			this.last = { token: result.accessToken, expiresOn: result.expiresOn ?? new Date(Date.now() + 3_600_000) };
			return this.last;
		} catch (err) {
			// A session that failed to build (emulator down, bad PEM) must not stick: the next call starts over.
			if (!(await this.session?.catch(() => undefined))) this.session = undefined;
			// The user dismissed the secret prompt: not a sign-in failure, and the next request asks again.
			if (err instanceof Error && (err.name === 'UserCancelledError' || err.name === 'AbortError')) throw err;
			const explanation = explainAuthError(err, this.context);
			const safe = { ...explanation, message: redactSecrets(explanation.message, secrets) };
			this.log('warn', `Token request for profile "${this.options.profile.name}" failed: ${safe.code ?? 'error'}: ${safe.message}`);
			if (err instanceof SignInError) throw err;
			throw new SignInError(safe, this.options.profile.name);
		}
	}

	private getSession(): Promise<Session> {
		this.session ??= this.createSession();
		return this.session;
	}

	private async createSession(): Promise<Session> {
		const { profile } = this.options;
		const credential = await this.options.getCredential();
		const secrets = secretsOf(credential);
		const msal = loadMsal();
		this.network?.dispose();
		const network = (this.network = new UndiciNetworkModule({ caCertPem: profile.emulator?.caCertPem, timeoutMs: this.options.timeoutMs }));
		const authority = authorityOf(profile);

		const auth: Configuration['auth'] = { clientId: profile.clientId, authority };
		if (credential.kind === 'secret') {
			auth.clientSecret = credential.clientSecret;
		} else {
			let cert;
			try {
				cert = parseCertificatePem(credential.pem, `The certificate stored for profile "${profile.name}"`);
			} catch (err) {
				throw new SignInError({ message: (err as Error).message, nextStep: 'Run "Graph Calls: Edit Profile" and choose the certificate PEM again.' }, profile.name);
			}
			auth.clientCertificate = { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem, x5c: cert.certificatePem };
		}
		if (profile.emulator) {
			// A loopback authority is not a known Entra host: declare it and hand msal the OIDC document so it does
			// no instance discovery.
			const url = new URL(authority);
			auth.knownAuthorities = [url.host];
			const oidc = await network.sendGetRequestAsync<{ error_description?: string }>(`${authority}/v2.0/.well-known/openid-configuration`);
			if (oidc.status !== 200) {
				// Entra-shaped errors (AADSTS90002 for an unknown tenant) are explained like token errors.
				throw new Error(oidc.body?.error_description ?? `The OpenID configuration at ${authority} answered HTTP ${oidc.status}.`);
			}
			auth.authorityMetadata = JSON.stringify(oidc.body);
		}

		const log = (level: LogLevel, message: string, containsPii: boolean) => {
			if (containsPii) return;
			this.log(msalLevel(level), `msal: ${redactSecrets(message, secrets)}`);
		};
		const app = new msal.ConfidentialClientApplication({
			auth,
			system: {
				networkClient: network,
				loggerOptions: { loggerCallback: log, piiLoggingEnabled: false, logLevel: msal.LogLevel.Info },
			},
		});
		this.log('debug', `Created the msal-node client for profile "${profile.name}" (${credential.kind}, authority ${authority}).`);
		return { app, secrets };
	}

	private log(level: AuthLogLevel, message: string): void {
		this.options.log?.(level, message);
	}
}

function msalLevel(level: LogLevel): AuthLogLevel {
	// msal's enum: Error 0, Warning 1, Info 2, Verbose 3, Trace 4. Its Info lines narrate every token request, so they go
	// to debug: at the default level the channel shows our one line per request, not msal's running commentary.
	return (['error', 'warn', 'debug', 'trace', 'trace'] as const)[level as number] ?? 'trace';
}

function withSignal<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return p;
	if (signal.aborted) return Promise.reject(abortError());
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abortError());
		signal.addEventListener('abort', onAbort, { once: true });
		p.then(
			(v) => {
				signal.removeEventListener('abort', onAbort);
				resolve(v);
			},
			(e) => {
				signal.removeEventListener('abort', onAbort);
				reject(e);
			},
		);
	});
}

function abortError(): Error {
	const e = new Error('The token request was cancelled.');
	e.name = 'AbortError';
	return e;
}
