/**
 * Opening a timeline: the model of a 1,000-event call (500 exchanges: requests with their responses,
 * notifications with their acks), lint over its record, and the first render payload (the init message, as
 * JSON) the page gets, against JSON.parse of the call's HAR text measured in the same interleaved rounds. The
 * target is at most 300 ms for the whole open.
 */
import { harEntry, type HarEntry } from '../../src/core/traffic/har';
import { lintTraffic } from '../../src/core/traffic/lint';
import { buildTrafficLog } from '../../src/core/traffic/trafficRecord';
import { TimelineBuilder } from '../../src/core/timeline/timelineModel';
import { initMessage } from '../../src/core/timeline/timelineWire';
import { median, round } from './stats';

const CALL = '2e1a0b00-2db4-4022-9570-243709c565ab';
const GRAPH = `https://graph.microsoft.com/v1.0/communications/calls/${CALL}`;

function callEntries(): HarEntry[] {
	const t0 = Date.parse('2026-11-28T09:00:00.000Z');
	const out: HarEntry[] = [];
	for (let i = 0; i < 500; i++) {
		const t = new Date(t0 + i * 2_000).toISOString();
		if (i % 2 === 0) {
			out.push(harEntry({ direction: 'out', startedDateTime: t, durationMs: 80, method: 'POST', url: `${GRAPH}/${i % 4 === 0 ? 'keepAlive' : 'playPrompt'}`, requestHeaders: { 'content-type': 'application/json' }, requestBody: i % 4 === 0 ? undefined : { prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/a.wav' } }] }, status: 200, responseBody: { id: `op-${i}`, status: 'running' } }));
		} else {
			out.push(harEntry({ direction: 'in', startedDateTime: t, durationMs: 9, method: 'POST', url: 'https://bot.contoso.com/api/calls', requestHeaders: { 'content-type': 'application/json' }, requestBody: { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL}/participants`, resourceData: [{ id: `p${i % 7}`, isMuted: i % 3 === 0, info: { identity: { user: { id: `u${i % 7}`, displayName: `Person ${i % 7}` } } } }] }] }, status: 202 }));
		}
	}
	return out;
}

function measure(fn: () => void): number {
	const t = performance.now();
	fn();
	return performance.now() - t;
}

export function benchTimeline(quick: boolean): Record<string, number> {
	const text = JSON.stringify(buildTrafficLog(callEntries(), { creatorVersion: 'bench' }));
	let events = 0;
	let payloadKB = 0;
	const open = () => {
		const log = JSON.parse(text) as ReturnType<typeof buildTrafficLog>;
		const b = new TimelineBuilder({ callId: CALL });
		b.addEntries(log.log.entries, 0);
		b.attachFindings(lintTraffic(log));
		const payload = JSON.stringify(initMessage(b, 'bench', false));
		events = b.events.length;
		payloadKB = Buffer.byteLength(payload) / 1024;
	};
	const parse = () => JSON.parse(text);
	const opens: number[] = [];
	const parses: number[] = [];
	for (let r = -2; r < (quick ? 5 : 11); r++) {
		const [o, p] = r % 2 === 0 ? [measure(open), measure(parse)] : [measure(open), measure(parse)].reverse();
		if (r < 0) continue;
		opens.push(o);
		parses.push(p);
	}
	if (events < 1000) throw new Error(`The bench call has ${events} events, not 1,000 or more.`);
	return {
		timeline1kOpenMs: round(median(opens)),
		timeline1kOverJsonParse: round(median(opens.map((o, i) => o / parses[i]))),
		timeline1kEvents: events,
		timeline1kPayloadKB: round(payloadKB),
	};
}
