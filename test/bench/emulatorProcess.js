// The emulator on its own: dist/emulator.js in its own process (as the extension and bot code run it), driven from
// this process at concurrency 32 with a mix of create, get, keepAlive, list participants, get, delete, webhooks
// posted to a local receiver. Then the same load again against an emulator that stamps each notification when its
// state change queues it, with the receiver in a third process stamping arrivals: webhook delivery latency.
// Prints {emulatorProcessActionsPerSec, emulatorActionsPerCpuSec, emulatorProcessWebhookP50Ms, ...P99Ms} as one JSON line.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');
const { Agent, request } = require('undici');
const { startEmulatorChild } = require('./emulatorChild');

const quick = process.argv.includes('--quick');
const measureMs = quick ? 3000 : 6000;
const CONCURRENCY = 32;
const ADELE = '0d5e1a6b-0001-4a00-8000-000000000001';
/** Delivery latency target under this load, 99th percentile. */
const P99_TARGET_MS = 20;

/** CPU seconds a process has used, from /proc (user + system ticks). */
function cpuSeconds(pid) {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// Clock ticks are 1/100 s on Linux (getconf CLK_TCK).
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Drives `emu` at concurrency 32 (create, get, keepAlive, list participants, get, delete per call) with webhooks to
 * `callbackUri`; measures `measureMs` after a one-second warm-up. `around` runs at the start and end of the window.
 */
async function drive(emu, callbackUri, around = () => undefined) {
	const agent = new Agent({ connections: CONCURRENCY, connect: { ca: emu.caCertPem } });
	try {
		const tokenRes = await request(`${emu.authority}/oauth2/v2.0/token`, {
			dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
		});
		const headers = { authorization: `Bearer ${(await tokenRes.body.json()).access_token}`, 'content-type': 'application/json' };
		const createBody = JSON.stringify({
			'@odata.type': '#microsoft.graph.call', callbackUri, requestedModalities: ['audio'],
			mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, tenantId: emu.tenantId,
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: ADELE } } }],
		});
		let actions = 0;
		const failures = [];
		const act = async (method, p, body) => {
			const res = await request(emu.graphBaseUrl + p, { dispatcher: agent, method, headers, body });
			const text = await res.body.text();
			actions++;
			if (res.statusCode >= 400 && failures.length < 3) failures.push(`${method} ${p} -> ${res.statusCode} ${text.slice(0, 160)}`);
			return text;
		};
		let stop = false;
		const worker = async () => {
			while (!stop) {
				const call = JSON.parse(await act('POST', '/communications/calls', createBody));
				const p = `/communications/calls/${call.id}`;
				await act('GET', p);
				await act('POST', `${p}/keepAlive`);
				await act('GET', `${p}/participants`);
				await act('GET', p);
				await act('DELETE', p);
			}
		};
		const workers = Array.from({ length: CONCURRENCY }, worker);
		await new Promise((r) => setTimeout(r, 1000)); // warm-up
		const a0 = actions, t0 = Date.now();
		const w0 = await around('start');
		await new Promise((r) => setTimeout(r, measureMs));
		const a1 = actions, t1 = Date.now();
		const w1 = await around('end');
		stop = true;
		await Promise.all(workers);
		if (failures.length) throw new Error(`the emulator answered errors: ${failures.join('; ')}`);
		return { actions: a1 - a0, ms: t1 - t0, w0, w1 };
	} finally {
		await agent.close();
	}
}

async function throughput() {
	const emu = await startEmulatorChild();
	const receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(202).end()));
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	try {
		const r = await drive(emu, `http://127.0.0.1:${receiver.address().port}/api/calling`, () => cpuSeconds(emu.pid));
		return {
			emulatorProcessActionsPerSec: Math.round(r.actions / (r.ms / 1000)),
			emulatorActionsPerCpuSec: Math.round(r.actions / (r.w1 - r.w0)),
		};
	} finally {
		receiver.close();
		await emu.stop();
	}
}

/** Starts a child with an IPC channel; resolves with it and its first message or ready line. */
function startChild(file, args, firstFrom) {
	const child = fork(file, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
	return new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`${path.basename(file)} exited (${code}) before it was ready`)));
		if (firstFrom === 'ipc') child.once('message', (m) => resolve({ child, ready: m }));
		else {
			let buffered = '';
			child.stdout.on('data', (d) => {
				buffered += d;
				const nl = buffered.indexOf('\n');
				if (nl >= 0) resolve({ child, ready: JSON.parse(buffered.slice(0, nl)) });
			});
		}
	});
}

const ask = (child, what) => new Promise((resolve) => {
	child.once('message', resolve);
	child.send(what);
});

/**
 * Delivery latency: the emulator's state change queueing a notification (stamped in the emulator process) to the
 * receiver having the whole POST (stamped in the receiver's process), for notifications queued inside the window.
 */
async function deliveryLatency() {
	const outfile = path.resolve(__dirname, '../../.cache/bench/emulatorStamped.js');
	await esbuild.build({ entryPoints: [path.join(__dirname, 'emulatorStamped.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'error' });
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcw-bench-emu-'));
	const emulator = await startChild(outfile, ['--state-dir', stateDir], 'stdout');
	const receiver = await startChild(path.join(__dirname, 'webhookReceiverChild.js'), [], 'ipc');
	try {
		const emu = { ...emulator.ready, caCertPem: fs.readFileSync(emulator.ready.caCertFile, 'utf8') };
		const windowStart = performance.timeOrigin + performance.now();
		let windowEnd = 0;
		await drive(emu, `http://127.0.0.1:${receiver.ready.port}/api/calling`, (at) => {
			if (at === 'end') windowEnd = performance.timeOrigin + performance.now();
		});
		// The emulator answers once its webhook queues are empty; then the receiver has every POST that was answered.
		const { stamps } = await ask(emulator.child, 'stamps');
		const { arrivals } = await ask(receiver.child, 'arrivals');
		const byKey = new Map();
		for (const [key, t] of arrivals) {
			if (!byKey.has(key)) byKey.set(key, []);
			byKey.get(key).push(t);
		}
		const latencies = [];
		let inWindow = 0;
		for (const [key, t] of stamps) {
			const arrived = byKey.get(key)?.shift();
			if (t < windowStart + 1000 || t > windowEnd) continue;
			inWindow++;
			if (arrived !== undefined) latencies.push(arrived - t);
		}
		if (latencies.length < 100 || latencies.length < inWindow * 0.99) throw new Error(`only ${latencies.length} of ${inWindow} notifications were matched between the emulator and the receiver`);
		latencies.sort((a, b) => a - b);
		const pct = (p) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))];
		const round1 = (n) => Math.round(n * 10) / 10;
		return { emulatorProcessWebhookP50Ms: round1(pct(50)), emulatorProcessWebhookP99Ms: round1(pct(99)), emulatorProcessWebhookP99MeetsTarget: pct(99) <= P99_TARGET_MS, emulatorProcessWebhooksMeasured: latencies.length };
	} finally {
		emulator.child.disconnect();
		receiver.child.disconnect();
		await Promise.all([emulator.child, receiver.child].map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
		fs.rmSync(stateDir, { recursive: true, force: true });
	}
}

async function main() {
	const only = process.argv.includes('--latency-only');
	const result = only ? {} : await throughput();
	Object.assign(result, await deliveryLatency());
	console.log(JSON.stringify(result));
}

main().catch((err) => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
