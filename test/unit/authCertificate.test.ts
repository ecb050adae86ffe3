import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPrivateKey, createPublicKey, sign, verify, constants } from 'node:crypto';
import { CertificateError, parseCertificatePem, readCertificateFile } from '../../src/core/auth/certificate';

const fixtures = path.resolve(__dirname, '../../../test/unit/authFixtures');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
// Computed independently with `openssl x509 -fingerprint -sha1 / -sha256` (see authFixtures/README.md).
const SHA1 = 'BE7EFDDFD62C3F039F228FA7DB2C414866845A65';
const SHA256 = '138EEB326EE2BBD1421C684DC418BE25A60AF5728DE81372C4E394EDBCA7B77B';

describe('auth: certificates', () => {
	it('computes SHA-1, SHA-256 and x5t#S256 thumbprints that match openssl', () => {
		const c = parseCertificatePem(read('cert-and-key.pem'));
		assert.equal(c.thumbprintSha1, SHA1);
		assert.equal(c.thumbprintSha256, SHA256);
		assert.equal(c.x5tS256, Buffer.from(SHA256, 'hex').toString('base64url'));
		assert.match(c.subject, /CN=graph-calls-test-app/);
		assert.ok(c.validTo.getTime() > Date.now());
	});

	it('accepts a PKCS#1 key before the certificate and exports a PKCS#8 key that signs PS256', () => {
		const c = parseCertificatePem(read('key-pkcs1-and-cert.pem'));
		assert.equal(c.thumbprintSha256, SHA256);
		assert.match(c.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
		const data = Buffer.from('assertion');
		const sig = sign('sha256', data, { key: createPrivateKey(c.privateKeyPem), padding: constants.RSA_PKCS1_PSS_PADDING });
		assert.ok(verify('sha256', data, { key: createPublicKey(c.certificatePem), padding: constants.RSA_PKCS1_PSS_PADDING }, sig));
	});

	it('explains a password-protected key, without ever asking for the password', () => {
		assert.throws(() => parseCertificatePem(read('cert-and-encrypted-key.pem'), 'cert.pem'), (e: Error) => e instanceof CertificateError && /cert\.pem holds a password-protected private key/.test(e.message) && /openssl pkcs8/.test(e.message));
	});

	it('explains a missing key, a missing certificate, a key of another certificate and a non-PEM file', () => {
		assert.throws(() => parseCertificatePem(read('cert.pem')), /certificate but no private key/);
		assert.throws(() => parseCertificatePem(read('key.pem')), /private key but no certificate/);
		assert.throws(() => parseCertificatePem(read('cert-and-wrong-key.pem')), /does not belong to its first certificate/);
		assert.throws(() => parseCertificatePem('\u0000\u0001binary pfx'), /not a PEM file.*pkcs12/);
		assert.throws(() => parseCertificatePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' + read('key.pem')), /certificate that cannot be read/);
	});

	it('error messages never include key material', () => {
		const key = read('other-key.pem');
		const body = key.split('\n')[1];
		try {
			parseCertificatePem(read('cert-and-wrong-key.pem'));
			assert.fail('should throw');
		} catch (e) {
			assert.ok(!(e as Error).message.includes(body));
		}
	});

	it('reads files and names the file in file-system errors', async () => {
		const ok = await readCertificateFile(path.join(fixtures, 'cert-and-key.pem'));
		assert.equal(ok.certificate.thumbprintSha1, SHA1);
		const missing = path.join(os.tmpdir(), `no-such-${process.pid}.pem`);
		await assert.rejects(readCertificateFile(missing), (e: Error) => e.message === `${missing} does not exist: choose the PEM file again.`);
		await assert.rejects(readCertificateFile(fixtures), /is a folder/);
	});
});
