/**
 * The sample bots in examples/ run as their own processes with the bot contract's environment against the
 * emulator: someone calls them, presses keys, and the emulator's control API shows what the bot did.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import * as path from 'node:path';
import { request, type Agent } from 'undici';
import { EMULATOR_PEOPLE, startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/core/emulator';
import { botContractEnv, repoRoot, requirePython3, startBot, type BotProcess } from './support/botProcess';
import { control, emulatorAgent } from './support/emulatorAuth';
import { testStateDir } from './support/emulatorFixture';

interface SampleBot {
	readonly name: string;
	/** Builds what needs building; returns the command line. */
	prepare(): Promise<{ command: string; args: string[] }>;
}

const SAMPLE_BOTS: SampleBot[] = [
	{
		name: 'node-bot (TypeScript, undici + msal-node)',
		// start.js bundles src/ with esbuild when dist/ is missing or stale, then runs the bot: one command, as a runner uses it.
		prepare: async () => ({ command: process.execPath, args: [path.join(repoRoot, 'examples/node-bot/start.js')] }),
	},
	{
		name: 'python-bot (standard library only)',
		async prepare() {
			requirePython3();
			return { command: 'python3', args: [path.join(repoRoot, 'examples/python-bot/bot.py')] };
		},
	},
];

const TRANSFER_TARGET = '+14255550101'; // the emulator's PSTN number that answers
const BUSY_NUMBER = '+14255550102';

interface CallSnapshot {
	call: { id: string; state: string; callbackUri: string; requestedModalities: string[]; mediaConfig?: { '@odata.type': string } };
	subscribedToTone: boolean;
	operations: { '@odata.type': string; status: string; clientContext: string | null }[];
}

interface Harness {
	emu: EmulatorHandle;
	reset(): Promise<void>;
	agent: Agent;
	bot: BotProcess;
	/** Someone calls the bot (its URL is the app's calling webhook); returns the call id. */
	ring(from?: { userId?: string; phone?: string }): Promise<string>;
	call(id: string): Promise<CallSnapshot | undefined>;
	ended(id: string): Promise<{ code: number; subcode: number } | undefined>;
	pressKeys(id: string, keys: string): Promise<{ delivered: number }>;
	waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
}

type BotOptions = { clockSpeed?: number; env?: Record<string, string>; timings?: EmulatorOptions['timings']; apps?: EmulatorOptions['apps'] };

