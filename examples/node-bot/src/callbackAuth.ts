/**
 * Checks the Bearer token on each notification Graph posts, as the calling docs ask
 * (MicrosoftDocs/msteams-docs, bots/calls-and-meetings/call-notifications.md): an RS256 JWT signed by a key
 * published at the OpenID configuration's jwks_uri, with that configuration's issuer, audience = our app id, not
 * expired. Anything else is refused before the body is looked at.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { request, type Agent } from 'undici';

/** Graph's callback tokens are issued by the Bot Framework; some samples also accept tokens issued as Graph. */
const EXTRA_ISSUERS = ['https://graph.microsoft.com'];
const CLOCK_SKEW_SECONDS = 300;
/** An unknown kid makes us refetch the keys, but not more often than this, so forged kids cannot make us hammer the endpoint. */
const REFETCH_AFTER_MS = 60_000;

export class CallbackAuthError extends Error {}

interface Keys {
	issuer: string;
	byKid: Map<string, KeyObject>;
	fetchedAt: number;
}

export class CallbackTokenValidator {
	private keys?: Promise<Keys>;

	constructor(private readonly openIdConfigurationUrl: string, private readonly audience: string, private readonly tenantId: string, private readonly agent: Agent) {}

	/** Resolves with the token's claims, or rejects with CallbackAuthError saying what is wrong. */
	async validate(authorization: string | undefined): Promise<Record<string, unknown>> {
		const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(authorization ?? '');
		if (!m) throw new CallbackAuthError('no Bearer JWT in Authorization');
		const [, h, p, s] = m;
		const header = parseJson(h, 'header');
		if (header.alg !== 'RS256') throw new CallbackAuthError(`alg ${String(header.alg)} is not RS256`);
		if (typeof header.kid !== 'string') throw new CallbackAuthError('the token names no kid');
		const key = await this.key(header.kid);
		if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key.key, Buffer.from(s, 'base64url'))) throw new CallbackAuthError('bad signature');
		const claims = parseJson(p, 'payload');
		const now = Date.now() / 1000;
		if (claims.iss !== key.issuer && !EXTRA_ISSUERS.includes(String(claims.iss))) throw new CallbackAuthError(`issuer ${String(claims.iss)} is not ${key.issuer}`);
		const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
		if (!aud.includes(this.audience)) throw new CallbackAuthError(`audience ${String(claims.aud)} is not this app`);
		if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SECONDS < now) throw new CallbackAuthError('expired');
		if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > now) throw new CallbackAuthError('not valid yet');
		if (claims.tid !== undefined && String(claims.tid).toLowerCase() !== this.tenantId.toLowerCase()) throw new CallbackAuthError(`tenant ${String(claims.tid)} is not ours`);
		return claims;
	}

	/** Loads the signing keys now, so the first notification is not slowed by two extra requests. */
	async prefetch(): Promise<void> {
		await (this.keys ??= this.fetchKeys());
	}

	private async key(kid: string): Promise<{ key: KeyObject; issuer: string }> {
		let keys = await (this.keys ??= this.fetchKeys());
		if (!keys.byKid.has(kid) && Date.now() - keys.fetchedAt > REFETCH_AFTER_MS) {
			// Keys roll over: look again once in a while for a kid we have not seen.
			this.keys = this.fetchKeys();
			keys = await this.keys;
		}
		const key = keys.byKid.get(kid);
		if (!key) throw new CallbackAuthError(`unknown signing key ${kid}`);
		return { key, issuer: keys.issuer };
	}

	private async fetchKeys(): Promise<Keys> {
		try {
			const config = await this.getJson(this.openIdConfigurationUrl);
			if (typeof config.issuer !== 'string' || typeof config.jwks_uri !== 'string') throw new Error('the OpenID configuration has no issuer or jwks_uri');
			const jwks = await this.getJson(config.jwks_uri);
			const byKid = new Map<string, KeyObject>();
			for (const jwk of (jwks.keys ?? []) as (JsonWebKey & { kid?: string })[]) {
				if (jwk.kty === 'RSA' && jwk.kid) byKid.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
			}
			return { issuer: config.issuer, byKid, fetchedAt: Date.now() };
		} catch (err) {
			this.keys = undefined; // try again on the next notification
			throw new CallbackAuthError(`cannot load the callback signing keys: ${(err as Error).message}`);
		}
	}

	private async getJson(url: string): Promise<any> {
		const res = await request(url, { dispatcher: this.agent, signal: AbortSignal.timeout(10_000) });
		const text = await res.body.text();
		if (res.statusCode !== 200) throw new Error(`${url} answered HTTP ${res.statusCode}`);
		return JSON.parse(text);
	}
}

function parseJson(part: string, what: string): Record<string, unknown> {
	try {
		const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		if (v && typeof v === 'object' && !Array.isArray(v)) return v;
	} catch {
		// fall through
	}
	throw new CallbackAuthError(`the token's ${what} is not JSON`);
}
