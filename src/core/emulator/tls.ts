// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { loadOrCreateDir } from './stateDir';

/** The emulator's own CA, the server certificate it signs, and a demo client certificate for certificate credentials. */
export interface TlsMaterial {
	readonly caCertPem: string;
	readonly caCertFile: string;
	readonly serverCertPem: string;
	readonly serverKeyPem: string;
	/** RSA certificate registered for the default app, so certificate credentials work out of the box. */
	readonly clientCertPem: string;
	readonly clientKeyPem: string;
	readonly clientCertFile: string;
	readonly clientKeyFile: string;
	/** SHA-256 thumbprint of the client certificate, hex, as msal-node's `thumbprintSha256` wants it. */
	readonly clientThumbprintSha256: string;
}

const FILES = ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem', 'client.pem', 'client-key.pem'] as const;

/** Node's own WebCrypto: no native binary, no polyfill. */
const crypto = webcrypto;
type CryptoKey = webcrypto.CryptoKey;

/**
 * Certificates are made in-process (no `openssl` binary, which most Windows machines lack) once per state
 * directory. Nothing is installed into any trust store: clients trust `ca.pem` explicitly. A CA from before
 * name constraints existed is replaced by one that has them, at the same path.
 */
export async function loadOrCreateTls(stateDir: string): Promise<TlsMaterial> {
	const files = await loadOrCreateDir(stateDir, 'tls', FILES, generate, (existing) => hasNameConstraints(existing['ca.pem']));
	const dir = path.join(stateDir, 'tls');
	const clientCert = new X509Certificate(files['client.pem']);
	return {
		caCertPem: files['ca.pem'],
		caCertFile: path.join(dir, 'ca.pem'),
		serverCertPem: files['server.pem'],
		serverKeyPem: files['server-key.pem'],
		clientCertPem: files['client.pem'],
		clientKeyPem: files['client-key.pem'],
		clientCertFile: path.join(dir, 'client.pem'),
		clientKeyFile: path.join(dir, 'client-key.pem'),
		clientThumbprintSha256: clientCert.fingerprint256.replace(/:/g, '').toLowerCase(),
	};
}

/**
 * The CA may only vouch for loopback names: DNS localhost (and its subdomains), IP 127.0.0.0/8 and ::1. Whoever
 * gets hold of its key (it sits in the user's state directory) cannot use it to impersonate any other site to a
 * client that trusts it, because TLS verification refuses a leaf outside these subtrees.
 */
export const CA_PERMITTED_NAMES = { dns: ['localhost'], ip: ['127.0.0.0/8', '::1/128'] } as const;

function nameConstraintsExtension(): x509.Extension {
	const subtrees = [
		...CA_PERMITTED_NAMES.dns.map((dNSName) => new GeneralSubtree({ base: new GeneralName({ dNSName }) })),
		...CA_PERMITTED_NAMES.ip.map((iPAddress) => new GeneralSubtree({ base: new GeneralName({ iPAddress }) })),
	];
	const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }));
	// RFC 5280 4.2.1.10: conforming CAs mark name constraints critical.
	return new x509.Extension(id_ce_nameConstraints, true, value);
}

function hasNameConstraints(caPem: string): boolean {
	try {
		return !!new x509.X509Certificate(caPem).getExtension(id_ce_nameConstraints);
	} catch {
		return false;
	}
}

const EC_P256: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const RSA_2048: webcrypto.RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

/** A positive 128-bit serial (RFC 5280: positive, at most 20 octets), random so two CAs never share one. */
function serialNumber(): string {
	const bytes = randomBytes(16);
	bytes[0] &= 0x7f;
	bytes[0] |= 0x01;
	return bytes.toString('hex');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
	// Backdated a little so a clock slightly behind the machine that made it still accepts it.
	const notBefore = new Date(Date.now() - DAY_MS);
	return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY_MS) };
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
	return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function generate(dir: string): Promise<void> {
	// EC keys for TLS: quick to create and to handshake.
	const caKeys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
	const ca = await x509.X509CertificateGenerator.createSelfSigned({
		serialNumber: serialNumber(),
		name: 'CN=Graph Calls Emulator Local CA',
		...validity(3650),
		keys: caKeys,
		signingAlgorithm: ECDSA_SHA256,
		extensions: [
			new x509.BasicConstraintsExtension(true, 0, true),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
			nameConstraintsExtension(),
			await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
		],
	}, crypto);

	const serverKeys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
	const server = await x509.X509CertificateGenerator.create({
		serialNumber: serialNumber(),
		subject: 'CN=localhost',
		issuer: ca.subject,
		...validity(825),
		publicKey: serverKeys.publicKey,
		signingKey: caKeys.privateKey,
		signingAlgorithm: ECDSA_SHA256,
		extensions: [
			new x509.BasicConstraintsExtension(false),
			new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
			new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
			new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '::1' }]),
			await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
		],
	}, crypto);

	// The client certificate must be RSA: msal-node signs assertions with PS256.
	const clientKeys = await crypto.subtle.generateKey(RSA_2048, true, ['sign', 'verify']);
	const client = await x509.X509CertificateGenerator.createSelfSigned({
		serialNumber: serialNumber(),
		name: 'CN=Graph Calls Emulator Demo App',
		...validity(3650),
		keys: clientKeys,
		signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' },
	}, crypto);

	const out: Record<(typeof FILES)[number], string> = {
		'ca.pem': ca.toString('pem'),
		'ca-key.pem': await privateKeyPem(caKeys.privateKey),
		'server.pem': server.toString('pem'),
		'server-key.pem': await privateKeyPem(serverKeys.privateKey),
		'client.pem': client.toString('pem'),
		'client-key.pem': await privateKeyPem(clientKeys.privateKey),
	};
	for (const [name, pem] of Object.entries(out)) {
		await fs.writeFile(path.join(dir, name), `${pem.trim()}\n`, { mode: name.endsWith('key.pem') ? 0o600 : 0o644, flag: 'wx' });
	}
}
