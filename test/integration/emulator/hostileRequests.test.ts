import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { startEmulator, type EmulatorHandle } from '../../../src/core/emulator';
import { testStateDir } from '../support/emulatorFixture';

interface Reply {
	status: number;
	text: string;
}

/** One HTTPS request to the emulator's port with exactly the headers a hostile page or tool would send. */
function send(emu: EmulatorHandle, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
	return new Promise((resolve, reject) => {
		// servername pinned: Node would otherwise take it from the forged Host header and fail the TLS name check first.
		const req = https.request({ host: '127.0.0.1', servername: 'localhost', port: emu.port, method, path, headers, ca: emu.caCertPem, agent: false }, (res) => {
			let text = '';
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** A web page in the developer's browser attacks the emulator: DNS rebinding and cross-site "simple" requests. */
describe('emulator: hostile requests', function () {
	this.timeout(20_000);
	let emu: EmulatorHandle;
	let own: string;

	before(async () => {
		emu = await startEmulator({ stateDir: testStateDir() });
		own = `127.0.0.1:${emu.port}`;
	});
	after(async () => {
		await emu?.stop();
	});

	it('DNS rebinding: requests naming a foreign host get 421 with the reason, and no state, token or call', async () => {
		const attacker = `rebind.attacker.example:${emu.port}`;
		const state = await send(emu, 'GET', '/_emulator/state', { host: attacker });
		assert.equal(state.status, 421);
		const error = JSON.parse(state.text).error as { code: string; message: string };
		assert.equal(error.code, 'MisdirectedRequest');
		assert.match(error.message, /Host header "rebind\.attacker\.example:\d+" is not an address this server serves/);
		assert.doesNotMatch(state.text, /"calls"|"apps"/);
		// The demo credentials are public, so the token endpoint must not answer the page either.
		const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString();
		const token = await send(emu, 'POST', `/${emu.tenantId}/oauth2/v2.0/token`, { host: attacker, 'content-type': 'application/x-www-form-urlencoded' }, form);
		assert.equal(token.status, 421);
		assert.doesNotMatch(token.text, /access_token/);
		const before = emu.emulator.engine.list().length;
		const incoming = await send(emu, 'POST', '/_emulator/incomingCall', { host: attacker, 'content-type': 'application/json' }, JSON.stringify({ from: { phone: '+14255550101' }, callbackUri: 'https://attacker.example/cb' }));
		assert.equal(incoming.status, 421);
		assert.equal(emu.emulator.engine.list().length, before, 'no call placed');
		// The port alone is not enough: the same name on another port is another server.
		assert.equal((await send(emu, 'GET', '/_emulator/state', { host: `127.0.0.1:${emu.port + 1}` })).status, 421);
	});

	it('a cross-site simple POST (text/plain, foreign Origin) is refused with 403 and changes nothing', async () => {
		assert.equal((await send(emu, 'PUT', '/_emulator/faults', { host: own, 'content-type': 'application/json' }, JSON.stringify({ spec: '503:1@call.get' }))).status, 200);
		const reset = await send(emu, 'POST', '/_emulator/reset', { host: own, origin: 'https://attacker.example', 'content-type': 'text/plain' }, '{}');
		assert.equal(reset.status, 403);
		assert.match(JSON.parse(reset.text).error.message, /web origin "https:\/\/attacker\.example" are refused/);
		const faults = JSON.parse((await send(emu, 'GET', '/_emulator/faults', { host: own })).text) as { faults: { rules: unknown[] } };
		assert.equal(faults.faults.rules.length, 1, 'the reset did not happen');
		// A sandboxed page sends Origin: null; that is foreign too.
		assert.equal((await send(emu, 'POST', '/_emulator/faults/counters/reset', { host: own, origin: 'null', 'content-type': 'application/json' }, '{}')).status, 403);
	});

	it('a control POST that is not application/json gets 415 even without an Origin, and does nothing', async () => {
		const before = emu.emulator.engine.list().length;
		const body = JSON.stringify({ from: { phone: '+14255550101' }, callbackUri: 'https://contoso.example/cb' });
		const plain = await send(emu, 'POST', '/_emulator/incomingCall', { host: own, 'content-type': 'text/plain' }, body);
		assert.equal(plain.status, 415);
		assert.match(JSON.parse(plain.text).error.message, /Content-Type: application\/json/);
		const form = await send(emu, 'POST', '/_emulator/reset', { host: own, 'content-type': 'application/x-www-form-urlencoded' }, 'a=b');
		assert.equal(form.status, 415);
		const none = await send(emu, 'POST', '/_emulator/reset', { host: own });
		assert.equal(none.status, 415);
		assert.equal(emu.emulator.engine.list().length, before, 'no call placed');
	});

	it('started from code, it refuses a non-loopback host unless allowRemote is set', async () => {
		await assert.rejects(startEmulator({ host: '0.0.0.0', stateDir: testStateDir() }), /Refusing to listen on 0\.0\.0\.0.*allowRemote/);
	});

	it('the emulator\'s own names and origin still get through (the rules refuse only what is foreign)', async () => {
		for (const host of [own, `localhost:${emu.port}`, `LOCALHOST:${emu.port}`]) {
			assert.equal((await send(emu, 'GET', '/_emulator/clock', { host })).status, 200, host);
		}
		const sameOrigin = await send(emu, 'POST', '/_emulator/faults/counters/reset', { host: own, origin: `https://${own}`, 'content-type': 'application/json; charset=utf-8' }, '');
		assert.equal(sameOrigin.status, 200);
	});
});
