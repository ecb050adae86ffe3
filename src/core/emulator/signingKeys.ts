import { createHash, createPrivateKey, createPublicKey, generateKeyPair, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateDir } from './stateDir';

const generateKeyPairAsync = promisify(generateKeyPair);

export type JwtPayload = Record<string, unknown> & { exp?: number; nbf?: number; iat?: number };

/** One RS256 key that signs JWTs and is published in a JWKS (access tokens and webhook tokens each have one). */
export class SigningKey {
	readonly kid: string;
	readonly publicJwk: JsonWebKey & { kid: string; use: string; alg: string };
	private readonly publicKey: KeyObject;

	private constructor(private readonly privateKey: KeyObject) {
		this.publicKey = createPublicKey(privateKey);
		const jwk = this.publicKey.export({ format: 'jwk' });
		this.kid = createHash('sha256').update(`${jwk.n}.${jwk.e}`).digest('base64url').slice(0, 27);
		this.publicJwk = { ...jwk, kid: this.kid, use: 'sig', alg: 'RS256' };
	}

	static async loadOrCreate(stateDir: string, name: string): Promise<SigningKey> {
		const files = await loadOrCreateDir(stateDir, name, ['key.pem'], async (dir) => {
			const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
			await fs.writeFile(path.join(dir, 'key.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
		});
		return new SigningKey(createPrivateKey(files['key.pem']));
	}

	sign(payload: JwtPayload, extraHeader: Record<string, unknown> = {}): string {
		const header = { typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid, ...extraHeader };
		const input = `${b64json(header)}.${b64json(payload)}`;
		return `${input}.${sign('sha256', Buffer.from(input), this.privateKey).toString('base64url')}`;
	}

	/** Verifies signature and time claims; returns the payload or a reason in words. */
	verify(token: string, nowSeconds: number): { payload: JwtPayload } | { reason: string } {
		const parts = token.split('.');
		if (parts.length !== 3) return { reason: 'the token is not a JWT' };
		let header: { alg?: string; kid?: string };
		let payload: JwtPayload;
		try {
			header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
			payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		} catch {
			return { reason: 'the token is not a JWT' };
		}
		if (header.alg !== 'RS256' || header.kid !== this.kid) return { reason: 'the token was not issued by this emulator (unknown signing key)' };
		const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
		if (!ok) return { reason: 'the token signature is invalid' };
		if (typeof payload.exp === 'number' && payload.exp <= nowSeconds) return { reason: 'the token is expired' };
		if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds + 300) return { reason: 'the token is not valid yet' };
		return { payload };
	}
}

export function b64json(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeJwtParts(token: string): { header: Record<string, unknown>; payload: JwtPayload; signingInput: string; signature: Buffer } | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		return {
			header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
			payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
			signingInput: `${parts[0]}.${parts[1]}`,
			signature: Buffer.from(parts[2], 'base64url'),
		};
	} catch {
		return undefined;
	}
}
