import 'reflect-metadata';
import * as assert from 'node:assert/strict';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as x509 from '@peculiar/x509';
import { loadOrCreateTls } from '../../../src/core/emulator/tls';

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' };

/** Someone who got hold of ca-key.pem mints a leaf for any names they like, signed by the emulator's CA. */
async function mintLeaf(caCertPem: string, caKeyPem: string, names: { type: 'dns' | 'ip'; value: string }[]): Promise<{ cert: string; key: string }> {
	const caKey = await webcrypto.subtle.importKey('pkcs8', createPrivateKey(caKeyPem).export({ type: 'pkcs8', format: 'der' }), EC_P256, false, ['sign']);
	const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
	const leaf = await x509.X509CertificateGenerator.create({
		subject: `CN=${names[0].value}`,
		issuer: new x509.X509Certificate(caCertPem).subject,
		notBefore: new Date(Date.now() - 60_000),
		notAfter: new Date(Date.now() + 86_400_000),
		publicKey: keys.publicKey,
		signingKey: caKey,
		signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
		extensions: [new x509.SubjectAlternativeNameExtension(names), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
	}, webcrypto);
	const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
	return { cert: leaf.toString('pem'), key };
}

/** Serves `leaf` on loopback and connects as a client that trusts only the emulator's CA, asking for `servername`. */
async function handshake(leaf: { cert: string; key: string }, caCertPem: string, servername: string): Promise<'trusted' | Error> {
	const server = https.createServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('ok'));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		return await new Promise((resolve) => {
			const req = https.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, servername, ca: caCertPem, agent: false }, (res) => {
				res.resume();
				res.on('end', () => resolve('trusted'));
			});
			req.on('error', (err) => resolve(err));
		});
	} finally {
		server.close();
	}
}

describe('emulator: certificates made in-process, CA limited to loopback names', function () {
	this.timeout(20_000);
	let dir: string;

	before(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'emu-certs-'));
	});
	after(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	it('makes the CA, server and client certificates without the openssl binary', async () => {
		const savedPath = process.env.PATH;
		process.env.PATH = '';
		try {
			const tls = await loadOrCreateTls(dir);
			const ca = new X509Certificate(tls.caCertPem);
			const server = new X509Certificate(tls.serverCertPem);
			assert.ok(ca.ca, 'the CA is a CA');
			assert.ok(server.verify(ca.publicKey), 'the CA signed the server certificate');
			assert.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
			assert.equal(new X509Certificate(tls.clientCertPem).publicKey.asymmetricKeyType, 'rsa', 'msal-node signs assertions with RSA');
		} finally {
			process.env.PATH = savedPath;
		}
	});

	it('a leaf for a foreign name signed by the CA is rejected by Node\'s TLS verification', async () => {
		const tls = await loadOrCreateTls(dir);
		const caKeyPem = readFileSync(path.join(dir, 'tls', 'ca-key.pem'), 'utf8');
		const foreign = await handshake(await mintLeaf(tls.caCertPem, caKeyPem, [{ type: 'dns', value: 'login.microsoftonline.com' }]), tls.caCertPem, 'login.microsoftonline.com');
		assert.ok(foreign instanceof Error, 'the foreign leaf must not be trusted');
		assert.match(`${(foreign as NodeJS.ErrnoException).code} ${foreign.message}`, /subtree|constraint/i);
		const foreignIp = await handshake(await mintLeaf(tls.caCertPem, caKeyPem, [{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '10.1.2.3' }]), tls.caCertPem, 'localhost');
		assert.ok(foreignIp instanceof Error, 'a leaf that also names a non-loopback IP is not trusted either');
		// The same CA and the same kind of leaf for a loopback name are trusted: the refusal is the name constraint.
		assert.equal(await handshake(await mintLeaf(tls.caCertPem, caKeyPem, [{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }]), tls.caCertPem, 'localhost'), 'trusted');
	});

	it('replaces a CA made before name constraints, at the same path', async () => {
		const old = mkdtempSync(path.join(os.tmpdir(), 'emu-certs-old-'));
		try {
			const first = await loadOrCreateTls(old);
			// A CA without name constraints, as earlier versions made: any self-signed certificate will do.
			writeFileSync(first.caCertFile, first.clientCertPem);
			const second = await loadOrCreateTls(old);
			assert.equal(second.caCertFile, first.caCertFile);
			assert.notEqual(second.caCertPem, first.clientCertPem);
			assert.ok(new X509Certificate(second.serverCertPem).verify(new X509Certificate(second.caCertPem).publicKey));
			const again = await loadOrCreateTls(old);
			assert.equal(again.caCertPem, second.caCertPem, 'a current CA is kept');
		} finally {
			rmSync(old, { recursive: true, force: true });
		}
	});
});
