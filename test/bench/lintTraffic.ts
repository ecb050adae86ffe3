/**
 * Lint over a 10,000-entry traffic record, as `graph-calls lint FILE.har` does it (read the text, parse and check
 * it, run every rule), against `JSON.parse` of the same text measured in the same interleaved rounds. The record is
 * 400 calls of 25 exchanges each: create, establishing/established notifications, participants updates, keepAlives
 * every 15 emulated minutes, a prompt and its completion, hang-up and terminated; every tenth call breaks a rule.
 */
import { harEntry, type HarEntry } from '../../src/core/traffic/har';
import { parseHar } from '../../src/core/traffic/harReader';
import { lintTraffic } from '../../src/core/traffic/lint';
import { buildTrafficLog } from '../../src/core/traffic/trafficRecord';
import { median, round } from './stats';

const GRAPH = 'https://graph.microsoft.com/v1.0/communications/calls';
const CALLBACK = 'https://bot.contoso.com/api/calls';
const MIN = 60_000;

function entry(direction: 'out' | 'in', t: number, method: string, url: string, body: unknown, status: number, response?: unknown): HarEntry {
	return harEntry({
		direction,
		startedDateTime: new Date(t).toISOString(),
		durationMs: direction === 'in' ? 8 : 90,
		method,
		url,
		requestHeaders: { 'content-type': 'application/json', 'client-request-id': '11111111-2222-4333-8444-555555555555' },
		requestBody: body,
		status,
		responseHeaders: { 'content-type': 'application/json', 'request-id': 'bench' },
		responseBody: response,
	});
}

const note = (callId: string, data: unknown, changeType = 'updated', rest = '') => ({
	'@odata.type': '#microsoft.graph.commsNotifications',
	value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl: `/communications/calls/${callId.replace(/-/g, '').toUpperCase()}${rest}`, resourceData: data }],
});

function callEntries(i: number, t0: number): HarEntry[] {
	const id = `${i.toString(16).padStart(8, '0')}-2db4-4022-9570-243709c565ab`;
	const url = `${GRAPH}/${id}`;
	const broken = i % 10 === 0;
	const body = { '@odata.type': '#microsoft.graph.call', callbackUri: CALLBACK, targets: [{ identity: { user: { id: `${i.toString(16).padStart(8, '0')}-5fa4-42ca-bae8-6a692b15d4b8`, displayName: `Person ${i % 50}` } } }], requestedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, ...(broken ? {} : { tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a' }) };
	const out: HarEntry[] = [entry('out', t0, 'POST', GRAPH, body, 201, { '@odata.type': '#microsoft.graph.call', id, state: 'establishing', direction: 'outgoing', callbackUri: CALLBACK })];
	out.push(entry('in', t0 + 300, 'POST', CALLBACK, note(id, { '@odata.type': '#microsoft.graph.call', state: 'establishing' }), 202));
	out.push(entry('in', t0 + 1500, 'POST', CALLBACK, note(id, { '@odata.type': '#microsoft.graph.call', state: 'established' }), broken ? 500 : 202));
	for (let p = 0; p < 8; p++) {
		out.push(entry('in', t0 + 2000 + p * 1000, 'POST', CALLBACK, note(id, [{ '@odata.type': '#microsoft.graph.participant', id: `p${p}`, isMuted: p % 2 === 0, info: { identity: { user: { id: `u${p}`, displayName: `Person ${p}` } } } }], 'updated', '/participants'), 202));
	}
	const opId = `${id.slice(0, 8)}-op`;
	out.push(entry('out', t0 + 11_000, 'POST', `${url}/playPrompt`, { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://cdn.contoso.com/welcome.wav' } }] }, 200, { '@odata.type': '#microsoft.graph.playPromptOperation', id: opId, status: 'running' }));
	out.push(entry('in', t0 + 14_000, 'POST', CALLBACK, note(id, { '@odata.type': '#microsoft.graph.playPromptOperation', id: opId, status: 'completed' }, 'deleted', `/operations/${opId}`), 202));
	// keepAlive every 15 minutes for 2.5 hours; broken calls skip three, making a 60-minute gap.
	for (let k = 1; k <= 10; k++) {
		if (broken && k >= 4 && k <= 6) continue;
		out.push(entry('out', t0 + k * 15 * MIN, 'POST', `${url}/keepAlive`, undefined, 200));
	}
	while (out.length < 23) out.push(entry('out', t0 + 151 * MIN + out.length * 100, 'GET', url, undefined, 200, { id, state: 'established' }));
	out.push(entry('out', t0 + 155 * MIN, 'DELETE', url, undefined, 204));
	out.push(entry('in', t0 + 155 * MIN + 200, 'POST', CALLBACK, note(id, { '@odata.type': '#microsoft.graph.call', state: 'terminated', resultInfo: { code: 200, subcode: 7000 } }, 'deleted'), 202));
	return out;
}

export function generateTrafficHar(calls: number): string {
	const t0 = Date.parse('2026-11-28T09:00:00.000Z');
	const entries = Array.from({ length: calls }, (_, i) => callEntries(i, t0 + i * 20_000)).flat();
	entries.sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
	return JSON.stringify(buildTrafficLog(entries, { creatorVersion: 'bench', roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'] }));
}

/** Wall and CPU time of one call, ms. CPU time counts only this process: on a shared machine it is the steadier figure. */
function measure(fn: () => void): { wall: number; cpu: number } {
	const c = process.cpuUsage();
	const t = performance.now();
	fn();
	const d = process.cpuUsage(c);
	return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
}

export function benchLint(quick: boolean): Record<string, number> {
	const text = generateTrafficHar(400);
	const entries = (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries.length;
	if (entries !== 10_000) throw new Error(`The generated record has ${entries} entries, not 10,000.`);
	const lint: { wall: number; cpu: number }[] = [];
	const parse: { wall: number; cpu: number }[] = [];
	let findings = 0;
	const rounds = quick ? 5 : 11;
	const timeParse = () => measure(() => JSON.parse(text));
	const timeLint = () => measure(() => {
		findings = lintTraffic(parseHar(text)).length;
	});
	// Two unmeasured warm-up rounds (JIT), then interleaved rounds in which the baseline and lint take turns going first.
	for (let r = -2; r < rounds; r++) {
		let p, l;
		if (r % 2 === 0) {
			p = timeParse();
			l = timeLint();
		} else {
			l = timeLint();
			p = timeParse();
		}
		if (r < 0) continue;
		parse.push(p);
		lint.push(l);
	}
	return {
		lint10kMs: round(median(lint.map((x) => x.wall))),
		lint10kCpuMs: round(median(lint.map((x) => x.cpu))),
		lint10kOverJsonParse: round(median(lint.map((x, i) => x.wall / parse[i].wall))),
		lint10kCpuOverJsonParse: round(median(lint.map((x, i) => x.cpu / Math.max(1, parse[i].cpu)))),
		jsonParse10kMs: round(median(parse.map((x) => x.wall))),
		lint10kFindings: findings,
		lint10kHarMB: round(Buffer.byteLength(text) / 1024 / 1024),
	};
}
