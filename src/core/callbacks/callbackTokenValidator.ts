import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { KeysUnavailableError, type KeySet, type OpenIdKeySource } from './openIdKeySource';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

/** Issuers Graph uses for callback tokens (the comms samples accept both). */
export const CALLBACK_ISSUERS: readonly string[] = ['https://api.botframework.com', 'https://graph.microsoft.com'];
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'];
const TENANT_CLAIMS = ['tid', 'http://schemas.microsoft.com/identity/claims/tenantid'];
const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Who the notification must be addressed to: the profile's bot. */
export interface ExpectedCaller {
	readonly profileName: string;
	/** The bot's app (client) id: the token's audience. */
	readonly clientId: string;
	/** GUID or domain; only a GUID can be compared with the token's tenant claim. */
	readonly tenantId?: string;
}

/** Non-secret claims kept with a notification so the developer can see who sent it. */
export interface TokenClaimsSummary {
	readonly iss?: string;
	readonly aud?: string | string[];
	readonly tid?: string;
	readonly iat?: number;
	readonly nbf?: number;
	readonly exp?: number;
	readonly kid?: string;
	readonly alg?: string;
}

export type TokenCheck =
	| { readonly valid: true; readonly claims: TokenClaimsSummary }
	| { readonly valid: false; readonly status: 401 | 403 | 503; readonly reason: string; readonly claims?: TokenClaimsSummary };

function summarize(payload: JWTPayload | undefined, header?: { kid?: string; alg?: string }): TokenClaimsSummary | undefined {
	if (!payload && !header) return undefined;
	const tid = TENANT_CLAIMS.map((c) => payload?.[c]).find((v) => typeof v === 'string') as string | undefined;
	return { iss: payload?.iss, aud: payload?.aud, tid, iat: payload?.iat, nbf: payload?.nbf, exp: payload?.exp, kid: header?.kid, alg: header?.alg };
}

const norm = (id: string) => id.replace(/-/g, '').toLowerCase();

/**
 * Checks the bearer JWT on a notification: signature against the OpenID configuration's keys, issuer,
 * audience = the profile's client id, expiry and the tenant claim. Never throws; every failure is a reason.
 */
export class CallbackTokenValidator {
	constructor(
		private readonly keys: OpenIdKeySource,
		private readonly options: { readonly issuers?: readonly string[]; readonly clockToleranceSec?: number } = {},
	) {}

	async validate(authorization: string | undefined, expected: ExpectedCaller): Promise<TokenCheck> {
		if (!authorization) return { valid: false, status: 401, reason: 'No Authorization header: Graph always sends "Bearer <JWT>", so this did not come from Graph (or a proxy stripped the header).' };
		const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
		if (!m) return { valid: false, status: 401, reason: 'The Authorization header is not "Bearer <JWT>".' };
		const token = m[1];
		const cacheKey = `${expected.clientId}|${expected.tenantId ?? ''}|${token}`;
		const known = this.verified.get(cacheKey);
		if (known && (known.exp ?? 0) * 1000 > Date.now() - (this.options.clockToleranceSec ?? 300) * 1000) return { valid: true, claims: known };
		const jose = await import('jose');
		let header: { kid?: string; alg?: string };
		let unverified: JWTPayload | undefined;
		try {
			header = jose.decodeProtectedHeader(token);
			unverified = jose.decodeJwt(token);
		} catch {
			return { valid: false, status: 401, reason: 'The bearer token is not a JWT (it could not be decoded).' };
		}
		if (!header.alg || header.alg === 'none' || !ALGORITHMS.includes(header.alg)) {
			return { valid: false, status: 403, reason: `The token is not signed with an accepted algorithm (alg "${header.alg ?? 'missing'}"); unsigned tokens are never accepted.`, claims: summarize(unverified, header) };
		}
		const issuers = [...(this.options.issuers ?? CALLBACK_ISSUERS)];
		const verifyOptions = { issuer: issuers, audience: expected.clientId, algorithms: ALGORITHMS, clockTolerance: this.options.clockToleranceSec ?? 300, requiredClaims: ['exp'] };
		try {
			let keySet = await this.keys.get();
			let payload: JWTPayload;
			try {
				({ payload } = await jose.jwtVerify(token, this.localSet(jose, keySet), verifyOptions));
			} catch (err) {
				if (!(err instanceof jose.errors.JWKSNoMatchingKey)) throw err;
				// Key rollover: fetch the keys once more before calling the token forged.
				const fresh = await this.keys.refreshForUnknownKey();
				if (!fresh) throw err;
				keySet = fresh;
				({ payload } = await jose.jwtVerify(token, this.localSet(jose, keySet), verifyOptions));
			}
			const claims = summarize(payload, header)!;
			const tenantFailure = this.checkTenant(claims.tid, expected);
			if (tenantFailure) return { valid: false, status: 403, reason: tenantFailure, claims };
			this.remember(cacheKey, claims);
			return { valid: true, claims };
		} catch (err) {
			return { valid: false, status: err instanceof KeysUnavailableError ? 503 : 403, reason: this.explain(err, jose.errors, unverified, expected), claims: summarize(unverified, header) };
		}
	}

