import * as assert from 'node:assert/strict';
import { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_PHONES, EMULATOR_TENANT, type EmulatorHandle, type ServedRequest } from '../../src/core/emulator';
import type { CallRecord } from '../../src/core/emulator/callEngine';
import * as calls from '../../src/core/graph/calls';
import type { GraphClient } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';
import { useEmulator } from './support/emulatorFixture';
import { waitFor } from './support/waitFor';
import type { WebhookReceiver } from './support/webhookReceiver';

/** Every typed call function against the emulator over HTTPS: the request it served and the state it changed. */
describe('graph calls against the emulator', function () {
	this.timeout(20_000);
	const served: ServedRequest[] = [];
	const fx = useEmulator({ emulator: { clockSpeed: 10 }, onStarted: (emu) => emu.emulator.onDidServe((s) => served.push(s)), receiver: true, client: true });
	let emu: EmulatorHandle;
	let client: GraphClient;
	let sink: WebhookReceiver;
	before(() => {
		({ emu, client, receiver: sink } = fx);
	});
	const { adele, lidia, johanna, alex } = EMULATOR_PEOPLE;

	beforeEach(() => {
		served.length = 0;
	});

	const common = () => ({ callbackUri: sink.url, tenantId: emu.tenantId });
	/** The emulator's record of a call; its resource is read as the JSON it is, members looked at without narrowing. */
	const state = (id: string): Omit<CallRecord, 'resource'> & { resource: Record<string, any> } => emu.emulator.engine.get(id);
	const lastServed = () => served[served.length - 1];

	async function established(callId: string): Promise<void> {
		await waitFor(`call ${callId} established`, async () => (await calls.getCall(client, callId)).body.state === 'established');
	}

	async function callTo(userId: string): Promise<string> {
		const r = await calls.createCall(client, { ...common(), kind: 'user', userId });
		await established(r.body.id);
		return r.body.id;
	}

	async function meetingCall(): Promise<string> {
		const m = EMULATOR_MEETINGS.weeklySync;
		const r = await calls.createCall(client, { ...common(), kind: 'meetingJoinId', joinMeetingId: m.joinMeetingId, passcode: m.passcode });
		await established(r.body.id);
		return r.body.id;
	}

	it('creates a call to a user (201 with the call), and get shows it established', async () => {
		const r = await calls.createCall(client, { ...common(), kind: 'user', userId: adele.id, displayName: adele.displayName });
		assert.equal(r.status, 201);
		assert.equal(lastServed().action, 'call.create');
		assert.equal(calls.callIdOf(r), r.body.id);
		assert.equal(state(r.body.id).kind, 'peerToPeer');
		assert.equal(state(r.body.id).resource.targets[0].identity.user.id, adele.id);
		await established(r.body.id);
		assert.equal(served.at(-1)!.action, 'call.get');
	});

	it('creates a call to a phone number with the application instance as source', async () => {
		const r = await calls.createCall(client, { ...common(), kind: 'phone', applicationInstanceId: EMULATOR_TENANT.applicationInstanceId, phoneNumber: EMULATOR_PHONES.answers.id });
		assert.equal(state(r.body.id).kind, 'phone');
		assert.equal(state(r.body.id).resource.source.identity.applicationInstance.id, EMULATOR_TENANT.applicationInstanceId);
		assert.equal(state(r.body.id).resource.targets[0].identity.phone.id, EMULATOR_PHONES.answers.id);
		await established(r.body.id);
	});

	it('mutes all participants on beta', async () => {
		const id = await meetingCall();
		const beta = fx.newClient({ baseUrl: emu.betaBaseUrl });
		try {
			const r = await calls.muteAllParticipants(beta, id);
			assert.equal(lastServed().action, 'participant.muteAll');
			assert.ok(lastServed().path.startsWith('/beta/'));
			assert.ok(r.body.id, 'an operation');
		} finally {
			beta.dispose();
		}
	});

	it('joins a meeting by join id and passcode, and by join URL, and sees its participants', async () => {
		const m = EMULATOR_MEETINGS.weeklySync;
		const byId = await meetingCall();
		assert.equal(state(byId).kind, 'meeting');
		const joinUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(m.threadId)}/0?context=${encodeURIComponent(JSON.stringify({ Tid: emu.tenantId, Oid: m.organizerId }))}`;
		const r = await calls.createCall(client, { ...common(), kind: 'meetingJoinUrl', joinUrl });
		assert.equal(state(r.body.id).kind, 'meeting');
		assert.equal(state(r.body.id).resource.chatInfo.threadId, m.threadId);
		await established(r.body.id);
		const list = await calls.listParticipants(client, r.body.id);
		const ids = list.body.value.map((p) => p.info?.identity?.user?.id).filter(Boolean);
		for (const id of m.participants) assert.ok(ids.includes(id), `participant ${id} listed`);
	});

	it('creates a group call with several targets', async () => {
		const r = await calls.createCall(client, { ...common(), kind: 'group', users: [{ id: lidia.id }, { id: johanna.id }] });
		assert.equal(state(r.body.id).kind, 'group');
		assert.equal(state(r.body.id).resource.targets.length, 2);
	});

	it('plays a prompt, and get operation follows it to completed', async () => {
		const id = await callTo(lidia.id);
		const r = await calls.playPrompt(client, id, { promptUris: ['https://contoso.example/welcome.wav', 'https://contoso.example/menu.wav'] });
		assert.equal(lastServed().action, 'call.playPrompt');
		assert.equal(r.body['@odata.type'], '#microsoft.graph.playPromptOperation');
		assert.equal(state(id).operations.get(r.body.id)?.status ?? r.body.status, r.body.status);
		await waitFor('prompt completed', async () => String((await calls.getOperation(client, id, r.body.id)).body.status) === 'completed');
		assert.equal(lastServed().action, 'operation.get');
	});

	it('records a response and cancels media processing (the recording fails as canceled)', async () => {
		const id = await callTo(lidia.id);
		const rec = await calls.recordResponse(client, id, { maxRecordDurationInSeconds: 60 });
		assert.equal(rec.body['@odata.type'], '#microsoft.graph.recordOperation');
		const cancel = await calls.cancelMediaProcessing(client, id);
		assert.equal(String(cancel.body.status), 'completed');
		const op = await calls.getOperation(client, id, rec.body.id);
		assert.equal(String(op.body.status), 'failed');
	});

	it('subscribes to tones and sends DTMF tones', async () => {
		const id = await callTo(lidia.id);
		await calls.subscribeToTone(client, id);
		assert.equal(state(id).subscribedToTone, true);
		const r = await calls.sendDtmfTones(client, id, { tones: ['tone1', 'pound'], delayBetweenTonesMs: 10 });
		assert.equal(r.body['@odata.type'], '#microsoft.graph.sendDtmfTonesOperation');
		assert.equal(lastServed().action, 'call.sendDtmfTones');
	});

	it('mutes and unmutes the bot', async () => {
		const id = await callTo(lidia.id);
		const bot = () => state(id).participants.get(state(id).botParticipantId);
		await calls.muteCall(client, id);
		assert.equal(bot()?.isMuted, true);
		await calls.unmuteCall(client, id);
		assert.equal(bot()?.isMuted, false);
	});

	it('keeps a call alive, updates recording status, changes the screen sharing role, adds the large gallery view', async () => {
		const id = await meetingCall();
		const k = await calls.keepAlive(client, id);
		assert.equal(k.status, 200);
		assert.equal(lastServed().action, 'call.keepAlive');
		await calls.updateRecordingStatus(client, id, { status: 'recording' });
		assert.equal(state(id).participants.get(state(id).botParticipantId)?.recordingInfo?.recordingStatus, 'recording');
		await calls.changeScreenSharingRole(client, id, { role: 'sharer' });
		assert.equal(state(id).screenSharingRole, 'sharer');
		const g = await calls.addLargeGalleryView(client, id);
		assert.equal(g.body['@odata.type'], '#microsoft.graph.addLargeGalleryViewOperation');
	});

	it('invites, gets, mutes, holds and removes participants in a meeting', async () => {
		const id = await meetingCall();
		const inv = await calls.inviteParticipants(client, id, { participants: [{ kind: 'user', id: lidia.id }] });
		assert.equal(inv.body['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		const lidiaP = await waitFor('lidia joined', async () => (await calls.listParticipants(client, id)).body.value.find((p) => p.info?.identity?.user?.id === lidia.id));
		const one = await calls.getParticipant(client, id, lidiaP.id);
		assert.equal(one.body.id, lidiaP.id);
		const alexP = (await calls.listParticipants(client, id)).body.value.find((p) => p.info?.identity?.user?.id === alex.id)!;
		await calls.muteParticipant(client, id, alexP.id);
		assert.equal(state(id).participants.get(alexP.id)?.isMuted, true);
		await calls.startHoldMusic(client, id, alexP.id, { customPromptUri: 'https://contoso.example/hold.wav' });
		assert.equal(lastServed().action, 'participant.startHoldMusic');
		await calls.stopHoldMusic(client, id, alexP.id);
		assert.equal(lastServed().action, 'participant.stopHoldMusic');
		const del = await calls.deleteParticipant(client, id, lidiaP.id);
		assert.equal(del.status, 204);
		assert.equal(state(id).participants.has(lidiaP.id), false);
	});

	it('lists content sharing sessions and manages audio routing groups', async () => {
		const id = await meetingCall();
		emu.emulator.engine.contentSharing.add(emu.emulator.engine.get(id));
		const sessions = await calls.listContentSharingSessions(client, id);
		assert.equal(sessions.body.value.length, 1);
		const s = await calls.getContentSharingSession(client, id, sessions.body.value[0].id!);
		assert.equal(s.body.id, sessions.body.value[0].id);
		const participants = (await calls.listParticipants(client, id)).body.value.map((p) => p.id);
		const g = await calls.createAudioRoutingGroup(client, id, { routingMode: 'oneToOne', sources: [participants[0]], receivers: [participants[1]] });
		assert.equal(g.status, 201);
		assert.equal((await calls.listAudioRoutingGroups(client, id)).body.value.length, 1);
		await calls.updateAudioRoutingGroup(client, id, g.body.id!, { receivers: [participants[2]] });
		assert.deepEqual((await calls.getAudioRoutingGroup(client, id, g.body.id!)).body.receivers, [participants[2]]);
		await calls.deleteAudioRoutingGroup(client, id, g.body.id!);
		assert.equal(state(id).audioRoutingGroups.size, 0);
	});

	it('transfers blind: the call reaches transferAccepted and ends with 7015', async () => {
		const id = await callTo(lidia.id);
		await calls.transferCall(client, id, { target: { kind: 'user', id: johanna.id } });
		assert.equal(state(id).resource.state, 'transferring');
		const err = await waitFor('call ended after transfer', async () => calls.getCall(client, id).then((): false => false, (e: unknown) => e as GraphError));
		assert.equal(err.status, 404);
		assert.match(err.graphMessage!, /7015/);
	});

	it('transfers consultatively, replacing the call with the bot\'s call to the target', async () => {
		const first = await callTo(lidia.id);
		const consult = await callTo(adele.id);
		await calls.transferCall(client, first, { target: { kind: 'user', id: adele.id }, replacesCallId: consult });
		assert.equal(state(first).resource.state, 'transferring');
		await waitFor('both calls ended', () => emu.emulator.engine.list().every((c) => c.id !== first && c.id !== consult));
	});

	it('answers, rejects and redirects incoming calls', async () => {
		const a = emu.incomingCall({ userId: lidia.id }, sink.url);
		await calls.answerCall(client, a, { callbackUri: sink.url });
		await established(a);
		const b = emu.incomingCall({ userId: johanna.id }, sink.url);
		await calls.rejectCall(client, b, { reason: 'busy' });
		await waitFor('rejected call gone', () => !emu.emulator.engine.list().some((c) => c.id === b));
		const c = emu.incomingCall({ userId: adele.id }, sink.url);
		await calls.redirectCall(client, c, { targets: [{ kind: 'user', id: johanna.id }, { kind: 'phone', number: EMULATOR_PHONES.answers.id }], timeoutSeconds: 30 });
		assert.equal(state(c).resource.state, 'redirecting');
		assert.deepEqual(served.map((s) => s.action), ['call.answer', 'call.get', ...served.slice(2).map((s) => s.action)]);
	});

	it('hangs up: 204, then 404 with a "call gone" explanation, and notifications reached the callback', async () => {
		const id = await callTo(lidia.id);
		const r = await calls.deleteCall(client, id);
		assert.equal(r.status, 204);
		const err = await waitFor('404 after hang-up', () => calls.getCall(client, id).then((): false => false, (e: unknown) => e as GraphError));
		assert.equal(err.status, 404);
		assert.match(err.explanation, /call has probably ended/);
		assert.ok(sink.notifications.some((v) => v.resourceUrl.toLowerCase().includes(id.toLowerCase())), 'a notification for the call arrived');
	});

	it('names the missing permission on a 403 from the emulator', async () => {
		const id = await callTo(lidia.id);
		emu.setRoles(['Calls.Initiate.All']);
		try {
			const err = await calls.recordResponse(client, id, { maxRecordDurationInSeconds: 5 }).catch((e: unknown) => e);
			assert.ok(err instanceof GraphError);
			assert.equal(err.status, 403);
			assert.match(err.explanation, /Calls\.AccessMedia\.All/);
			assert.ok(err.requestId, 'request-id from the emulator');
		} finally {
			emu.setRoles(['Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All', 'Calls.AccessMedia.All']);
		}
	});

	it('reports 7505 when the body names another tenant', async () => {
		const err = await calls.createCall(client, { callbackUri: sink.url, tenantId: '00000000-0000-4000-8000-000000000000', kind: 'user', userId: lidia.id }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError);
		assert.equal(err.code, '7505');
		assert.match(err.explanation, /different tenant/);
	});

	it('refuses bad input before sending anything', async () => {
		await assert.rejects(calls.playPrompt(client, 'x', { promptUris: Array(21).fill('https://a.example/a.wav') }), /at most 20 prompts/);
		await assert.rejects(calls.recordResponse(client, 'x', { maxRecordDurationInSeconds: 121 }), /from 1 to 120/);
		await assert.rejects(calls.inviteParticipants(client, 'x', { participants: Array(6).fill({ kind: 'user', id: lidia.id }) }), /at most 5 invitees/);
		await assert.rejects(calls.createCall(client, { ...common(), kind: 'phone', applicationInstanceId: EMULATOR_TENANT.applicationInstanceId, phoneNumber: '4255550101' }), /E\.164/);
		assert.equal(served.length, 0);
	});
});
