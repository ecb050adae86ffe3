import * as assert from 'node:assert/strict';
import type { Agent } from 'undici';
import { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_TENANT, type EmulatorHandle } from '../../../src/core/emulator';
import { control, graph, type GraphReply } from '../support/emulatorAuth';
import { useEmulator } from '../support/emulatorFixture';
import { waitFor } from '../support/waitFor';
import type { WebhookReceiver } from '../support/webhookReceiver';

const { adele, alex, johanna, lidia } = EMULATOR_PEOPLE;
const SERVICE_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
const roster = (callId: string) => (n: { resourceUrl?: string | null }) => n.resourceUrl === `/communications/calls/${callId}/participants`;

describe('emulator: the people side of the world (control API over HTTPS)', function () {
	this.timeout(20000);
	const fx = useEmulator({ emulator: { clockSpeed: 20 }, token: true, receiver: true });
	let emu: EmulatorHandle;
	let agent: Agent;
	let token: string;
	let rx: WebhookReceiver;
	before(() => {
		({ emu, agent, token, receiver: rx } = fx);
	});
	afterEach(() => control(emu, agent, 'POST', '/reset'));

	const api = (method: string, path: string, body?: unknown) => graph(emu, agent, token, method, path, body);
	const ctl = (method: string, path: string, body?: unknown) => control(emu, agent, method, path, body);
	const person = async (id: string) => (await ctl('GET', `/people/${encodeURIComponent(id)}`)).body;
	const answer = (callId: string, extra: Record<string, unknown> = {}) => api('POST', `/communications/calls/${callId}/answer`, { callbackUri: rx.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, ...extra });
	const makeManual = async (id: string) => {
		const dir = (await ctl('GET', '/directory')).body;
		for (const u of dir.users) if (u.id === id) u.behaviour = 'manual';
		assert.equal((await ctl('PUT', '/directory', dir)).status, 200);
	};
	const ok = (r: GraphReply, status = 200) => assert.equal(r.status, status, JSON.stringify(r.body));

	it('a "manual" person rings until told: the call stays ringing, the person sees the ring, answering establishes it', async () => {
		await makeManual(adele.id);
		const r = await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, tenantId: emu.tenantId, targets: [{ identity: { user: { id: adele.id } } }] });
		ok(r, 201);
		const id = r.body.id;
		await rx.waitForState(id, 'ringing');
		// Twice adele's usual 300 ms of ringing (emulated: 20x that) and still nobody answered.
		await new Promise((res) => setTimeout(res, 100));
		const ringing = await person(adele.id);
		assert.equal(ringing.behaviour, 'manual');
		assert.equal(ringing.ringing.length, 1);
		assert.equal(ringing.ringing[0].callId, id);
		assert.equal(ringing.ringing[0].reason, 'call');
		assert.equal(rx.forCall(id).some((n) => (n.resourceData as any)?.state === 'established'), false);
		ok(await ctl('POST', `/people/${adele.id}/answer`, { ringId: ringing.ringing[0].ringId }));
		await rx.waitForState(id, 'established');
		const after = await person(adele.id);
		assert.equal(after.ringing.length, 0);
		assert.equal(after.calls[0].callId, id);
		assert.equal(after.calls[0].state, 'established');
		// The bot plays a prompt and subscribes to tones: the person's view shows what they hear.
		ok(await api('POST', `/communications/calls/${id}/playPrompt`, { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/welcome.wav' } }] }));
		ok(await api('POST', `/communications/calls/${id}/subscribeToTone`, {}));
		const hearing = (await person(adele.id)).calls[0];
		assert.equal(hearing.media.prompt.uri, 'https://bot.example/welcome.wav');
		assert.equal(hearing.media.tonesSubscribed, true);
		assert.ok(hearing.establishedAt);
		// The person hangs up: a Teams user ends a 1:1 call with 200/4521.
		ok(await ctl('POST', `/people/${adele.id}/hangUp`, {}));
		const ended = (await rx.waitForState(id, 'terminated')).resourceData as any;
		assert.deepEqual([ended.resultInfo.code, ended.resultInfo.subcode], [200, 4521]);
	});

	it('a manual person declines (603), and a transfer to a manual person waits for them (transfer in progress is visible)', async () => {
		await makeManual(lidia.id);
		const r = await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, tenantId: emu.tenantId, targets: [{ identity: { user: { id: lidia.id } } }] });
		await rx.waitForState(r.body.id, 'ringing');
		ok(await ctl('POST', `/people/${lidia.id}/decline`, {}));
		assert.equal(((await rx.waitForState(r.body.id, 'terminated')).resourceData as any).resultInfo.code, 603);
		assert.equal((await ctl('POST', `/people/${lidia.id}/answer`, {})).status, 409, 'nothing rings any more');

		const incoming = await ctl('POST', '/incomingCall', { from: { userId: adele.id }, callbackUri: rx.url });
		const id = incoming.body.callId;
		assert.equal((await person(adele.id)).calls[0].role, 'caller');
		ok(await answer(id), 202);
		await rx.waitForState(id, 'established');
		ok(await api('POST', `/communications/calls/${id}/transfer`, { transferTarget: { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: lidia.id } } } }), 202);
		await rx.waitForState(id, 'transferring');
		const lidiaView = await waitFor('lidia rings', async () => ((await person(lidia.id)).ringing.length ? person(lidia.id) : undefined));
		assert.equal(lidiaView.ringing[0].reason, 'transfer');
		const caller = (await person(adele.id)).calls[0];
		assert.equal(caller.transfer.state, 'transferring');
		assert.equal(caller.transfer.target.identity.user.id, lidia.id);
		ok(await ctl('POST', `/people/${lidia.id}/answer`, {}));
		const done = (await rx.waitForState(id, 'terminated')).resourceData as any;
		assert.deepEqual([done.resultInfo.code, done.resultInfo.subcode], [200, 7015]);
	});

	it('an incoming group call: the notification carries chatInfo and meetingInfo; answered, the roster has everyone; a person mutes themself', async () => {
		const r = await ctl('POST', '/incomingGroupCall', { from: adele.id, members: [alex.id, johanna.id], callbackUri: rx.url });
		ok(r, 201);
		const id = r.body.callId;
		const created = (await rx.waitFor((n) => n.changeType === 'created' && n.resourceUrl === `/communications/calls/${id}`)).resourceData as any;
		assert.equal(created.state, 'incoming');
		assert.equal(created.source.identity.user.id, adele.id);
		assert.match(created.chatInfo.threadId, /^19:.*@thread\.v2$/);
		assert.equal(created.meetingInfo['@odata.type'], '#microsoft.graph.organizerMeetingInfo');
		assert.equal(created.meetingInfo.organizer.user.id, adele.id);
		ok(await answer(id), 202);
		const first = await rx.waitFor(roster(id));
		const people = (first.resourceData as any[]).map((p) => p.info.identity.user?.id ?? 'bot');
		assert.deepEqual(people.sort(), [adele.id, alex.id, johanna.id, 'bot'].sort());
		// sourceParticipantId names the inviter's participant in the roster.
		assert.equal((first.resourceData as any[]).find((p) => p.info.identity.user?.id === adele.id).id, created.incomingContext.sourceParticipantId);

		ok(await ctl('POST', `/people/${alex.id}/mute`, { callId: id }));
		const muted = await rx.waitFor((n) => roster(id)(n) && (n.resourceData as any[]).some((p) => p.info.identity.user?.id === alex.id && p.isMuted));
		const alexP = (muted.resourceData as any[]).find((p) => p.info.identity.user?.id === alex.id);
		assert.equal(alexP.mediaStreams[0].serverMuted, false, 'a client mute is not a server mute');
		assert.equal((await person(alex.id)).calls[0].isMuted, true);
		ok(await ctl('POST', `/people/${alex.id}/unmute`, {}));
		await rx.waitFor((n) => roster(id)(n) && (n.resourceData as any[]).some((p) => p.info.identity.user?.id === alex.id && !p.isMuted));
		// Alex leaves: the group call goes on.
		ok(await ctl('POST', `/people/${alex.id}/hangUp`, {}));
		await rx.waitFor((n) => roster(id)(n) && !(n.resourceData as any[]).some((p) => p.info.identity.user?.id === alex.id));
		assert.equal((await api('GET', `/communications/calls/${id}`)).body.state, 'established');
	});

	it('a policy-based recording invitation: the documented shape, a 5 s answer window, participantCapacity checked', async () => {
		const r = await ctl('POST', '/recordingInvitation', { userId: adele.id, with: [alex.id], policyIdentifier: 'Compliance', callbackUri: rx.url });
		ok(r, 201);
		const id = r.body.callId;
		const n = (await rx.waitFor((x) => x.changeType === 'created' && x.resourceUrl === `/communications/calls/${id}`)).resourceData as any;
		assert.equal(n.direction, 'incoming');
		assert.equal(n.targets[0].identity.applicationInstance.id, EMULATOR_TENANT.applicationInstanceId);
		assert.equal(n.meetingInfo['@odata.type'], '#microsoft.graph.tokenMeetingInfo');
		assert.ok(n.callChainId && n.myParticipantId);
		assert.equal(n.incomingContext.observedParticipantId, n.incomingContext.sourceParticipantId);
		assert.deepEqual(n.applicationMetadata.botData.inviteReasons, ['PolicyBasedRecording']);
		assert.equal(n.applicationMetadata.botData.policyIdentifier, 'Compliance');
		assert.equal(n.applicationMetadata.botData.otherSideUser.id, alex.id);
		assert.equal((await answer(id, { participantCapacity: 0 })).status, 400);
		assert.equal((await answer(id, { participantCapacity: '200' })).status, 400);
		ok(await answer(id, { participantCapacity: 200 }), 202);
		await rx.waitForState(id, 'established');
		ok(await api('POST', `/communications/calls/${id}/updateRecordingStatus`, { status: 'recording', clientContext: 'c' }));
		assert.equal((await person(adele.id)).calls[0].media.botRecordingStatus, 'recording');
		// Not answered within 5 emulated seconds (250 ms at 20x): the invitation ends unanswered.
		const late = await ctl('POST', '/recordingInvitation', { userId: adele.id, callbackUri: rx.url });
		const gone = (await rx.waitForState(late.body.callId, 'terminated')).resourceData as any;
		assert.match(gone.resultInfo.message, /within 5 s/);
	});

	it('a meeting with a lobby: the bot waits (isInLobby, only itself in the roster) until admitted; a person who joins by URL waits too', async () => {
		const m = EMULATOR_MEETINGS.townHall;
		const r = await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, tenantId: emu.tenantId, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId } });
		ok(r, 201);
		const id = r.body.id;
		const lobbied = await rx.waitFor(roster(id));
		assert.deepEqual((lobbied.resourceData as any[]).map((p) => [p.id, p.isInLobby]), [[r.body.myParticipantId, true]]);
		ok(await ctl('POST', `/calls/${id}/participants/${r.body.myParticipantId}/admit`, {}));
		const inside = await rx.waitFor((n) => roster(id)(n) && (n.resourceData as any[]).length > 1);
		assert.ok((inside.resourceData as any[]).some((p) => p.info.identity.user?.id === adele.id), 'the organizer is there');
		assert.equal((await ctl('POST', `/calls/${id}/participants/${r.body.myParticipantId}/admit`, {})).status, 409, 'not in the lobby any more');

		const meetings = (await ctl('GET', '/meetings')).body.value;
		const joinUrl = meetings.find((x: any) => x.joinMeetingId === m.joinMeetingId).joinWebUrl;
		const joined = await ctl('POST', `/people/${johanna.id}/joinMeeting`, { joinUrl });
		ok(joined, 201);
		assert.equal(joined.body.isInLobby, true);
		await rx.waitFor((n) => roster(id)(n) && (n.resourceData as any[]).some((p) => p.id === joined.body.participantId && p.isInLobby));
		assert.equal((await person(johanna.id)).calls[0].isInLobby, true);
		ok(await ctl('POST', `/calls/${id}/participants/${joined.body.participantId}/admit`, {}));
		await rx.waitFor((n) => roster(id)(n) && (n.resourceData as any[]).some((p) => p.id === joined.body.participantId && !p.isInLobby));
		assert.equal((await ctl('POST', `/people/${alex.id}/joinMeeting`, { joinMeetingId: EMULATOR_MEETINGS.standup.joinMeetingId })).status, 409, 'the bot is not in that meeting');
	});
});

