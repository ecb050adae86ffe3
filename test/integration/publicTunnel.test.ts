import * as assert from 'node:assert/strict';
import { CallbackReceiver } from '../../src/core/callbacks/callbackReceiver';
import type { NotificationRecord } from '../../src/core/callbacks/notificationRecord';
import { PublicTunnel, TunnelStartError, type TunnelStatus } from '../../src/core/tunnel/publicTunnel';
import { probeCallbackReachability, type ReachabilityResult } from '../../src/core/tunnel/reachabilityProbe';
import { TUNNEL_PROVIDERS, type TunnelProviderId } from '../../src/core/tunnel/tunnelProviders';
import { TunnelWorld } from './support/tunnelWorld';
import { waitFor } from './support/waitFor';

const NGROK_TOKEN = '2abcDEFghiJKLmnoPQRstu_3vwxYZ0123456789abcdefGHIJ';

describe('public callback tunnel and reachability probe (stand-in devtunnel and ngrok in front of a local relay)', function () {
	this.timeout(20000);
	let world: TunnelWorld;
	let receiver: CallbackReceiver;
	let publicHosts: string[];
	let records: NotificationRecord[];
	const tunnels: PublicTunnel[] = [];

	beforeEach(async () => {
		world = await TunnelWorld.create({ ngrok: { authtokens: [NGROK_TOKEN] } });
		publicHosts = [];
		records = [];
		receiver = new CallbackReceiver({ authenticate: async () => ({ accept: false, valid: false, status: 401, reason: 'no token' }), publicHosts: () => publicHosts });
		receiver.onDidRecord((r) => records.push(r));
		await receiver.start();
	});

	afterEach(async () => {
		for (const t of tunnels.splice(0)) {
			await t.stop();
			t.dispose();
		}
		await receiver.stop();
		receiver.dispose();
		await world.dispose();
	});

	function tunnel(provider: TunnelProviderId, extra: Partial<ConstructorParameters<typeof PublicTunnel>[0]> = {}): PublicTunnel {
		const t = new PublicTunnel({ provider: TUNNEL_PROVIDERS[provider], port: receiver.port!, env: world.env(), startTimeoutMs: 8000, ...extra });
		tunnels.push(t);
		return t;
	}

	async function startAndExpose(provider: TunnelProviderId): Promise<{ t: PublicTunnel; url: string }> {
		const t = tunnel(provider, provider === 'ngrok' ? { extraEnv: { NGROK_AUTHTOKEN: NGROK_TOKEN }, secrets: [NGROK_TOKEN] } : {});
		const origin = await t.start();
		publicHosts.push(new URL(origin).host);
		return { t, url: `${origin}${receiver.callbackPath}` };
	}

	const probe = (url: string, extra = {}): Promise<ReachabilityResult> => probeCallbackReachability(url, { receiver, resolve: world.resolve, ca: [world.ca], timeoutMs: 5000, ...extra });

	for (const provider of ['devtunnel', 'ngrok'] as const) {
		it(`${provider}: starts, prints a URL under its domain, and a probe through it reaches the receiver without becoming a notification`, async () => {
			const { t, url } = await startAndExpose(provider);
			assert.equal(t.status.state, 'running');
			assert.match(url, provider === 'devtunnel' ? /^https:\/\/[a-z0-9]{8}-\d+\.usw2\.devtunnels\.ms\/api\/calling$/ : /^https:\/\/[0-9a-f]{4}-[0-9a-f]{4}\.ngrok-free\.app\/api\/calling$/);
			assert.deepEqual(world.hostedNames, [new URL(url).hostname], 'the stand-in registered exactly the name it printed');
			const result = await probe(url);
			assert.equal(result.ok, true, result.message);
			assert.equal(result.verified, true);
			assert.equal(result.arrivedPath, '/api/calling');
			assert.ok(typeof result.roundTripMs === 'number' && result.roundTripMs >= 0 && result.roundTripMs < 5000, `round trip ${result.roundTripMs}`);
			assert.ok(result.timings?.tlsMs !== undefined && result.timings.connectMs! <= result.timings.tlsMs, 'each stage timed in order');
			assert.equal(receiver.stats.probes, 1);
			assert.equal(receiver.stats.accepted, 0);
			assert.equal(records.length, 0, 'a probe is never recorded as a notification');
		});

		it(`${provider}: stopping the tunnel is reported as "tunnel not running", and stop ends the program`, async () => {
			const { t, url } = await startAndExpose(provider);
			await t.stop();
			assert.equal(t.status.state, 'stopped');
			assert.equal(t.status.unexpected, undefined);
			await waitFor('the relay to drop the host', () => world.hostedNames.length === 0);
			const result = await probe(url);
			assert.equal(result.failure, 'tunnelNotRunning', result.message);
			assert.equal(result.status, 404);
		});

		it(`${provider}: a stopped receiver is reported as "receiver not listening" (the tunnel answers 502)`, async () => {
			const { url } = await startAndExpose(provider);
			await receiver.stop();
			const result = await probe(url);
			assert.equal(result.failure, 'receiverNotListening', result.message);
			assert.equal(result.status, 502);
		});
	}

	it('a stopped forwarder is a TCP failure, a wrong certificate a TLS failure, an unknown name a DNS failure', async () => {
		const { url } = await startAndExpose('devtunnel');
		world.wrongCertificate = true;
		const tlsResult = await probe(url);
		assert.equal(tlsResult.failure, 'tls', tlsResult.message);
		assert.match(tlsResult.message, /does not trust|certificate/);
		world.wrongCertificate = false;
		const untrusted = await probe(url, { ca: [] });
		assert.equal(untrusted.failure, 'tls', 'a certificate from a CA this machine does not trust is a TLS failure');
		const dnsResult = await probe('https://no-such-tunnel.example.invalid/api/calling');
		assert.equal(dnsResult.failure, 'dns');
		assert.match(dnsResult.message, /no-such-tunnel\.example\.invalid does not resolve \(ENOTFOUND\)/);
		await world.stopForwarder();
		const tcpResult = await probe(url);
		assert.equal(tcpResult.failure, 'tcp', tcpResult.message);
		assert.match(tcpResult.message, /ECONNREFUSED/);
	});

	it('a URL whose path is not the receiver\'s callback path is reported as "wrong path" with where it arrived', async () => {
		const { url } = await startAndExpose('ngrok');
		const result = await probe(url.replace('/api/calling', '/api/messages'));
		assert.equal(result.failure, 'wrongPath');
		assert.equal(result.verified, true);
		assert.equal(result.arrivedPath, '/api/messages');
		assert.match(result.fix ?? '', /ngrok-free\.app\/api\/calling\.$/);
	});

	it('the receiver keeps its Host guard for probes: a public name it was not told about is refused (421), the probe does not count', async () => {
		const t = tunnel('devtunnel');
		const origin = await t.start();
		const result = await probe(`${origin}/api/calling`);
		assert.equal(result.failure, 'hostRefused');
		assert.equal(result.status, 421);
		assert.equal(receiver.stats.probes, 0);
	});

	it('devtunnel signed out: the start fails with "not signed in" and says how to sign in', async () => {
		await world.configure({ devtunnel: { signedIn: false } });
		const err = await tunnel('devtunnel').start().then(() => undefined, (e: unknown) => e);
		assert.ok(err instanceof TunnelStartError);
		assert.equal(err.reason, 'notSignedIn');
		assert.match(err.message, /devtunnel user login/);
	});

	it('ngrok without an authtoken fails with ERR_NGROK_4018; a revoked one fails and never shows up in errors or output', async () => {
		const missing = await tunnel('ngrok').start().then(() => undefined, (e: unknown) => e);
		assert.ok(missing instanceof TunnelStartError);
		assert.equal(missing.reason, 'notSignedIn');
		assert.match(missing.message, /ERR_NGROK_4018.*Set ngrok Authtoken/);
		const revoked = 'REVOKED_token_abcdefghijklmnopqrstuvwxyz0123456789';
		const t = tunnel('ngrok', { extraEnv: { NGROK_AUTHTOKEN: revoked }, secrets: [revoked] });
		const seen: string[] = [];
		t.onDidOutput((l) => seen.push(l));
		const bad = await t.start().then(() => undefined, (e: unknown) => e);
		assert.ok(bad instanceof TunnelStartError);
		assert.equal(bad.reason, 'badAuthtoken');
		const everything = [bad.message, ...bad.output, ...seen, t.status.message ?? ''].join('\n');
		assert.ok(seen.some((l) => /Your authtoken/.test(l)), 'the stand-in did echo the token line');
		assert.ok(!everything.includes(revoked) && !everything.includes(revoked.slice(0, 20)), 'the authtoken never appears');
	});

	it('neither program installed: the start says how to install it', async () => {
		const err = await new PublicTunnel({ provider: TUNNEL_PROVIDERS.devtunnel, port: receiver.port!, env: { PATH: world.dir } }).start().then(() => undefined, (e: unknown) => e);
		assert.ok(err instanceof TunnelStartError);
		assert.equal(err.reason, 'notInstalled');
		assert.match(err.message, /winget install Microsoft\.devtunnel.*https:\/\/learn\.microsoft\.com\/azure\/developer\/dev-tunnels\/get-started/);
	});

	it('a crash after start is reported as an unexpected stop with the program\'s last words', async () => {
		await world.configure({ devtunnel: { signedIn: true, crashAfterMs: 300 } });
		const t = tunnel('devtunnel');
		const states: TunnelStatus[] = [];
		t.onDidChangeState((s) => states.push(s));
		await t.start();
		const stopped = await waitFor('the crash', () => states.find((s) => s.state === 'stopped'), 5000);
		assert.equal(stopped.unexpected, true);
		assert.match(stopped.message ?? '', /exited with code 3.*no longer reaches the receiver.*told to crash/s);
		assert.equal(t.url, undefined);
	});

	describe('attacks: the output cannot choose the callback URL', () => {
		for (const printUrl of ['https://evil.example.com', 'http://abcd1234-3978.usw2.devtunnels.ms', 'https://devtunnels.ms.evil.example.com', 'https://user:pw@abcd1234-3978.usw2.devtunnels.ms', 'https://abcd1234-3978.usw2.devtunnels.ms/redirect?to=evil']) {
			it(`devtunnel printing ${printUrl} is refused`, async () => {
				await world.configure({ devtunnel: { signedIn: true, printUrl } });
				const err = await tunnel('devtunnel', { startTimeoutMs: 1500 }).start().then(() => undefined, (e: unknown) => e);
				assert.ok(err instanceof TunnelStartError, 'no URL was taken');
				assert.ok(['foreignUrl', 'timeout'].includes(err.reason), err.reason);
			});
		}
		it('ngrok reporting a public URL outside its domains (log and agent API) is refused', async () => {
			await world.configure({ ngrok: { authtokens: [NGROK_TOKEN], publicUrl: 'https://attacker.example.net' } });
			const err = await tunnel('ngrok', { extraEnv: { NGROK_AUTHTOKEN: NGROK_TOKEN }, startTimeoutMs: 1500 }).start().then(() => undefined, (e: unknown) => e);
			assert.ok(err instanceof TunnelStartError);
			assert.equal(err.reason, 'foreignUrl');
			assert.match(err.message, /attacker\.example\.net.*not under ngrok-free\.app/);
		});
	});
});
