import * as assert from 'node:assert/strict';
import { tunnelUrlFromAgentApi } from '../../src/core/tunnel/publicTunnel';
import { parseDevtunnelLine, parseNgrokLine, publicTunnelOrigin, scrubTunnelOutput } from '../../src/core/tunnel/tunnelOutput';
import { TUNNEL_PROVIDERS } from '../../src/core/tunnel/tunnelProviders';

const DT = TUNNEL_PROVIDERS.devtunnel;
const NG = TUNNEL_PROVIDERS.ngrok;

describe('tunnel output parsing', () => {
	it('devtunnel: the Teams quickstart output gives the standard-port URL and ready, never the inspect URL', () => {
		const lines = [
			'Connection to host tunnel relay restored.',
			'Hosting port: 3978',
			'Connect via browser: https://4r9dd5xj-3978.usw2.devtunnels.ms',
			'Inspect network activity: https://4r9dd5xj-3978-inspect.usw2.devtunnels.ms',
			'',
			'Ready to accept connections for tunnel: joyful-dog-xgz66vp.usw2',
		].map((l) => parseDevtunnelLine(l, DT));
		assert.deepEqual(lines, [{ kind: 'reconnected' }, undefined, { kind: 'url', url: 'https://4r9dd5xj-3978.usw2.devtunnels.ms' }, undefined, undefined, { kind: 'ready', tunnelId: 'joyful-dog-xgz66vp.usw2' }]);
	});

	it('devtunnel: of the two URLs newer CLIs print, the one without an explicit port; older "Hosting port N at URL" too', () => {
		assert.deepEqual(parseDevtunnelLine('Connect via browser: https://406cplzz.asse.devtunnels.ms:5000, https://406cplzz-5000.asse.devtunnels.ms', DT), { kind: 'url', url: 'https://406cplzz-5000.asse.devtunnels.ms' });
		assert.deepEqual(parseDevtunnelLine('Hosting port 5454 at https://l3rs99qw-5454.usw2.devtunnels.ms/', DT), { kind: 'url', url: 'https://l3rs99qw-5454.usw2.devtunnels.ms' });
		assert.deepEqual(parseDevtunnelLine('\x1b[32mConnect via browser: https://ab12cd34-80.euw.devtunnels.ms\x1b[0m', DT), { kind: 'url', url: 'https://ab12cd34-80.euw.devtunnels.ms' });
	});

	it('devtunnel: signed-out and relay messages', () => {
		for (const line of ["Tunnel service error: Request not permitted. Unauthorized tunnel creation access: Anonymous does not have 'create' access scope for The default tunnel domain.", 'Tunnel service response status code: Unauthorized']) {
			const e = parseDevtunnelLine(line, DT);
			assert.equal(e?.kind, 'failure');
			assert.equal(e?.kind === 'failure' && e.reason, 'notSignedIn');
		}
		assert.deepEqual(parseDevtunnelLine('Connection to host tunnel relay closed. Connection lost.. Reconnecting.', DT), { kind: 'disconnected' });
		assert.deepEqual(parseDevtunnelLine('ClientSSH: PortForwardingService connection  to localhost:7190 failed: No connection could be made', DT), { kind: 'localRefused' });
	});

	it('ngrok JSON log: the agent API address, the started tunnel, and ERR_NGROK codes', () => {
		assert.deepEqual(parseNgrokLine('{"addr":"127.0.0.1:4040","lvl":"info","msg":"starting web service","obj":"web","t":"2026-01-01T00:00:00Z"}', NG), { kind: 'webAddr', addr: '127.0.0.1:4040' });
		assert.deepEqual(parseNgrokLine('{"addr":"http://localhost:3978","lvl":"info","msg":"started tunnel","name":"command_line","obj":"tunnels","url":"https://1f2e-88-14-3-9.ngrok-free.app"}', NG), { kind: 'url', url: 'https://1f2e-88-14-3-9.ngrok-free.app' });
		const e4018 = parseNgrokLine('{"err":"authentication failed: Usage of ngrok requires a verified account and authtoken.\\r\\n\\r\\nERR_NGROK_4018\\r\\n","lvl":"eror","msg":"session closing"}', NG);
		assert.equal(e4018?.kind === 'failure' && e4018.reason, 'notSignedIn');
		const e108 = parseNgrokLine('ERROR:  authentication failed: Your account is limited to 1 simultaneous ngrok agent session. ERR_NGROK_108', NG);
		assert.equal(e108?.kind === 'failure' && e108.reason, 'sessionLimit');
	});

	it('scrubs an echoed authtoken, with or without knowing it', () => {
		assert.equal(scrubTunnelOutput('Your authtoken: 2abcSECRET_xyz', []), 'Your authtoken: [redacted]');
		assert.equal(scrubTunnelOutput('token 2abcSECRET_xyz in a line', ['2abcSECRET_xyz']), 'token [redacted] in a line');
	});

	it('ngrok agent API: the https tunnel for our port only', () => {
		const body = JSON.stringify({ tunnels: [
			{ public_url: 'https://other.ngrok-free.app', config: { addr: 'http://localhost:8080' } },
			{ public_url: 'https://d95211d2.ngrok.app', config: { addr: 'localhost:3978' } },
		] });
		assert.equal(tunnelUrlFromAgentApi(body, 3978, NG), 'https://d95211d2.ngrok.app');
		assert.equal(tunnelUrlFromAgentApi(body, 39780, NG), undefined);
		assert.equal(tunnelUrlFromAgentApi('not json', 3978, NG), undefined);
	});

	describe('attacks: an output line cannot inject a URL with another scheme or host', () => {
		const refused = [
			'http://abc-3978.usw2.devtunnels.ms',
			'https://evil.example.com',
			'https://devtunnels.ms',
			'https://abc.devtunnels.ms.evil.example.com',
			'https://evil.example.com/.devtunnels.ms',
			'https://evil.example.com#.devtunnels.ms',
			'https://evil.example.com?x=.devtunnels.ms',
			'https://user@abc-3978.usw2.devtunnels.ms',
			'https://abc-3978.usw2.devtunnels.ms:8443',
			'https://abc-3978.usw2.devtunnels.ms/api/calling',
			'https://abc_3978.usw2.devtunnels.ms',
			'javascript:alert(1)//.devtunnels.ms',
			'file:///etc/passwd',
		];
		for (const text of refused) {
			it(`refuses ${text}`, () => {
				assert.equal(publicTunnelOrigin(text, DT), undefined);
				const e = parseDevtunnelLine(`Connect via browser: ${text}`, DT);
				assert.notEqual(e?.kind, 'url');
				const n = parseNgrokLine(JSON.stringify({ lvl: 'info', msg: 'started tunnel', url: text }), NG);
				assert.notEqual(n?.kind, 'url');
			});
		}
		it('a devtunnels URL is not an ngrok URL and the reverse', () => {
			assert.equal(publicTunnelOrigin('https://abc-1.usw2.devtunnels.ms', NG), undefined);
			assert.equal(publicTunnelOrigin('https://abcd.ngrok-free.app', DT), undefined);
			assert.equal(publicTunnelOrigin('HTTPS://ABC-1.USW2.DEVTUNNELS.MS/', DT), 'https://abc-1.usw2.devtunnels.ms');
		});
	});
});