describe('emulator: the people control endpoints under attack (untrusted input gets clear errors)', function () {
	this.timeout(20000);
	const fx = useEmulator({ token: true });
	const ctl = (method: string, path: string, body?: unknown) => control(fx.emu, fx.agent, method, path, body);
	const expect = (r: GraphReply, status: number, pattern: RegExp) => {
		assert.equal(r.status, status, JSON.stringify(r.body));
		assert.match(r.body.error.message, pattern);
		assert.ok(r.body.error.innerError['request-id']);
	};

	it('unknown, overlong and path-traversing person ids are 404 or 400, never echoed whole', async () => {
		expect(await ctl('GET', '/people/nobody'), 404, /Nobody with id nobody/);
		const long = 'x'.repeat(5000);
		const r = await ctl('GET', `/people/${long}`);
		expect(r, 400, /at most 128/);
		assert.ok(JSON.stringify(r.body).length < 1000, 'the id is not echoed back');
		expect(await ctl('POST', `/people/${encodeURIComponent('../../reset')}/mute`, {}), 404, /Nobody/);
		expect(await ctl('POST', '/people/%E0%A4%A/answer', {}), 404, /No control endpoint/);
	});

	it('wrong types in bodies are 400 with what is expected', async () => {
		expect(await ctl('POST', `/people/${adele.id}/answer`, { ringId: 42 }), 400, /ringId must be a non-empty string/);
		expect(await ctl('POST', `/people/${adele.id}/mute`, { callId: ['x'] }), 400, /callId must be a non-empty string/);
		expect(await ctl('POST', `/people/${adele.id}/mute`, [1, 2]), 400, /must be a JSON object/);
		expect(await ctl('POST', `/people/${adele.id}/joinMeeting`, { joinUrl: 7 }), 400, /joinUrl must be a Teams join URL/);
		expect(await ctl('POST', `/people/${adele.id}/joinMeeting`, { joinUrl: 'javascript:alert(1)' }), 400, /not a Teams meeting join URL/);
		expect(await ctl('POST', `/people/${adele.id}/joinMeeting`, { joinMeetingId: { $gt: '' } }), 400, /digits/);
		expect(await ctl('POST', `/people/${adele.id}/joinMeeting`, {}), 400, /Say which meeting/);
		expect(await ctl('POST', '/incomingGroupCall', { from: adele.id, members: 'alex', callbackUri: 'https://127.0.0.1:1/cb' }), 400, /members must be an array/);
		expect(await ctl('POST', '/incomingGroupCall', { from: adele.id, members: Array.from({ length: 21 }, () => alex.id), callbackUri: 'https://127.0.0.1:1/cb' }), 400, /at most 20/);
		expect(await ctl('POST', '/incomingGroupCall', { from: { userId: { id: 1 } }, callbackUri: 'https://127.0.0.1:1/cb' }), 400, /from\.userId must be a string/);
		expect(await ctl('POST', '/incomingGroupCall', { from: 'no-such-user', callbackUri: 'https://127.0.0.1:1/cb' }), 400, /No user no-such-user/);
		expect(await ctl('POST', '/recordingInvitation', { userId: 5, callbackUri: 'https://127.0.0.1:1/cb' }), 400, /userId must be a non-empty string/);
		expect(await ctl('POST', '/recordingInvitation', { userId: adele.id, callbackUri: 'ftp://x' }), 400, /callbackUri/);
	});

	it('actions on nothing are 409 with the reason; a huge body is 413 before any handler runs', async () => {
		expect(await ctl('POST', `/people/${adele.id}/answer`, {}), 409, /Nothing rings/);
		expect(await ctl('POST', `/people/${adele.id}/mute`, {}), 409, /in no live call/);
		expect(await ctl('POST', `/people/${adele.id}/hangUp`, {}), 409, /in no live call/);
		expect(await ctl('POST', `/calls/nope/participants/x/admit`, {}), 404, /not found/);
		const huge = { joinUrl: `https://teams.microsoft.com/l/meetup-join/${'a'.repeat(2 * 1024 * 1024)}` };
		expect(await ctl('POST', `/people/${adele.id}/joinMeeting`, huge), 413, /larger than/);
	});

	it('lists every new endpoint in GET /_emulator', async () => {
		const paths = (await ctl('GET', '')).body.endpoints.map((e: any) => `${e.method} ${e.path}`);
		for (const p of ['GET /_emulator/people/{personId}', 'POST /_emulator/people/{personId}/answer', 'POST /_emulator/people/{personId}/decline', 'POST /_emulator/people/{personId}/mute', 'POST /_emulator/people/{personId}/unmute', 'POST /_emulator/people/{personId}/hangUp', 'POST /_emulator/people/{personId}/joinMeeting', 'POST /_emulator/people/{personId}/call', 'GET /_emulator/meetings', 'POST /_emulator/calls/{callId}/participants/{participantId}/admit', 'POST /_emulator/incomingGroupCall', 'POST /_emulator/recordingInvitation']) {
			assert.ok(paths.includes(p), p);
		}
	});
});
