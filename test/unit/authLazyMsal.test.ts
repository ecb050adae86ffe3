// msal-node (about 240 KB minified) must load on the first token request, never at activation or import time.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../..');

/** Runs a script in a fresh Node so no other test's imports can load msal first. */
function runFresh(script: string): Record<string, unknown> {
	const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
	assert.equal(r.status, 0, r.stderr);
	return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

describe('auth: msal-node loads lazily', function () {
	this.timeout(20_000);
	it('importing the token provider and the profile code does not load msal; the first getToken does', () => {
		const provider = JSON.stringify(path.join(root, 'out/src/core/auth/msalTokenProvider.js'));
		const result = runFresh(`
			const loaded = () => Object.keys(require.cache).some((k) => k.includes('msal-node'));
			const m = require(${provider});
			require(${JSON.stringify(path.join(root, 'out/src/core/auth/permissionDiagnosis.js'))});
			const before = { cache: loaded(), flag: m.isMsalLoaded() };
			const p = new m.MsalTokenProvider({
				// Port 1 on loopback: refused at once; msal is loaded before the first request is sent.
				profile: { id: 'x', name: 'x', cloud: 'global', tenantId: 't', clientId: '11111111-1111-1111-1111-111111111111', credentialKind: 'secret', apiVersion: 'v1.0',
					emulator: { authority: 'https://127.0.0.1:1/t', graphHost: 'https://127.0.0.1:1', caCertPem: '', controlUrl: 'https://127.0.0.1:1/_emulator' } },
				getCredential: async () => ({ kind: 'secret', clientSecret: 's3cret-value' }),
			});
			p.getToken().catch((e) => e).then((e) => {
				console.log(JSON.stringify({ before, after: { cache: loaded(), flag: m.isMsalLoaded() }, error: e && e.code }));
				p.dispose();
			});
		`);
		assert.deepEqual(result.before, { cache: false, flag: false });
		assert.deepEqual(result.after, { cache: true, flag: true });
		assert.equal(result.error, 'ECONNREFUSED');
	});

	it('the extension bundle wraps msal-node so it only evaluates when required', () => {
		// esbuild's dev build keeps names: msal must be a lazily evaluated __commonJS module required in one place.
		const built = esbuild.buildSync({ entryPoints: [path.join(root, 'src/core/auth/msalTokenProvider.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
		const text = built.outputFiles[0].text;
		const calls = text.match(/require_msal_node\(\)/g) ?? [];
		assert.match(text, /var require_msal_node = __commonJS\(/);
		assert.equal(calls.length, 1, 'one call site: inside loadMsal()');
		assert.match(text, /msalModule \?\?= require_msal_node\(\)/);
	});
});
