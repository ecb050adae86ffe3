// The call timeline's model: lanes, pairing, order and relative times, built from traffic records written by the
// product's own HAR writer (test/unit/trafficFixtures.ts), and lint findings hung on the events they point at.
import * as assert from 'node:assert/strict';
import { lintTraffic } from '../../src/core/traffic/lint';
import { notificationEntry } from '../../src/core/traffic/trafficRecord';
import { buildTrafficLog } from '../../src/core/traffic/trafficRecord';
import { BOT_LANE, GRAPH_LANE, TimelineBuilder, snapshot } from '../../src/core/timeline/timelineModel';
import { timelineToHar } from '../../src/core/timeline/timelineHar';
import { eventDetails } from '../../src/core/timeline/timelineDetails';
import { action, at, CALL_ID, CALL_ID_UPPER, CALLBACK, callState, create, createBody, incoming, notify, out, record, terminated, wellBehavedCall } from './trafficFixtures';

const OTHER_CALL = '7a1b2c3d-0000-4000-8000-000000000001';

function build(entries = wellBehavedCall(), callId?: string) {
	const b = new TimelineBuilder({ callId });
	b.addEntries(entries, 0);
	return b;
}

function participants(ms: number, list: { id: string; name: string; muted?: boolean }[], changeType = 'updated') {
	return notify(ms, [{
		'@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl: `/communications/calls/${CALL_ID_UPPER}/participants`,
		resourceData: list.map((p) => ({ '@odata.type': '#microsoft.graph.participant', id: p.id, isMuted: p.muted ?? false, info: { identity: { user: { id: `u-${p.id}`, displayName: p.name } } } })),
	}]);
}

