import * as assert from 'node:assert/strict';
import { exportProfiles, parseProfilesExport, ProfileImportError, uniqueName } from '../../src/core/auth/profileExport';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';

const contoso: TenantProfile = {
	id: 'p1', name: 'Contoso', cloud: 'global', tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555',
	credentialKind: 'certificate', certificatePath: '/home/me/cert.pem', certificateThumbprint: 'AB'.repeat(32), apiVersion: 'beta', callbackUrl: 'https://x.devtunnels.ms/cb',
};
const emulator: TenantProfile = {
	id: 'emulator', name: 'Emulator', cloud: 'global', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '11111111-2222-3333-4444-555555555555', credentialKind: 'secret', apiVersion: 'v1.0',
	emulator: { authority: 'https://127.0.0.1:1/t', graphHost: 'https://127.0.0.1:1', caCertPem: 'PEM', controlUrl: 'https://127.0.0.1:1/_emulator' },
};

describe('auth: profile export and import', () => {
	it('exports only non-secret fields and leaves the emulator profile out', () => {
		const json = exportProfiles([contoso, emulator]);
		const data = JSON.parse(json);
		assert.equal(data.profiles.length, 1);
		assert.deepEqual(Object.keys(data.profiles[0]).sort(), ['apiVersion', 'callbackUrl', 'certificateThumbprint', 'clientId', 'cloud', 'credentialKind', 'name', 'tenantId']);
		assert.ok(!json.includes('/home/me'), 'the local certificate path stays on this machine');
		assert.ok(!json.includes('PEM'));
	});

	it('round-trips', () => {
		const { profiles, problems } = parseProfilesExport(exportProfiles([contoso]));
		assert.deepEqual(problems, []);
		assert.deepEqual(profiles, [{ name: 'Contoso', cloud: 'global', tenantId: 'contoso.onmicrosoft.com', clientId: contoso.clientId, credentialKind: 'certificate', certificateThumbprint: 'AB'.repeat(32), apiVersion: 'beta', callbackUrl: 'https://x.devtunnels.ms/cb' }]);
	});

	it('ignores secret fields someone added by hand, normalises ids, skips invalid entries with reasons', () => {
		const text = JSON.stringify({
			format: 'graph-calls-workbench.profiles', version: 1,
			profiles: [
				{ name: 'A', cloud: 'china', tenantId: '72F988BF86F141AF91AB2D7CD011DB47', clientId: '{11111111-2222-3333-4444-555555555555}', credentialKind: 'secret', clientSecret: 'hunter2' },
				{ name: 'B', cloud: 'mars', tenantId: 'x', clientId: 'y', credentialKind: 'password' },
				{ name: 'C', cloud: 'global', tenantId: 'c.com', clientId: '11111111-2222-3333-4444-555555555555', credentialKind: 'secret', callbackUrl: 'http://c.com/cb' },
			],
		});
		const { profiles, problems } = parseProfilesExport(text);
		assert.equal(profiles.length, 1);
		assert.equal(profiles[0].tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47');
		assert.equal(profiles[0].clientId, '11111111-2222-3333-4444-555555555555');
		assert.equal(profiles[0].apiVersion, 'v1.0');
		assert.ok(!JSON.stringify(profiles).includes('hunter2'));
		assert.equal(problems.length, 2);
		assert.match(problems[0], /Profile "B" skipped: cloud must be one of .*credentialKind/);
		assert.match(problems[1], /Profile "C" skipped: .*https/);
	});

	it('rejects files that are not exports with what to do', () => {
		assert.throws(() => parseProfilesExport('{nope'), (e: Error) => e instanceof ProfileImportError && /not valid JSON/.test(e.message));
		assert.throws(() => parseProfilesExport('{"profiles":[]}'), /not a profiles export/);
		assert.throws(() => parseProfilesExport('{"format":"graph-calls-workbench.profiles","version":2,"profiles":[]}'), /update the extension/);
	});

	it('finds a free name', () => {
		assert.equal(uniqueName('A', ['B']), 'A');
		assert.equal(uniqueName('A', ['a', 'A (2)']), 'A (3)');
	});
});