	// Graph reuses one token for many notifications: the exact bytes, once verified, need no second RSA check
	// until they expire. Bounded, oldest out first.
	private readonly verified = new Map<string, TokenClaimsSummary>();
	private remember(key: string, claims: TokenClaimsSummary): void {
		this.verified.set(key, claims);
		if (this.verified.size > 256) this.verified.delete(this.verified.keys().next().value!);
	}

	// createLocalJWKSet imports keys lazily and keeps them: build it once per fetched key set, not per token.
	private localSets = new WeakMap<KeySet, ReturnType<Jose['createLocalJWKSet']>>();
	private localSet(jose: Jose, keySet: KeySet): ReturnType<Jose['createLocalJWKSet']> {
		let set = this.localSets.get(keySet);
		if (!set) {
			set = jose.createLocalJWKSet(keySet.jwks);
			this.localSets.set(keySet, set);
		}
		return set;
	}

	private checkTenant(tid: string | undefined, expected: ExpectedCaller): string | undefined {
		if (!tid) return 'The token has no tenant id claim (tid), so it cannot be tied to a tenant.';
		if (expected.tenantId && GUID.test(expected.tenantId) && norm(tid) !== norm(expected.tenantId)) {
			return `The token is for tenant ${tid}, but profile "${expected.profileName}" is tenant ${expected.tenantId}: check the profile's tenant id.`;
		}
		return undefined;
	}

	private explain(err: unknown, errors: Jose['errors'], payload: JWTPayload | undefined, expected: ExpectedCaller): string {
		if (err instanceof KeysUnavailableError) return err.message;
		if (err instanceof errors.JWTExpired) {
			const exp = typeof payload?.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : 'unknown';
			return `The token expired at ${exp}; Graph sends fresh tokens, so this is a replayed or stale notification (or this machine's clock is wrong).`;
		}
		if (err instanceof errors.JWTClaimValidationFailed) {
			if (err.claim === 'aud') return `The token's audience is ${JSON.stringify(payload?.aud)}, but profile "${expected.profileName}" has client id ${expected.clientId}: the notification is for another bot, or the profile's client id is wrong.`;
			if (err.claim === 'iss') return `The token's issuer is ${JSON.stringify(payload?.iss)}; Graph callback tokens come from ${CALLBACK_ISSUERS.join(' or ')}.`;
			if (err.claim === 'nbf') return 'The token is not valid yet (nbf is in the future): check this machine\'s clock.';
			return `The token's "${err.claim}" claim is not acceptable (${err.reason}).`;
		}
		if (err instanceof errors.JWKSNoMatchingKey) return 'The token was signed with a key that is not among the published signing keys: it is forged or from another issuer.';
		if (err instanceof errors.JWSSignatureVerificationFailed) return 'The token\'s signature does not match the published signing key: it is forged or was altered.';
		if (err instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm that is not accepted.';
		if (err instanceof errors.JOSEError) return `The token is invalid (${err.code}).`;
		return `The token could not be checked (${(err as Error)?.message ?? String(err)}).`;
	}
}