describe('call timeline model', () => {
	it('pairs each request with its response and each notification with the bot\'s ack, with durations and statuses', () => {
		const t = build();
		const events = t.events;
		const create = events.find((e) => e.kind === 'request' && e.label === 'POST create')!;
		assert.ok(create, `a create request among ${events.map((e) => e.label).join(', ')}`);
		const res = events.find((e) => e.id === create.pair)!;
		assert.equal(res.kind, 'response');
		assert.equal(res.pair, create.id);
		assert.equal(res.status, 201);
		assert.equal(res.label, '201 Created');
		assert.equal(res.durationMs, 120);
		assert.equal(res.t - create.t, 120, 'the response arrives when the exchange ended');
		assert.deepEqual([create.from, create.to, res.from, res.to], [BOT_LANE, GRAPH_LANE, GRAPH_LANE, BOT_LANE]);

		const established = events.find((e) => e.kind === 'notification' && e.label === 'call established')!;
		const ack = events.find((e) => e.id === established.pair)!;
		assert.equal(ack.kind, 'ack');
		assert.equal(ack.status, 202);
		assert.equal(ack.durationMs, 15);
		assert.deepEqual([established.from, established.to, ack.from, ack.to], [GRAPH_LANE, BOT_LANE, BOT_LANE, GRAPH_LANE]);
		// 9 entries: 6 requests + 3 notifications, each two events.
		assert.equal(events.length, 18);
	});

	it('orders events by time even when entries are appended out of order, with times relative to the first event', () => {
		const entries = wellBehavedCall();
		const b = new TimelineBuilder();
		// A notification that raced ahead of the create's response is appended first.
		b.addEntries([entries[2], entries[0], entries[1]], 0);
		const times = b.events.map((e) => e.t);
		assert.deepEqual(times, [...times].sort((x, y) => x - y));
		assert.equal(b.start, Date.parse(at(0)));
		assert.equal(b.events[0].label, 'POST create');
		assert.equal(b.events[0].entry, 1, 'entry index is the position the source appended it at');
	});

	it('names lanes: the bot, Graph (or the emulator for a local address) and each person, once, from targets, callers and rosters', () => {
		const local = new TimelineBuilder();
		local.addEntries([{ ...create(0), request: { ...create(0).request, url: 'https://127.0.0.1:8443/v1.0/communications/calls' } }], 0);
		assert.equal(local.lanes[1].name, 'Emulator');

		const b = build([
			create(0),
			participants(2_000, [{ id: 'p1', name: 'John' }, { id: 'p2', name: 'Adele Vance' }]),
			participants(3_000, [{ id: 'p1', name: 'John' }, { id: 'p2', name: 'Adele Vance' }]),
		]);
		assert.deepEqual(b.lanes.map((l) => l.name), ['Bot', 'Graph', 'John', 'Adele Vance'], 'the create target John and the roster\'s people, each once');
		assert.deepEqual(b.lanes.map((l) => l.kind), ['bot', 'graph', 'person', 'person']);
	});

	it('reads person actions off rosters (joined, muted, left) and takes recorded actions onto the actor\'s lane', () => {
		const b = build([
			create(0),
			participants(2_000, [{ id: 'p2', name: 'Adele Vance' }]),
			participants(3_000, [{ id: 'p2', name: 'Adele Vance', muted: true }]),
			participants(4_000, [{ id: 'p2', name: 'Adele Vance', muted: true }], 'deleted'),
		]);
		const adele = b.lanes.find((l) => l.name === 'Adele Vance')!.id;
		const moves = b.events.filter((e) => e.kind === 'action');
		assert.deepEqual(moves.map((e) => [e.label, e.from, e.to, e.inferred, e.t - b.start]), [
			['joined', adele, GRAPH_LANE, true, 2_000],
			['muted', adele, GRAPH_LANE, true, 3_000],
			['left', adele, GRAPH_LANE, true, 4_000],
		]);
		const delta = b.addActions([{ time: at(5_000), actor: 'Adele Vance', action: 'pressed 1#', callId: CALL_ID_UPPER }, { time: at(5_500), actor: 'Megan', action: 'hung up', callId: CALL_ID }]);
		assert.deepEqual(delta.events.map((e) => e.label), ['pressed 1#', 'hung up']);
		assert.equal(delta.events[0].from, adele, 'the same person, found by name');
		assert.deepEqual(delta.lanes?.map((l) => l.name), ['Bot', 'Graph', 'John', 'Adele Vance', 'Megan'], 'a new actor gets a lane, reported in the delta');
	});

	it('a call\'s timeline holds only that call\'s entries (ids compared across case and dashes) and its actions', () => {
		const entries = [
			...wellBehavedCall(),
			create(10, createBody(), 201, OTHER_CALL),
			action(20, 'keepAlive', 200, {}, undefined, OTHER_CALL),
			out(30, 'GET', '/users/someone', undefined, 200, {}),
		];
		const b = build(entries, CALL_ID_UPPER);
		assert.ok(b.events.every((e) => e.callIds.includes(CALL_ID.replace(/-/g, ''))), 'every event is about the call');
		assert.equal(b.events.length, 18);
		const other = build(entries, OTHER_CALL);
		assert.deepEqual(other.events.filter((e) => e.kind === 'request').map((e) => [e.label, e.entry]), [['POST create', 9], ['POST keepAlive', 10]]);
		other.addActions([{ time: at(40), actor: 'X', action: 'answered', callId: CALL_ID }]);
		assert.equal(other.events.filter((e) => e.kind === 'action').length, 0, 'another call\'s action stays off');
		assert.equal(build(entries).events.length, 24, 'without a call: everything');
	});

	it('hangs lint findings on the request or notification of the entry they point at, and replaces them on the next lint', () => {
		// An incoming call answered 16 s late: answer-late points at the answer request.
		const entries = [notify(0, [incoming()]), action(16_000, 'answer', 202, { callbackUri: CALLBACK, acceptedModalities: ['audio'] }), notify(17_000, [callState('established')]), notify(20_000, [terminated()])];
		const log = record(entries);
		const b = new TimelineBuilder();
		b.addEntries(log.log.entries, 0);
		const findings = lintTraffic(log);
		const late = findings.find((f) => f.rule === 'answer-late')!;
		assert.ok(late, `answer-late among ${findings.map((f) => f.rule).join(', ')}`);
		const changed = b.attachFindings(findings);
		const answer = b.eventOfEntry(late.entry)!;
		assert.equal(answer.kind, 'request');
		assert.ok(changed.includes(answer));
		assert.ok(answer.findings.some((f) => f.rule === 'answer-late' && f.severity === late.severity && f.docs === late.docs));
		assert.equal(b.events.find((e) => e.id === answer.pair)!.findings.length, 0, 'the finding is on the arrow that broke the rule, not on its response');
		assert.deepEqual(b.attachFindings(findings), [], 'the same findings again change nothing');
		assert.deepEqual(b.attachFindings([]).map((e) => e.id), changed.map((e) => e.id), 'cleared findings are reported as changes');
	});

	it('the HAR export holds one call\'s entries, redacted, in time order, and reads back as the same timeline', () => {
		const entries = [...wellBehavedCall(), create(10, createBody(), 201, OTHER_CALL)];
		const b = build(entries, CALL_ID);
		const har = timelineToHar(snapshot(b), { entries }, 'test');
		assert.equal(har.log.entries.length, 9);
		assert.ok(har.log.entries.every((e) => !JSON.stringify(e).includes('eyJ0eXAi')), 'no token');
		const again = build(har.log.entries);
		assert.deepEqual(again.events.map((e) => [e.kind, e.label, e.t]), b.events.map((e) => [e.kind, e.label, e.t]));
	});

	it('details of an arrow are the redacted exchange, even from a HAR file that kept its secrets', () => {
		const leaky = notificationEntry({ url: CALLBACK, startedDateTime: at(0), durationMs: 5, headers: {}, body: { value: [callState('established')] }, status: 202 });
		leaky.request.headers.push({ name: 'Authorization', value: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl' });
		leaky.request.postData = { mimeType: 'application/json', text: JSON.stringify({ value: [{ ...callState('established'), resourceData: { ...callState('established').resourceData as object, recordingAccessToken: 'hunter2-recording-secret' } }] }) };
		const b = build([leaky]);
		const note = b.events.find((e) => e.kind === 'notification')!;
		const d = eventDetails(note, [leaky], b.start);
		const text = d.sections.map((s) => s.text).join('\n');
		assert.match(text, /call established|"state": "established"/);
		assert.doesNotMatch(text, /eyJhbGciOiJSUzI1NiJ9|hunter2-recording-secret/);
		assert.equal(d.sections[0].heading, 'Notification (POST to the callback)');
	});

	it('keeps up: 1,000 events appended one entry at a time stay in order and cost little', () => {
		const entries = Array.from({ length: 500 }, (_, i) => (i % 2 ? action(i * 1000, 'keepAlive') : notify(i * 1000, [callState('established')])));
		const b = new TimelineBuilder();
		const started = performance.now();
		entries.forEach((e, i) => b.addEntries([e], i));
		const ms = performance.now() - started;
		assert.equal(b.events.length, 1000);
		assert.ok(b.events.every((e, i) => i === 0 || e.t >= b.events[i - 1].t));
		// Generous bound for a loaded machine; the bench measures the real figure.
		assert.ok(ms < 2000, `${ms} ms`);
	});

	it('an empty record is an empty timeline with the bot and Graph lanes', () => {
		const b = new TimelineBuilder();
		b.addEntries(buildTrafficLog([], { creatorVersion: 't' }).log.entries, 0);
		assert.deepEqual(b.lanes.map((l) => l.id), [BOT_LANE, GRAPH_LANE]);
		assert.equal(b.events.length, 0);
	});
});
