import { X509Certificate, createPrivateKey, createHash, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';

/** A client certificate ready for msal-node: what a certificate profile needs to sign a client assertion. */
export interface ClientCertificate {
	/** PKCS#8 PEM of the private key. */
	readonly privateKeyPem: string;
	/** The leaf certificate followed by any chain certificates, PEM. */
	readonly certificatePem: string;
	/** Hex, upper case, as the Entra admin center shows it. */
	readonly thumbprintSha1: string;
	readonly thumbprintSha256: string;
	/** base64url of the SHA-256 thumbprint: the `x5t#S256` JWT header value. */
	readonly x5tS256: string;
	readonly subject: string;
	readonly validTo: Date;
}

/** A credential file the user chose is unusable; the message says why and what to do. */
export class CertificateError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CertificateError';
	}
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;
const ENCRYPTED = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

/** SHA-1 and SHA-256 thumbprints of a DER certificate. */
export function thumbprintsOf(der: Buffer): { sha1: string; sha256: string; x5tS256: string } {
	const sha256 = createHash('sha256').update(der).digest();
	return {
		sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
		sha256: sha256.toString('hex').toUpperCase(),
		x5tS256: sha256.toString('base64url'),
	};
}

/**
 * Reads a PEM holding a certificate and its unencrypted private key (in either order, PKCS#8, PKCS#1 or SEC1).
 * `source` names the file in messages.
 */
export function parseCertificatePem(text: string, source = 'The PEM file'): ClientCertificate {
	if (text.includes('\u0000') || (!text.includes('-----BEGIN') && text.length > 0)) {
		throw new CertificateError(`${source} is not a PEM file. If you have a .pfx or .p12, convert it first: openssl pkcs12 -in cert.pfx -nodes -out cert.pem`);
	}
	if (ENCRYPTED.test(text)) {
		throw new CertificateError(`${source} holds a password-protected private key, which cannot be used without prompting for its password. Remove the password (openssl pkcs8 -in key.pem -out key-plain.pem, or openssl pkcs12 -in cert.pfx -nodes -out cert.pem) and choose the new file.`);
	}
	const certs: string[] = [...text.matchAll(CERT_BLOCK)].map((m) => m[0]);
	const keyMatch = KEY_BLOCK.exec(text);
	if (!keyMatch && certs.length === 0) throw new CertificateError(`${source} has neither a certificate nor a private key: choose a PEM with both.`);
	if (!keyMatch) throw new CertificateError(`${source} has a certificate but no private key. Export the certificate together with its private key (for example openssl pkcs12 -in cert.pfx -nodes -out cert.pem) and choose that file.`);
	if (certs.length === 0) throw new CertificateError(`${source} has a private key but no certificate. Append the certificate you uploaded to the app registration (cat key.pem cert.pem > both.pem) and choose that file.`);

	let key: KeyObject;
	try {
		key = createPrivateKey(keyMatch[0]);
	} catch (err) {
		throw new CertificateError(`${source} has a private key that cannot be read (${(err as Error).message}). Export it again as an unencrypted PEM.`);
	}
	let leaf: X509Certificate;
	try {
		leaf = new X509Certificate(certs[0]);
	} catch (err) {
		throw new CertificateError(`${source} has a certificate that cannot be read (${(err as Error).message}). Export it again as PEM.`);
	}
	if (!leaf.checkPrivateKey(key)) {
		throw new CertificateError(`${source} has a private key that does not belong to its first certificate. Put the certificate that matches the key first, or choose the right key.`);
	}
	const t = thumbprintsOf(leaf.raw);
	return {
		privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
		certificatePem: certs.join('\n') + '\n',
		thumbprintSha1: t.sha1,
		thumbprintSha256: t.sha256,
		x5tS256: t.x5tS256,
		subject: leaf.subject.replace(/\n/g, ', '),
		validTo: new Date(leaf.validTo),
	};
}

/** Reads and parses a PEM file, turning file-system errors into messages a user can act on. */
export async function readCertificateFile(path: string): Promise<{ pem: string; certificate: ClientCertificate }> {
	let pem: string;
	try {
		pem = await fs.readFile(path, 'utf8');
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new CertificateError(`${path} does not exist: choose the PEM file again.`);
		if (code === 'EACCES' || code === 'EPERM') throw new CertificateError(`${path} cannot be read (permission denied): check the file's permissions or copy it somewhere you can read.`);
		if (code === 'EISDIR') throw new CertificateError(`${path} is a folder: choose the PEM file inside it.`);
		throw new CertificateError(`${path} cannot be read (${code ?? (err as Error).message}).`);
	}
	return { pem, certificate: parseCertificatePem(pem, path) };
}
