// The emulator on its own: dist/emulator.js in its own process (as the extension and bot code run it), driven from
// this process at concurrency 32 with a mix of create, get, keepAlive, list participants, get, delete, webhooks
// posted to a local receiver. Prints {emulatorProcessActionsPerSec, emulatorActionsPerCpuSec} as one JSON line.
const fs = require('node:fs');
const http = require('node:http');
const { Agent, request } = require('undici');
const { startEmulatorChild } = require('./emulatorChild');

const quick = process.argv.includes('--quick');
const measureMs = quick ? 3000 : 6000;
const CONCURRENCY = 32;
const ADELE = '0d5e1a6b-0001-4a00-8000-000000000001';

/** CPU seconds a process has used, from /proc (user + system ticks). */
function cpuSeconds(pid) {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// Clock ticks are 1/100 s on Linux (getconf CLK_TCK).
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
	const emu = await startEmulatorChild();
	const receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(202).end()));
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	const agent = new Agent({ connections: CONCURRENCY, connect: { ca: emu.caCertPem } });
	try {
		const tokenRes = await request(`${emu.authority}/oauth2/v2.0/token`, {
			dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
		});
		const headers = { authorization: `Bearer ${(await tokenRes.body.json()).access_token}`, 'content-type': 'application/json' };
		const createBody = JSON.stringify({
			'@odata.type': '#microsoft.graph.call', callbackUri: `http://127.0.0.1:${receiver.address().port}/api/calling`, requestedModalities: ['audio'],
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
		const a0 = actions, c0 = cpuSeconds(emu.pid), t0 = Date.now();
		await new Promise((r) => setTimeout(r, measureMs));
		const a1 = actions, c1 = cpuSeconds(emu.pid), t1 = Date.now();
		stop = true;
		await Promise.all(workers);
		if (failures.length) throw new Error(`the emulator answered errors: ${failures.join('; ')}`);
		console.log(JSON.stringify({
			emulatorProcessActionsPerSec: Math.round((a1 - a0) / ((t1 - t0) / 1000)),
			emulatorActionsPerCpuSec: Math.round((a1 - a0) / (c1 - c0)),
		}));
	} finally {
		receiver.close();
		await agent.close();
		await emu.stop();
	}
}

main().catch((err) => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
