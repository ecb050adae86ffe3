import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateDir } from './stateDir';

const run = promisify(execFile);

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

/**
 * node:crypto cannot issue X.509 certificates, so the `openssl` binary (present on Debian, macOS and Git for
 * Windows) creates them once per state directory. Nothing is installed into any trust store: clients trust
 * `ca.pem` explicitly.
 */
export async function loadOrCreateTls(stateDir: string): Promise<TlsMaterial> {
	const files = await loadOrCreateDir(stateDir, 'tls', FILES, generate);
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

async function openssl(cwd: string, args: string[]): Promise<void> {
	try {
		await run('openssl', args, { cwd });
	} catch (err) {
		const e = err as NodeJS.ErrnoException & { stderr?: string };
		if (e.code === 'ENOENT') {
			throw new Error('The emulator needs the `openssl` command to create its TLS certificates once: install OpenSSL (apt-get install openssl) and start it again.');
		}
		throw new Error(`openssl failed while creating the emulator certificates (${(e.stderr ?? e.message).trim().split('\n')[0]}): check that a recent OpenSSL is on PATH.`);
	}
}

async function generate(dir: string): Promise<void> {
	const days = '3650';
	// EC keys for TLS: quick to create and to handshake.
	await openssl(dir, ['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', days,
		'-subj', '/CN=Graph Calls Emulator Local CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
	await openssl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=localhost']);
	await fs.writeFile(path.join(dir, 'server.ext'), [
		'basicConstraints=CA:FALSE',
		'keyUsage=critical,digitalSignature,keyEncipherment',
		'extendedKeyUsage=serverAuth',
		'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
		'',
	].join('\n'));
	await openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'server.pem', '-days', '825', '-sha256', '-extfile', 'server.ext']);
	// The client certificate must be RSA: msal-node signs assertions with PS256.
	await openssl(dir, ['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client-key.pem', '-out', 'client.pem', '-days', days, '-subj', '/CN=Graph Calls Emulator Demo App']);
	for (const f of ['server.csr', 'server.ext', 'ca.srl']) await fs.rm(path.join(dir, f), { force: true });
}
