/**
 * Decodes an access token's claims for display. The signature is not checked (Graph does that); the raw token
 * never leaves this module: callers get claims only.
 */

export type TokenClaims = Record<string, unknown>;

export class TokenDecodeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TokenDecodeError';
	}
}

/** The JWT payload. Throws TokenDecodeError (whose message never contains the token) when it is not a JWS. */
export function decodeTokenClaims(token: string): TokenClaims {
	const parts = token.split('.');
	if (parts.length !== 3) throw new TokenDecodeError(`The access token is not a JWT (it has ${parts.length} parts, expected 3): it may be an encrypted token, which cannot be inspected.`);
	let payload: unknown;
	try {
		payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
	} catch {
		throw new TokenDecodeError('The access token\'s payload is not valid base64url JSON, so its claims cannot be shown.');
	}
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new TokenDecodeError('The access token\'s payload is not a JSON object.');
	return payload as TokenClaims;
}

/** The claims a calling-bot developer looks at first. */
export interface ClaimsSummary {
	readonly appId?: string;
	readonly appDisplayName?: string;
	readonly tenantId?: string;
	readonly audience?: string;
	readonly issuer?: string;
	readonly roles: readonly string[];
	readonly issuedAt?: Date;
	readonly expiresOn?: Date;
	/** Negative when expired. */
	readonly secondsLeft?: number;
	/** Delegated scopes: an app-only token should have none. */
	readonly scopes: readonly string[];
}

function str(v: unknown): string | undefined {
	return typeof v === 'string' ? v : undefined;
}

function date(v: unknown): Date | undefined {
	return typeof v === 'number' && Number.isFinite(v) ? new Date(v * 1000) : undefined;
}

export function summariseClaims(claims: TokenClaims, now: Date = new Date()): ClaimsSummary {
	const expiresOn = date(claims.exp);
	const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
	return {
		appId: str(claims.appid) ?? str(claims.azp),
		appDisplayName: str(claims.app_displayname),
		tenantId: str(claims.tid),
		audience: Array.isArray(claims.aud) ? claims.aud.map(String).join(', ') : str(claims.aud),
		issuer: str(claims.iss),
		roles: [...roles].sort(),
		issuedAt: date(claims.iat),
		expiresOn,
		secondsLeft: expiresOn ? Math.round((expiresOn.getTime() - now.getTime()) / 1000) : undefined,
		scopes: str(claims.scp)?.split(' ').filter(Boolean) ?? [],
	};
}

function duration(seconds: number): string {
	const abs = Math.abs(seconds);
	const h = Math.floor(abs / 3600);
	const m = Math.floor((abs % 3600) / 60);
	const text = h ? `${h} h ${m} min` : m ? `${m} min` : `${abs} s`;
	return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** A markdown page with the summary and every claim as JSON. Contains no token. */
export function renderClaimsMarkdown(profileName: string, claims: TokenClaims, now: Date = new Date()): string {
	const s = summariseClaims(claims, now);
	const lines = [
		`# Token claims: ${profileName}`,
		'',
		'Decoded from the app-only access token the profile got just now. The token itself is not shown.',
		'',
		'| claim | value |',
		'| --- | --- |',
		`| app id (appid) | ${s.appId ?? '—'}${s.appDisplayName ? ` (${s.appDisplayName})` : ''} |`,
		`| tenant (tid) | ${s.tenantId ?? '—'} |`,
		`| audience (aud) | ${s.audience ?? '—'} |`,
		`| issuer (iss) | ${s.issuer ?? '—'} |`,
		`| issued (iat) | ${s.issuedAt?.toISOString() ?? '—'} |`,
		`| expires (exp) | ${s.expiresOn ? `${s.expiresOn.toISOString()} (${duration(s.secondsLeft ?? 0)})` : '—'} |`,
		`| roles | ${s.roles.length ? s.roles.join(', ') : 'none: the app has no consented application permissions'} |`,
	];
	if (s.scopes.length) lines.push(`| delegated scopes (scp) | ${s.scopes.join(', ')}: unexpected in an app-only token |`);
	lines.push('', '## All claims', '', '```json', JSON.stringify(claims, null, 2), '```', '');
	return lines.join('\n');
}