/** A fresh emulator and the bot as its own process, the bot's URL being the app's calling webhook. */
async function openHarness(sample: SampleBot, options: BotOptions): Promise<Harness & { close(): Promise<void> }> {
	const { command, args } = await sample.prepare();
	const clockSpeed = options.clockSpeed ?? 1;
	const emu = await startEmulator({ stateDir: testStateDir(), clockSpeed, timings: options.timings, apps: options.apps });
	const agent = emulatorAgent(emu.caCertPem);
	let bot: BotProcess;
	try {
		bot = await startBot(command, args, { ...botContractEnv(emu, clockSpeed), BOT_TRANSFER_TARGET: TRANSFER_TARGET, ...options.env });
	} catch (err) {
		await agent.close();
		await emu.stop();
		throw err;
	}
	const h = {
		emu, agent, bot,
		/** Fresh emulator state for the next test; the bot keeps running, as it would between real calls. */
		async reset() {
			assert.equal((await control(emu, agent, 'POST', '/reset')).status, 204);
			bot.lines.length = 0;
			// The bot's URL becomes the app's calling webhook, as in the Teams channel settings (and as
			// src/core/callbacks/emulatorCallingWebhook.ts does for the receiver).
			const patched = await control(emu, agent, 'PATCH', `/apps/${encodeURIComponent(emu.clientId)}`, { callingWebhook: bot.url });
			assert.equal(patched.status, 200, JSON.stringify(patched.body));
		},
		async ring(from = { userId: EMULATOR_PEOPLE.adele.id }) {
			const r = await control(emu, agent, 'POST', '/incomingCall', { from });
			assert.equal(r.status, 201, JSON.stringify(r.body));
			return r.body.callId as string;
		},
		async call(id: string) {
			const st = await control(emu, agent, 'GET', '/state');
			return (st.body.calls as CallSnapshot[]).find((c) => c.call.id === id);
		},
		async ended(id: string) {
			const st = await control(emu, agent, 'GET', '/state');
			return (st.body.endedCalls as { id: string; resultInfo: { code: number; subcode: number } }[]).find((c) => c.id === id)?.resultInfo;
		},
		async pressKeys(id: string, keys: string) {
			const r = await control(emu, agent, 'POST', `/calls/${id}/keys`, { keys });
			assert.equal(r.status, 200, JSON.stringify(r.body));
			return r.body;
		},
		async waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10000): Promise<T> {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const v = await probe();
				if (v !== undefined && v !== false) return v;
				if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\nbot stdout:\n${bot.lines.join('\n')}`);
				await new Promise((r) => setTimeout(r, 25));
			}
		},
		async close() {
			try {
				// SIGTERM: a clean exit, as the runner expects.
				assert.equal(await bot.stop(), 0, 'the bot exits with 0 on SIGTERM');
			} finally {
				await agent.close();
				await emu.stop();
			}
		},
	};
	await h.reset();
	return h;
}

/** A bot of its own for a test that needs other options (clock speed, transfer target, apps). */
async function withBot(sample: SampleBot, options: BotOptions, body: (h: Harness) => Promise<void>): Promise<void> {
	const h = await openHarness(sample, options);
	let passed = false;
	try {
		await body(h);
		passed = true;
	} finally {
		if (passed) await h.close();
		else await h.close().catch(() => undefined);
	}
}

/** Rings the bot and waits until it answered, subscribed to tones and started the menu prompt. */
async function ringAndReachMenu(h: Harness): Promise<{ id: string; snapshot: CallSnapshot }> {
	const id = await h.ring();
	const snapshot = await h.waitUntil('the bot to answer, subscribe to tones and play the menu', async () => {
		const c = await h.call(id);
		return c && c.call.state === 'established' && c.subscribedToTone && c.operations.some((o) => o['@odata.type'] === '#microsoft.graph.playPromptOperation' && o.clientContext === 'menu') ? c : undefined;
	});
	return { id, snapshot };
}

const promptsWith = (c: CallSnapshot | undefined, clientContext: string) => (c?.operations ?? []).filter((o) => o['@odata.type'] === '#microsoft.graph.playPromptOperation' && o.clientContext === clientContext);

for (const sample of SAMPLE_BOTS) {
	describe(`sample bot: ${sample.name}`, function () {
		this.timeout(60000);

		// One emulator and one bot process for the tests with default options; each test starts from a reset emulator.
		let shared: Awaited<ReturnType<typeof openHarness>> | undefined;
		const withSharedBot = async (body: (h: Harness) => Promise<void>) => {
			shared ??= await openHarness(sample, {});
			await body(shared);
		};
		beforeEach(async () => {
			await shared?.reset();
		});
		after(async () => {
			await shared?.close();
			shared = undefined;
		});

		it('refuses to start on a broken contract: exit 1 and a sentence naming the variable, never a listening line', async () => {
			const { command, args } = await sample.prepare();
			const env = { GRAPH_BASE_URL: 'https://127.0.0.1:1/v1.0', GRAPH_AUTHORITY: 'https://127.0.0.1:1/tenant', GRAPH_TENANT_ID: 't', GRAPH_CLIENT_ID: 'c', GRAPH_CALLBACK_OPENID_CONFIGURATION: 'https://127.0.0.1:1/v1/.well-known/OpenIdConfiguration', BOT_PORT: '0' };
			await assert.rejects(startBot(command, args, env), (err: Error) => /exited \(code 1\)/.test(err.message) && /GRAPH_CLIENT_SECRET is not set/.test(err.message));
			await assert.rejects(startBot(command, args, { ...env, GRAPH_CLIENT_SECRET: 's', GRAPH_BASE_URL: 'https://127.0.0.1:1/beta' }), (err: Error) => /exited \(code 1\)/.test(err.message) && /GRAPH_BASE_URL must end in \/v1\.0/.test(err.message));
		});

		it('answers an incoming call with audio and its callback URL, subscribes to tones and plays the menu', async () => {
			await withSharedBot(async (h) => {
				const { id, snapshot } = await ringAndReachMenu(h);
				assert.equal(snapshot.call.callbackUri, h.bot.url, 'answer carried the bot\'s callbackUri');
				assert.deepEqual(snapshot.call.requestedModalities, ['audio'], 'acceptedModalities ["audio"]');
				assert.equal(snapshot.call.mediaConfig?.['@odata.type'], '#microsoft.graph.serviceHostedMediaConfig');
				assert.ok(snapshot.operations.some((o) => o['@odata.type'] === '#microsoft.graph.subscribeToToneOperation'));
				// The menu prompt finishes (a deleted operation notification) and the bot logs it, one line per event.
				await h.bot.waitForLine(new RegExp(`operation call=${id} .*type=playPromptOperation status=completed clientContext=menu`), 10000, 'the menu prompt\'s completion');
				for (const event of ['call.incoming', 'call.answered', 'call.established', 'tones.subscribed', 'prompt.started']) {
					assert.ok(h.bot.lines.some((l) => new RegExp(`^\\S+ ${event.replace('.', '\\.')} call=${id}`).test(l)), `the bot logged ${event}`);
				}
			});
		});

		it('DTMF 2 plays the opening hours, then hangs up', async () => {
			await withSharedBot(async (h) => {
				const { id } = await ringAndReachMenu(h);
				assert.deepEqual(await h.pressKeys(id, '2'), { delivered: 1 }, 'the key reached the bot as a tone notification');
				const ended = await h.waitUntil('the bot to hang up', () => h.ended(id));
				assert.deepEqual({ code: ended.code, subcode: ended.subcode }, { code: 200, subcode: 7000 }, 'ended by the bot (DELETE)');
				await h.bot.waitForLine(new RegExp(`operation call=${id} .*status=completed clientContext=hours-then-hang-up`), 5000, 'the hours prompt\'s completion');
				const hungUpAt = h.bot.lines.findIndex((l) => l.includes(`call.hungUp call=${id}`));
				const hoursDoneAt = h.bot.lines.findIndex((l) => new RegExp(`operation call=${id} .*clientContext=hours-then-hang-up`).test(l));
				assert.ok(hoursDoneAt >= 0 && hungUpAt > hoursDoneAt, 'hung up after the hours prompt finished, not before');
				assert.ok(h.bot.lines.some((l) => l.includes(`dtmf call=${id} tone=tone2`)));
			});
		});

		it('DTMF 0 hangs up at once, without another prompt', async () => {
			await withSharedBot(async (h) => {
				const { id } = await ringAndReachMenu(h);
				const before = await h.call(id);
				await h.pressKeys(id, '0');
				const ended = await h.waitUntil('the bot to hang up', () => h.ended(id));
				assert.deepEqual({ code: ended.code, subcode: ended.subcode }, { code: 200, subcode: 7000 });
				assert.equal(promptsWith(before, 'hours-then-hang-up').length, 0);
				await h.bot.waitForLine(new RegExp(`call.terminated call=${id} .*code=200 subcode=7000`), 5000, 'the terminated notification');
				assert.ok(!h.bot.lines.some((l) => new RegExp(`prompt.started call=${id} prompt=hours.wav`).test(l)), 'no hours prompt on 0');
			});
		});

		it('DTMF 1 transfers the caller to the PSTN number (transferring, accepted, terminated 7015)', async () => {
			await withSharedBot(async (h) => {
				const { id } = await ringAndReachMenu(h);
				await h.pressKeys(id, '1');
				const outcome = await h.waitUntil<{ refused?: string; ended?: { code: number; subcode: number } }>('the transfer to end the call or be refused', async () => {
					const refused = h.bot.lines.find((l) => l.includes(`transfer.refused call=${id}`));
					if (refused) return { refused };
					const ended = await h.ended(id);
					return ended ? { ended } : undefined;
				});
				assert.ok(outcome.ended, `the transfer was refused: ${outcome.refused}`);
				assert.deepEqual({ code: outcome.ended.code, subcode: outcome.ended.subcode }, { code: 200, subcode: 7015 }, 'transfer completed');
				await h.bot.waitForLine(new RegExp(`transfer.requested call=${id} target=\\${TRANSFER_TARGET}`), 5000, 'the transfer request');
				await h.bot.waitForLine(new RegExp(`call.terminated call=${id} .*subcode=7015`), 5000, 'the terminated notification');
			});
		});

		it('DTMF 1 to a PSTN number that is busy: the transfer fails, the call stays up and the caller hears the menu again', async () => {
			await withBot(sample, { env: { BOT_TRANSFER_TARGET: BUSY_NUMBER } }, async (h) => {
				const { id } = await ringAndReachMenu(h);
				await h.pressKeys(id, '1');
				const line = await h.bot.waitForLine(new RegExp(`transfer\\.(failed|refused) call=${id}`), 10000, 'the failed transfer');
				assert.match(line, /transfer\.failed .*code=486/, 'Graph puts the call back to established with the callee\'s 486');
				await h.waitUntil('the menu again', async () => promptsWith(await h.call(id), 'menu').length >= 2);
				assert.equal((await h.call(id))?.call.state, 'established');
				assert.equal(await h.ended(id), undefined);
			});
		});

		it('any other key plays the menu again', async () => {
			await withSharedBot(async (h) => {
				const { id } = await ringAndReachMenu(h);
				await h.pressKeys(id, '#');
				await h.waitUntil('a second menu prompt', async () => promptsWith(await h.call(id), 'menu').length >= 2);
				assert.equal((await h.call(id))?.call.state, 'established');
			});
		});

		it('keeps a two-hour call alive on an accelerated clock (keepAlive every 15 emulated minutes, GRAPH_CLOCK_RATE)', async () => {
			const speed = 1440; // 45 emulated minutes pass in under 2 s
			// The accelerated clock would also shrink the 15 s answer window to 10 ms, which no bot meets over HTTP:
			// keep that one window at 15 s of real time.
			await withBot(sample, { clockSpeed: speed, timings: { answerWindowMs: 15000 * speed } }, async (h) => {
				const { id } = await ringAndReachMenu(h);
				const clock = async () => Date.parse((await control(h.emu, h.agent, 'GET', '/clock')).body.now as string);
				const start = await clock();
				// Two emulated hours: the emulator ends a call after 45 minutes without keepAlive (408/8537).
				await h.waitUntil('two emulated hours to pass', async () => (await clock()) - start >= 2 * 60 * 60_000, 15000);
				assert.equal(await h.ended(id), undefined, `the call ended: ${JSON.stringify(await h.ended(id))}`);
				assert.equal((await h.call(id))?.call.state, 'established');
				const keepAlives = h.bot.lines.filter((l) => l.includes(`keepAlive call=${id}`)).length;
				assert.ok(keepAlives >= (2 * 60) / 15 - 1, `${keepAlives} keepAlive requests in two emulated hours`);
				assert.ok(keepAlives <= (2 * 60) / 15 + 3, `${keepAlives} keepAlive requests: the bot scales its timer by GRAPH_CLOCK_RATE, it does not spin`);
			});
		});

		it('attack: forged notifications (no token, a token signed by another key with the real kid, alg none) get 403 and answer nothing', async () => {
			await withSharedBot(async (h) => {
				// A real incoming call whose notifications go elsewhere: the attacker knows its id and posts "incoming" to the bot.
				const r = await control(h.emu, h.agent, 'POST', '/incomingCall', { from: { userId: EMULATOR_PEOPLE.adele.id }, callbackUri: 'http://127.0.0.1:9/unreachable' });
				const id = r.body.callId as string;
				const body = JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'created', resourceUrl: `/communications/calls/${id}`, resourceData: r.body.call }] });
				const realKid = await publishedKid(h);
				const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
				const now = Math.floor(Date.now() / 1000);
				const claims = { iss: 'https://api.botframework.com', aud: h.emu.clientId, tid: h.emu.tenantId, iat: now, nbf: now - 5, exp: now + 3600 };
				const forged = jwt({ alg: 'RS256', kid: realKid, typ: 'JWT' }, claims, (data) => sign('RSA-SHA256', data, privateKey));
				const none = jwt({ alg: 'none', kid: realKid, typ: 'JWT' }, claims, () => Buffer.alloc(0));
				for (const [what, authorization] of [['no token', undefined], ['forged signature', `Bearer ${forged}`], ['alg none', `Bearer ${none}`]] as const) {
					const res = await request(h.bot.url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
					await res.body.dump();
					assert.equal(res.statusCode, 403, what);
				}
				await h.bot.waitForLine(/callback\.rejected reason="?alg none/, 5000, 'the alg none rejection');
				await new Promise((r) => setTimeout(r, 300));
				assert.equal((await h.call(id))?.call.state, 'incoming', 'the bot did not answer a forged notification');
				assert.ok(!h.bot.lines.some((l) => l.includes(`call.incoming call=${id}`)));
				assert.equal(h.bot.lines.filter((l) => l.includes('callback.rejected')).length, 3);
			});
		});

		it('attack: a notification the service really signed, but for another app of the tenant, gets 403 and is not answered', async () => {
			const otherApp = '5e2f0a3b-7b8c-4d9e-8f1a-2b3c4d5e6f70';
			await withBot(sample, { apps: [{ clientId: otherApp, displayName: 'Another bot', secrets: [], certificates: [], roles: [] }] }, async (h) => {
				// The other app's incoming call is posted to our bot's URL: same issuer, same keys, audience = the other app.
				const r = await control(h.emu, h.agent, 'POST', '/incomingCall', { from: { userId: EMULATOR_PEOPLE.adele.id }, callbackUri: h.bot.url, appId: otherApp });
				assert.equal(r.status, 201, JSON.stringify(r.body));
				const id = r.body.callId as string;
				const delivery = await h.waitUntil('the emulator\'s delivery to the bot', async () => {
					const n = await control(h.emu, h.agent, 'GET', '/notifications');
					return (n.body.value as { callbackUri: string; status?: number; notifications: { resourceUrl: string }[] }[]).find((d) => d.callbackUri === h.bot.url && d.notifications.some((x) => x.resourceUrl === `/communications/calls/${id}`));
				});
				assert.equal(delivery.status, 403, 'the bot refused the other app\'s notification');
				await h.bot.waitForLine(/callback\.rejected reason="audience/, 5000, 'the audience rejection');
				assert.equal((await h.call(id))?.call.state, 'incoming', 'the bot did not answer another app\'s call');
			});
		});
	});
}

async function publishedKid(h: Harness): Promise<string> {
	const get = async (url: string) => {
		const res = await request(url, { dispatcher: h.agent });
		return (await res.body.json()) as Record<string, any>;
	};
	const config = await get(h.emu.webhookOpenIdConfigurationUrl);
	return (await get(config.jwks_uri)).keys[0].kid as string;
}

function jwt(header: object, claims: object, signer: (data: Buffer) => Buffer): string {
	const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const input = `${enc(header)}.${enc(claims)}`;
	return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}
