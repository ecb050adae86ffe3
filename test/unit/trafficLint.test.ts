// Each lint rule against a record that breaks it and one that keeps it, built from entries shaped like Graph's.
import * as assert from 'node:assert/strict';
import { lintTraffic, type Finding } from '../../src/core/traffic/lint';
import { leastPrivilegeSet } from '../../src/core/traffic/permissionRule';
import { action, CALL_ID, CALL_ID_UPPER, callState, create, createBody, incoming, MIN, notify, operationDone, out, record, terminated, wellBehavedCall } from './trafficFixtures';

const rule = (findings: Finding[], id: string) => findings.filter((f) => f.rule === id);

describe('traffic lint', () => {
	it('a well-behaved call has no findings at all', () => {
		assert.deepEqual(lintTraffic(record(wellBehavedCall(), ['Calls.Initiate.All'])), []);
	});

	it('every finding carries rule, severity, message, entry and a learn.microsoft.com docs link', () => {
		const findings = lintTraffic(record([notify(0, [incoming()], 500), notify(20_000, [terminated(408, 1106)]), create(30_000, createBody({ tenantId: undefined }), 0), create(40_000)], ['Calls.Initiate.All', 'Calls.AccessMedia.All']));
		assert.deepEqual(new Set(findings.map((f) => f.rule)), new Set(['answer-late', 'callback-slow', 'create-retried', 'missing-tenant-id', 'unused-permission']));
		for (const f of findings) {
			assert.deepEqual(Object.keys(f).filter((k) => k !== 'callId').sort(), ['docs', 'entry', 'message', 'rule', 'severity']);
			assert.match(f.docs, /^https:\/\/learn\.microsoft\.com\//);
		}
	});

	it('names the call a finding is about: the one a notification names, the one a create made; none for the whole record', () => {
		const other = '7c0f0000-1111-4222-8333-944455556666';
		const findings = lintTraffic(record([notify(0, [incoming()], 500), create(30_000, createBody({ tenantId: undefined }), 201, other)], ['Calls.Initiate.All', 'Calls.AccessMedia.All']));
		const of = (rule: string) => findings.find((f) => f.rule === rule);
		assert.equal(of('answer-late')?.callId, CALL_ID.replace(/-/g, ''), 'the notification\'s call, in the same form whatever its case and dashes');
		assert.equal(of('missing-tenant-id')?.callId, other.replace(/-/g, ''), 'the call the create answered with');
		assert.equal(of('unused-permission')?.callId, undefined);
	});

	describe('answer-late', () => {
		const answered = (ms: number) => [notify(0, [incoming()]), action(ms, 'answer', 202, { callbackUri: 'https://bot.contoso.com/api/calls', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }), notify(ms + 500, [callState('established')])];

		it('passes an answer 2 s after the incoming notification (ids compared across case and dashes)', () => {
			assert.deepEqual(rule(lintTraffic(record(answered(2000))), 'answer-late'), []);
		});

		it('flags an answer 16 s after the incoming notification, at the answer entry', () => {
			const [f, ...rest] = rule(lintTraffic(record(answered(16_000))), 'answer-late');
			assert.equal(rest.length, 0);
			assert.equal(f.entry, 1);
			assert.equal(f.severity, 'error');
			assert.match(f.message, /16\.0 s/);
			assert.equal(f.docs, 'https://learn.microsoft.com/graph/api/call-answer?view=graph-rest-1.0');
		});

		it('flags an incoming call never answered when the record goes on past the window', () => {
			const findings = rule(lintTraffic(record([notify(0, [incoming()]), notify(20_000, [terminated(408, 1106)])])), 'answer-late');
			assert.equal(findings.length, 1);
			assert.equal(findings[0].entry, 0);
			assert.match(findings[0].message, /never answered/);
		});

		it('does not blame the bot when the caller hung up inside the window, or the record stops inside it', () => {
			assert.deepEqual(rule(lintTraffic(record([notify(0, [incoming()]), notify(4000, [terminated(200, 5001)])])), 'answer-late'), []);
			assert.deepEqual(rule(lintTraffic(record([notify(0, [incoming()])])), 'answer-late'), []);
		});

		it('a reject or redirect in time counts as handling the call', () => {
			assert.deepEqual(rule(lintTraffic(record([notify(0, [incoming()]), action(3000, 'reject', 202, { reason: 'busy' }), notify(60_000, [terminated()])])), 'answer-late'), []);
		});
	});

	describe('keepalive-missing', () => {
		it('flags a gap over 45 minutes between keepAlives, at the late keepAlive', () => {
			const entries = [create(0), notify(2000, [callState('established')]), action(15 * MIN, 'keepAlive'), action(62 * MIN, 'keepAlive'), out(70 * MIN, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)];
			const [f, ...rest] = rule(lintTraffic(record(entries)), 'keepalive-missing');
			assert.equal(rest.length, 0);
			assert.equal(f.entry, 3);
			assert.match(f.message, /47 min/);
		});

		it('flags a call with no keepAlive at all that lasted an hour, at the entry where it ended', () => {
			const entries = [create(0), notify(2000, [callState('established')]), out(60 * MIN, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)];
			const [f] = rule(lintTraffic(record(entries)), 'keepalive-missing');
			assert.equal(f.entry, 2);
		});

		it('reports Graph ending the call with 408/8537 once, at that notification', () => {
			const entries = [create(0), notify(2000, [callState('established')]), notify(45 * MIN + 2000, [terminated(408, 8537)])];
			const findings = rule(lintTraffic(record(entries)), 'keepalive-missing');
			assert.equal(findings.length, 1);
			assert.equal(findings[0].entry, 2);
			assert.match(findings[0].message, /408\/8537/);
		});

		it('a 404 on a participant does not end the call: the missing keepAlive is still measured to the end', () => {
			const entries = [create(0), notify(2000, [callState('established')]), out(10 * MIN, 'GET', `/communications/calls/${CALL_ID}/participants/abc`, undefined, 404), out(60 * MIN, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)];
			const [f, ...rest] = rule(lintTraffic(record(entries)), 'keepalive-missing');
			assert.equal(rest.length, 0);
			assert.equal(f.entry, 3);
		});

		it('a failed keepAlive does not count; a 40-minute call without one is fine', () => {
			const failed = [create(0), notify(2000, [callState('established')]), action(30 * MIN, 'keepAlive', 500), out(50 * MIN, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)];
			assert.equal(rule(lintTraffic(record(failed)), 'keepalive-missing').length, 1);
			const short = [create(0), notify(2000, [callState('established')]), out(40 * MIN, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)];
			assert.deepEqual(rule(lintTraffic(record(short)), 'keepalive-missing'), []);
		});
	});

	describe('create-retried', () => {
		it('flags a second create for the same user while the first call is alive', () => {
			const [f, ...rest] = rule(lintTraffic(record([create(0), notify(1000, [callState('established')]), create(5000, createBody(), 201, '3f1a0b00-0000-4000-8000-000000000001')])), 'create-retried');
			assert.equal(rest.length, 0);
			assert.equal(f.entry, 2);
			assert.equal(f.severity, 'error');
		});

		it('warns when the first create got no answer (it may have made the call anyway)', () => {
			const [f] = rule(lintTraffic(record([create(0, createBody(), 0), create(30_000)])), 'create-retried');
			assert.equal(f.severity, 'warning');
			assert.equal(f.entry, 1);
		});

		it('passes a new create after the first call ended, a create to someone else, and a retry after a 403', () => {
			const afterEnd = [create(0), notify(1000, [terminated()]), create(5000, createBody(), 201, '3f1a0b00-0000-4000-8000-000000000001')];
			assert.deepEqual(rule(lintTraffic(record(afterEnd)), 'create-retried'), []);
			const other = createBody({ targets: [{ identity: { user: { id: 'aaaaaaaa-0000-4000-8000-000000000002' } } }] });
			assert.deepEqual(rule(lintTraffic(record([create(0), create(1000, other, 201, '3f1a0b00-0000-4000-8000-000000000001')])), 'create-retried'), []);
			assert.deepEqual(rule(lintTraffic(record([create(0, createBody(), 403), create(1000)])), 'create-retried'), []);
		});
	});

	describe('missing-tenant-id', () => {
		it('warns on a create without tenantId and passes one with it', () => {
			const body = createBody();
			delete body.tenantId;
			const [f] = rule(lintTraffic(record([create(0, body)])), 'missing-tenant-id');
			assert.equal(f.severity, 'warning');
			assert.equal(f.entry, 0);
			assert.deepEqual(rule(lintTraffic(record([create(0)])), 'missing-tenant-id'), []);
		});
	});

	describe('callback-slow', () => {
		it('flags a non-2xx answer to a notification as an error and a 6 s acknowledgement as a warning', () => {
			const findings = rule(lintTraffic(record([create(0), notify(1000, [callState('establishing')], 500), notify(2000, [callState('established')], 202, 6000)])), 'callback-slow');
			assert.deepEqual(findings.map((f) => [f.entry, f.severity]), [[1, 'error'], [2, 'warning']]);
			assert.match(findings[0].message, /500/);
		});

		it('flags a notification the bot never answered (HAR status 0)', () => {
			const [f] = rule(lintTraffic(record([notify(0, [callState('established')], 0 as number)])), 'callback-slow');
			assert.equal(f.severity, 'error');
		});

		it('passes 200, 202, 204 (legacy format) and 302 (region redirect) answered quickly', () => {
			const ok = [200, 202, 204, 302].map((s, i) => notify(i * 1000, [callState('established')], s, 40));
			assert.deepEqual(rule(lintTraffic(record(ok)), 'callback-slow'), []);
		});
	});

	describe('operation-overlap', () => {
		const prompt = (ms: number, opId: string) => action(ms, 'playPrompt', 200, { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://cdn.contoso.com/beep.wav' } }] }, { '@odata.type': '#microsoft.graph.playPromptOperation', id: opId, status: 'running' });
		const base = [create(0), notify(1000, [callState('established')])];

		it('flags a hang-up while a prompt is still playing', () => {
			const [f] = rule(lintTraffic(record([...base, prompt(2000, 'op-1'), out(2500, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)])), 'operation-overlap');
			assert.equal(f.entry, 3);
			assert.match(f.message, /playPrompt started at entry 2/);
		});

		it('flags cancelMediaProcessing while a recordResponse is queued', () => {
			const record1 = action(2000, 'recordResponse', 200, { maxRecordDurationInSeconds: 10 }, { '@odata.type': '#microsoft.graph.recordOperation', id: 'op-2', status: 'running' });
			const [f] = rule(lintTraffic(record([...base, record1, action(2100, 'cancelMediaProcessing', 200, {}, { status: 'completed' })])), 'operation-overlap');
			assert.equal(f.entry, 3);
			assert.match(f.message, /8508/);
		});

		it('passes a hang-up after the completion notification, two queued prompts, and a prompt that completed at once', () => {
			const waited = [...base, prompt(2000, 'OP-1'), notify(4000, [operationDone('op-1')]), out(4500, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)];
			assert.deepEqual(rule(lintTraffic(record(waited)), 'operation-overlap'), []);
			assert.deepEqual(rule(lintTraffic(record([...base, prompt(2000, 'op-1'), prompt(2100, 'op-2')])), 'operation-overlap'), []);
			const instant = action(2000, 'playPrompt', 200, {}, { id: 'op-3', status: 'completed' });
			assert.deepEqual(rule(lintTraffic(record([...base, instant, out(2100, 'DELETE', `/communications/calls/${CALL_ID}`, undefined, 204)])), 'operation-overlap'), []);
		});
	});

	describe('unused-permission', () => {
		it('names the roles a 1:1 caller does not need and its least-privilege set', () => {
			const [f] = rule(lintTraffic(record(wellBehavedCall(), ['Calls.Initiate.All', 'Calls.AccessMedia.All', 'Calls.JoinGroupCall.All', 'User.Read.All'])), 'unused-permission');
			assert.equal(f.severity, 'warning');
			assert.match(f.message, /holds Calls\.JoinGroupCall\.All, Calls\.AccessMedia\.All/);
			assert.match(f.message, /Least privilege for what it did: Calls\.Initiate\.All\./);
			assert.doesNotMatch(f.message, /User\.Read\.All/);
		});

		it('keeps Calls.AccessMedia.All for app-hosted media and the group permission for a group call', () => {
			const appHosted = create(0, createBody({ mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<blob>' } }));
			assert.deepEqual(rule(lintTraffic(record([appHosted], ['Calls.Initiate.All', 'Calls.AccessMedia.All'])), 'unused-permission'), []);
			const group = create(0, createBody({ targets: [1, 2].map((n) => ({ identity: { user: { id: `aaaaaaaa-0000-4000-8000-00000000000${n}` } } })) }));
			const [f] = rule(lintTraffic(record([group], ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All'])), 'unused-permission');
			assert.match(f.message, /holds Calls\.Initiate\.All,/);
		});

		it('takes the roles from the options when the record has none, and says nothing without roles', () => {
			assert.deepEqual(rule(lintTraffic(record(wellBehavedCall())), 'unused-permission'), []);
			assert.equal(rule(lintTraffic(record(wellBehavedCall()), { roles: ['Calls.Initiate.All', 'Calls.JoinGroupCall.All'] }), 'unused-permission').length, 1);
		});

		it('the least-privilege set prefers the lower privilege when either covers a request', () => {
			assert.deepEqual(leastPrivilegeSet(['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'], [['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All']]), ['Calls.JoinGroupCallAsGuest.All']);
		});
	});

	describe('callback-not-https', () => {
		it('flags an http callbackUri sent to Graph and ignores the emulator on loopback', () => {
			const [f] = rule(lintTraffic(record([create(0, createBody({ callbackUri: 'http://bot.contoso.com/api/calls' }))])), 'callback-not-https');
			assert.equal(f.severity, 'error');
			const local = create(0, createBody({ callbackUri: 'http://127.0.0.1:5000/api/calls' }));
			local.request.url = 'https://127.0.0.1:4443/v1.0/communications/calls';
			assert.deepEqual(rule(lintTraffic(record([local])), 'callback-not-https'), []);
		});
	});

	describe('request-after-end', () => {
		it('warns about keepAlives that keep going after Graph said the call ended', () => {
			const entries = [create(0), notify(1000, [callState('established')]), notify(5 * MIN, [terminated()]), action(15 * MIN, 'keepAlive', 404), action(30 * MIN, 'keepAlive', 404)];
			const [f, ...rest] = rule(lintTraffic(record(entries)), 'request-after-end');
			assert.equal(rest.length, 0);
			assert.equal(f.entry, 3);
			assert.match(f.message, /^2 request/);
		});
	});

	it('reads call ids in notifications written upper-case without dashes', () => {
		assert.equal(CALL_ID.replace(/-/g, '').toUpperCase(), CALL_ID_UPPER);
	});
});
