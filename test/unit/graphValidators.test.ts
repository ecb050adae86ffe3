import * as assert from 'node:assert/strict';
import { buildCreateCallBody } from '../../src/core/graph/calls';
import { parseJoinUrl } from '../../src/core/graph/meetingJoinUrl';
import { checkCount, checkE164, checkGuid, checkHttpsUrl, checkIntegerInRange, LIMITS, parseTones } from '../../src/core/graph/validators';

describe('graph input validators', () => {
	it('accepts GUIDs and names the field in the message otherwise', () => {
		assert.equal(checkGuid('8F5B3C2A-1D4E-4F6A-9B8C-7D6E5F4A3B2C', 'The user id'), undefined);
		assert.match(checkGuid('not-a-guid', 'The user id')!, /^The user id must be a GUID/);
	});

	it('accepts E.164 numbers only', () => {
		assert.equal(checkE164('+14255550100'), undefined);
		for (const bad of ['14255550100', '+0123', '+1 425 555 0100', '+1234567890123456']) assert.ok(checkE164(bad), bad);
	});

	it('accepts https URLs, and loopback http only when allowed', () => {
		assert.equal(checkHttpsUrl('https://contoso.example/a.wav', 'The prompt URL'), undefined);
		assert.match(checkHttpsUrl('http://contoso.example/a.wav', 'The prompt URL')!, /must use https/);
		assert.match(checkHttpsUrl('http://127.0.0.1:3000/cb', 'The callback URL')!, /must use https/);
		assert.equal(checkHttpsUrl('http://127.0.0.1:3000/cb', 'The callback URL', { allowLoopbackHttp: true }), undefined);
		assert.match(checkHttpsUrl('nope', 'The prompt URL')!, /full URL/);
	});

	it('turns typed digits and names into Graph tone names', () => {
		assert.deepEqual(parseTones('12#*').tones, ['tone1', 'tone2', 'pound', 'star']);
		assert.deepEqual(parseTones('tone0, star pound').tones, ['tone0', 'star', 'pound']);
		assert.match(parseTones('tone1 x').error!, /"x" is not a tone/);
		assert.ok(parseTones('').error);
		assert.match(parseTones('1'.repeat(LIMITS.dtmfTones + 1)).error!, /at most/);
	});

	it('enforces the documented limits', () => {
		assert.equal(checkCount(20, 'prompts', 1, LIMITS.prompts), undefined);
		assert.match(checkCount(21, 'prompts', 1, LIMITS.prompts)!, /at most 20 prompts; got 21/);
		assert.match(checkCount(0, 'invitees', 1, LIMITS.invitees)!, /at least 1/);
		assert.equal(checkIntegerInRange('120', 'The recording length', 1, LIMITS.recordSeconds), undefined);
		assert.match(checkIntegerInRange('121', 'The recording length', 1, LIMITS.recordSeconds)!, /from 1 to 120/);
		assert.ok(checkIntegerInRange('2.5', 'x', 1, 5));
	});

	describe('parseJoinUrl', () => {
		it('reads thread, message, organizer and tenant from a meetup-join link', () => {
			const url = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NmQ1ZTU3%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22550fae72-d251-43ec-868c-373732c2704f%22%7d';
			assert.deepEqual(parseJoinUrl(url), { ok: true, value: { kind: 'organizer', threadId: '19:meeting_NmQ1ZTU3@thread.v2', messageId: '0', organizerId: '550fae72-d251-43ec-868c-373732c2704f', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } });
		});

		it('reads a join id and passcode from a /meet/ link', () => {
			assert.deepEqual(parseJoinUrl('https://teams.microsoft.com/meet/2561234567890?p=AbCdEf'), { ok: true, value: { kind: 'joinMeetingId', joinMeetingId: '2561234567890', passcode: 'AbCdEf' } });
		});

		it('explains what is wrong with a broken link', () => {
			const r1 = parseJoinUrl('https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0');
			assert.equal(r1.ok, false);
			assert.match((r1 as { error: string }).error, /no context parameter/);
			assert.match((parseJoinUrl('teams meeting') as { error: string }).error, /not a URL/);
			assert.match((parseJoinUrl('https://teams.microsoft.com/l/meetup-join/general/0?context={}') as { error: string }).error, /19:meeting_/);
		});
	});
});

describe('graph create-call bodies', () => {
	const common = { callbackUri: 'https://bot.contoso.example/api/calling', tenantId: 'tenant-1' };

	it('a phone call names the resource account as source and the number as an E.164 phone target', () => {
		const body = buildCreateCallBody({ ...common, kind: 'phone', applicationInstanceId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', phoneNumber: '+14255550101' }) as any;
		assert.equal(body.source.identity.applicationInstance.id, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d');
		assert.deepEqual(body.targets, [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: '+14255550101' } } }]);
		assert.deepEqual(body.requestedModalities, ['audio']);
		assert.equal(body.mediaConfig['@odata.type'], '#microsoft.graph.serviceHostedMediaConfig');
	});

	it('a join link becomes chatInfo plus organizerMeetingInfo', () => {
		const url = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22t1%22%2c%22Oid%22%3a%22o1%22%7d';
		const body = buildCreateCallBody({ ...common, kind: 'meetingJoinUrl', joinUrl: url }) as any;
		assert.deepEqual(body.chatInfo, { '@odata.type': '#microsoft.graph.chatInfo', threadId: '19:meeting_abc@thread.v2', messageId: '0' });
		assert.equal(body.meetingInfo['@odata.type'], '#microsoft.graph.organizerMeetingInfo');
		assert.equal(body.meetingInfo.organizer.user.id, 'o1');
		assert.equal(body.meetingInfo.organizer.user.tenantId, 't1');
	});

	it('refuses plain http callbacks except loopback, and group calls outside 2 to 5 users', () => {
		assert.throws(() => buildCreateCallBody({ ...common, callbackUri: 'http://bot.example/cb', kind: 'user', userId: '0d5e1a6b-0001-4a00-8000-000000000001' }), /must use https/);
		assert.doesNotThrow(() => buildCreateCallBody({ ...common, callbackUri: 'http://127.0.0.1:9/cb', kind: 'user', userId: '0d5e1a6b-0001-4a00-8000-000000000001' }));
		assert.throws(() => buildCreateCallBody({ ...common, kind: 'group', users: [{ id: '0d5e1a6b-0001-4a00-8000-000000000001' }] }), /at least 2/);
	});
});
