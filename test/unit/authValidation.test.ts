import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainName, normaliseGuid, normaliseTenantId, validateCallbackUrl, validateClientId, validateClientSecret, validateProfileName, validateTenantId } from '../../src/core/auth/profileValidation';

describe('auth: profile validation', () => {
	const guid = '72f988bf-86f1-41af-91ab-2d7cd011db47';

	it('normalises GUIDs in any case, with or without dashes or braces', () => {
		for (const v of [guid, guid.toUpperCase(), guid.replace(/-/g, ''), `{${guid.toUpperCase()}}`, `  ${guid}  `]) {
			assert.equal(normaliseGuid(v), guid, v);
		}
	});

	it('rejects near-GUIDs: wrong length, stray characters, partial dashes', () => {
		for (const v of [guid.slice(1), `${guid}0`, guid.replace('a', 'g'), '72f988bf86f1-41af-91ab-2d7cd011db47', '']) {
			assert.equal(normaliseGuid(v), undefined, v);
		}
	});

	it('any 128-bit value round-trips through every spelling (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), fc.boolean(), (bytes, upper, dashes) => {
				const hex = Buffer.from(bytes).toString('hex');
				const canonical = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
				let spelled = dashes ? canonical : hex;
				if (upper) spelled = spelled.toUpperCase();
				return normaliseGuid(spelled) === canonical;
			}),
		);
	});

	it('accepts tenant GUIDs and verified domains, rejects the multi-tenant aliases and junk with a reason', () => {
		assert.equal(validateTenantId(guid.toUpperCase()), undefined);
		assert.equal(validateTenantId('contoso.onmicrosoft.com'), undefined);
		assert.equal(validateTenantId('fabrikam.co.uk'), undefined);
		assert.match(validateTenantId('common') ?? '', /cannot get app-only tokens/);
		assert.match(validateTenantId('72f988bf-86f1') ?? '', /not a GUID/);
		assert.match(validateTenantId('not a tenant') ?? '', /neither a GUID nor a domain/);
		assert.match(validateTenantId('') ?? '', /Directory \(tenant\) ID/);
		assert.equal(normaliseTenantId('Contoso.OnMicrosoft.com'), 'contoso.onmicrosoft.com');
		assert.equal(normaliseTenantId(guid.replace(/-/g, '').toUpperCase()), guid);
	});

	it('checks domain shape label by label', () => {
		assert.ok(isDomainName('a.io'));
		assert.ok(isDomainName('my-tenant.onmicrosoft.com'));
		for (const v of ['localhost', '-bad.com', 'bad-.com', 'a..com', 'a.c0m', 'a.c', 'exa mple.com', `${'a'.repeat(64)}.com`]) {
			assert.equal(isDomainName(v), false, v);
		}
	});

	it('client id must be a GUID; names must be unique and short', () => {
		assert.equal(validateClientId(guid), undefined);
		assert.match(validateClientId('my-app') ?? '', /not a GUID/);
		assert.equal(validateProfileName('Contoso dev', ['Other']), undefined);
		assert.match(validateProfileName('contoso DEV', ['Contoso dev']) ?? '', /already exists/);
		assert.match(validateProfileName('   ') ?? '', /Enter a name/);
		assert.match(validateProfileName('x'.repeat(65)) ?? '', /at most 64/);
	});

	it('spots a Secret ID pasted instead of the secret Value', () => {
		assert.match(validateClientSecret(guid) ?? '', /Secret ID/);
		assert.equal(validateClientSecret('abc8Q~xyz.123-secretvalue'), undefined);
		assert.match(validateClientSecret('') ?? '', /Value/);
	});

	it('callback URLs must be https; http only on loopback and only when allowed', () => {
		assert.equal(validateCallbackUrl(''), undefined);
		assert.match(validateCallbackUrl('', { required: true }) ?? '', /https URL/);
		assert.equal(validateCallbackUrl('https://abc.devtunnels.ms/api/calls'), undefined);
		assert.match(validateCallbackUrl('http://abc.devtunnels.ms/api/calls') ?? '', /only calls https/);
		assert.match(validateCallbackUrl('http://127.0.0.1:3978/api/calls') ?? '', /only calls https/);
		assert.equal(validateCallbackUrl('http://127.0.0.1:3978/api/calls', { allowLoopbackHttp: true }), undefined);
		assert.match(validateCallbackUrl('http://example.com/x', { allowLoopbackHttp: true }) ?? '', /only calls https/);
		assert.match(validateCallbackUrl('abc.devtunnels.ms') ?? '', /not a URL/);
		assert.match(validateCallbackUrl('ftp://x.example.com/') ?? '', /must start with https/);
		assert.match(validateCallbackUrl('https://u:p@x.example.com/') ?? '', /user name and password/);
	});
});
