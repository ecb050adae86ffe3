import * as assert from 'node:assert/strict';
import type { Agent } from 'undici';
import { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_PHONES, EMULATOR_TENANT, type EmulatorHandle } from '../../../src/core/emulator';
import { control, emulatorToken, graph, type GraphReply } from '../support/emulatorAuth';
import { useEmulator } from '../support/emulatorFixture';
import type { WebhookReceiver } from '../support/webhookReceiver';

const { adele, megan, lee, nestor, diego, lidia, johanna } = EMULATOR_PEOPLE;
const SERVICE_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

function userTarget(id: string) {
	return { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id } } };
}

describe('emulator: the calls API over HTTPS, state paths and webhooks', function () {
	this.timeout(20000);
	// Emulated time 20x: ring, operation and retry delays take milliseconds.
	const fx = useEmulator({ emulator: { clockSpeed: 20 }, token: true, receiver: true });
	let emu: EmulatorHandle;
	let agent: Agent;
	let token: string;
	let rx: WebhookReceiver;
	before(() => {
		({ emu, agent, token, receiver: rx } = fx);
	});

	const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => graph(emu, agent, token, method, path, body, headers);
	const createCall = (extra: Record<string, unknown>) => api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, tenantId: emu.tenantId, ...extra });
	const callTo = async (userId: string): Promise<string> => {
		const r = await createCall({ targets: [userTarget(userId)] });
		assert.equal(r.status, 201, JSON.stringify(r.body));
		return r.body.id;
	};
	const established = async (userId: string): Promise<string> => {
		const id = await callTo(userId);
		await rx.waitForState(id, 'established');
		return id;
	};
	const terminated = async (id: string) => (await rx.waitForState(id, 'terminated')).resourceData as { resultInfo: { code: number; subcode: number } };
	const expectError = (r: GraphReply, status: number, pattern: RegExp) => {
		assert.equal(r.status, status, JSON.stringify(r.body));
		assert.ok(r.body.error.code, 'Graph error shape: error.code');
		assert.match(r.body.error.message, pattern);
		assert.ok(r.body.error.innerError['request-id'], 'Graph error shape: innerError.request-id');
	};

	it('1:1 call to someone who answers: 201 + Location, establishing -> established, signed notifications, roster, then hang up', async () => {
		const r = await createCall({ targets: [userTarget(adele.id)] }).then((x) => x);
		assert.equal(r.status, 201);
		assert.equal(r.body.state, 'establishing');
		assert.equal(r.headers.location, `${emu.graphBaseUrl}/communications/calls/${r.body.id}`);
		assert.ok(r.headers['request-id']);
		const id = r.body.id;
		await rx.waitForState(id, 'establishing');
		await rx.waitForState(id, 'ringing');
		await rx.waitForState(id, 'established');
		const order = rx.forCall(id).filter((n) => !Array.isArray(n.resourceData)).map((n) => (n.resourceData as any).state);
		assert.deepEqual(order.slice(0, 3), ['establishing', 'ringing', 'established']);
		const roster = await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && Array.isArray(n.resourceData) && n.resourceData.length === 2);
		const names = (roster.resourceData as any[]).map((p) => p.info.identity.user?.displayName ?? p.info.identity.application?.displayName);
		assert.deepEqual(names.sort(), [adele.displayName, EMULATOR_TENANT.botDisplayName].sort());
		for (const post of rx.posts.filter((p) => p.notifications.some((n) => n.resourceUrl.includes(id)))) {
			assert.equal(post.jwtError, undefined, `notification JWT verifies: ${post.jwtError}`);
			assert.equal(post.claims!.aud, emu.clientId);
			assert.equal(post.claims!.tid, emu.tenantId);
			assert.equal(post.claims!.iss, 'https://api.botframework.com');
		}
		const got = await api('GET', `/communications/calls/${id}`, undefined, { 'client-request-id': 'my-correlation-1' });
		assert.equal(got.status, 200);
		assert.equal(got.body.state, 'established');
		assert.equal(got.headers['client-request-id'], 'my-correlation-1');
		const list = await api('GET', `/communications/calls/${id}/participants`);
		assert.equal(list.body.value.length, 2);
		const one = await api('GET', `/communications/calls/${id}/participants/${list.body.value[0].id}`);
		assert.equal(one.body.id, list.body.value[0].id);
		const del = await api('DELETE', `/communications/calls/${id}`);
		assert.equal(del.status, 204);
		await rx.waitForState(id, 'terminating');
		const end = await terminated(id);
		assert.deepEqual([end.resultInfo.code, end.resultInfo.subcode], [200, 7000]);
		assert.equal(rx.forCall(id).find((n) => (n.resourceData as any)?.state === 'terminated')!.changeType, 'deleted');
		expectError(await api('GET', `/communications/calls/${id}`), 404, /ended/);
		expectError(await api('POST', `/communications/calls/${id}/keepAlive`), 404, /ended/);
	});

	it('callees who are busy, decline, never answer or are offline end the call with their resultInfo', async () => {
		const cases: [string, number, number][] = [[megan.id, 486, 0], [lee.id, 603, 0], [nestor.id, 408, 0], [diego.id, 480, 10037], ['00000000-0000-4000-8000-0000000000ff', 480, 10037]];
		const ids = await Promise.all(cases.map(([user]) => callTo(user)));
		for (const [i, [, code, subcode]] of cases.entries()) {
			const end = await terminated(ids[i]);
			assert.deepEqual([end.resultInfo.code, end.resultInfo.subcode], [code, subcode], `callee ${cases[i][0]}`);
			const seen = rx.forCall(ids[i]).map((n) => (n.resourceData as any)?.state);
			assert.equal(seen.includes('established'), false);
			assert.equal(seen.includes('ringing'), code === 603 || code === 408, `ringing only for callees whose devices ring: ${seen.join(',')}`);
		}
	});

	it('calls a phone number from the bot\'s application instance, and refuses one without it', async () => {
		const phone = { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { phone: { id: EMULATOR_PHONES.answers.id } } };
		const r = await createCall({ targets: [phone], source: { identity: { applicationInstance: { id: EMULATOR_TENANT.applicationInstanceId } } } });
		assert.equal(r.status, 201);
		await rx.waitForState(r.body.id, 'established');
		expectError(await createCall({ targets: [phone] }), 400, /applicationInstance/);
		expectError(await createCall({ targets: [{ identity: { phone: { id: '4255550101' } } }], source: { identity: { applicationInstance: { id: 'x' } } } }), 400, /E\.164/);
		const busy = await createCall({ targets: [{ identity: { phone: { id: EMULATOR_PHONES.busy.id } } }], source: { identity: { applicationInstance: { id: EMULATOR_TENANT.applicationInstanceId } } } });
		assert.equal((await terminated(busy.body.id)).resultInfo.code, 486);
	});

	it('joins a meeting by join id and passcode or by organizer + thread id; wrong passcode is 403, unknown meeting 404', async () => {
		const m = EMULATOR_MEETINGS.weeklySync;
		const r = await createCall({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode } });
		assert.equal(r.status, 201);
		await rx.waitForState(r.body.id, 'established');
		const list = await api('GET', `/communications/calls/${r.body.id}/participants`);
		const users = list.body.value.map((p: any) => p.info.identity.user?.id).filter(Boolean);
		assert.deepEqual(users.sort(), [...m.participants].sort());
		const byOrganizer = await createCall({
			meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: m.organizerId } } },
			chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: m.threadId, messageId: '0' },
		});
		assert.equal(byOrganizer.status, 201);
		await rx.waitForState(byOrganizer.body.id, 'established');
		expectError(await createCall({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: 'nope' } }), 403, /passcode/);
		expectError(await createCall({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '111' } }), 404, /directory/);
	});

	it('group call: the bot is established, people who answer join the roster, busy ones do not', async () => {
		const r = await createCall({ targets: [userTarget(lidia.id), userTarget(megan.id)] });
		assert.equal(r.status, 201);
		const id = r.body.id;
		await rx.waitForState(id, 'established');
		await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && (n.resourceData as any[]).some((p) => p.info.identity.user?.id === lidia.id));
		await new Promise((res) => setTimeout(res, 100));
		const list = await api('GET', `/communications/calls/${id}/participants`);
		const users = list.body.value.map((p: any) => p.info.identity.user?.id).filter(Boolean);
		assert.deepEqual(users, [lidia.id]);
		expectError(await createCall({ targets: [1, 2, 3, 4, 5, 6].map(() => userTarget(lidia.id)) }), 400, /at most 5/);
	});

	it('incoming calls: answer, reject and redirect within the window; a missed call ends 408/1106', async () => {
		const answered = emu.incomingCall({ userId: adele.id }, rx.url);
		const created = await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${answered}` && n.changeType === 'created');
		assert.equal((created.resourceData as any).state, 'incoming');
		assert.equal((created.resourceData as any).source.identity.user.id, adele.id);
		const a = await api('POST', `/communications/calls/${answered}/answer`, { callbackUri: rx.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
		assert.equal(a.status, 202);
		await rx.waitForState(answered, 'established');
		expectError(await api('POST', `/communications/calls/${answered}/answer`, { callbackUri: rx.url, mediaConfig: SERVICE_MEDIA }), 400, /established/);

		const rejected = (await control(emu, agent, 'POST', '/incomingCall', { from: { phone: EMULATOR_PHONES.answers.id }, callbackUri: rx.url })).body.callId;
		assert.equal((await api('POST', `/communications/calls/${rejected}/reject`, { reason: 'busy' })).status, 202);
		assert.equal((await terminated(rejected)).resultInfo.code, 486);
		expectError(await api('POST', `/communications/calls/${emu.incomingCall({ userId: adele.id }, rx.url)}/reject`, { reason: 'tired' }), 400, /reason/);

		const redirected = emu.incomingCall({ userId: johanna.id }, rx.url);
		assert.equal((await api('POST', `/communications/calls/${redirected}/redirect`, { targets: [userTarget(lidia.id)], timeout: 20 })).status, 202);
		await rx.waitForState(redirected, 'redirecting');
		await terminated(redirected);

		const missed = emu.incomingCall({ userId: adele.id }, rx.url);
		const end = await terminated(missed);
		assert.deepEqual([end.resultInfo.code, end.resultInfo.subcode], [408, 1106]);
		expectError(await api('POST', `/communications/calls/${missed}/answer`, { callbackUri: rx.url, mediaConfig: SERVICE_MEDIA }), 404, /ended/);
	});

	it('blind transfer: transferring -> transferAccepted -> terminated 200/7015; a busy target leaves the call established', async () => {
		const id = await established(adele.id);
		assert.equal((await api('POST', `/communications/calls/${id}/transfer`, { transferTarget: userTarget(lidia.id) })).status, 202);
		await rx.waitForState(id, 'transferring');
		await rx.waitForState(id, 'transferAccepted');
		const end = await terminated(id);
		assert.deepEqual([end.resultInfo.code, end.resultInfo.subcode], [200, 7015]);

		const second = await established(adele.id);
		await api('POST', `/communications/calls/${second}/transfer`, { transferTarget: userTarget(megan.id) });
		const back = await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${second}` && (n.resourceData as any).state === 'established' && (n.resourceData as any).resultInfo?.code === 486);
		assert.ok(back);
		assert.equal((await api('GET', `/communications/calls/${second}`)).body.state, 'established');
		expectError(await api('POST', `/communications/calls/${second}/transfer`, {}), 400, /transferTarget/);
	});

	it('consultative transfer replaces the consultation call: both end with 7015', async () => {
		const first = await established(adele.id);
		const consult = await established(lidia.id);
		const r = await api('POST', `/communications/calls/${first}/transfer`, { transferTarget: { ...userTarget(lidia.id), replacesCallId: consult } });
		assert.equal(r.status, 202);
		assert.equal((await terminated(first)).resultInfo.subcode, 7015);
		assert.equal((await terminated(consult)).resultInfo.subcode, 7015);
		const other = await established(adele.id);
		expectError(await api('POST', `/communications/calls/${other}/transfer`, { transferTarget: { ...userTarget(lidia.id), replacesCallId: '00000000-0000-0000-0000-000000000000' } }), 400, /replacesCallId/);
	});

	it('group-call transfer needs a transferee who is a participant of the call (not the bot); then it completes with 7015', async () => {
		const r = await createCall({ targets: [userTarget(lidia.id), userTarget(adele.id)] });
		assert.equal(r.status, 201);
		const id = r.body.id;
		const botId = r.body.myParticipantId;
		await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && (n.resourceData as any[]).filter((p) => p.info.identity.user).length === 2);
		const people = (await api('GET', `/communications/calls/${id}/participants`)).body.value.filter((p: any) => p.info.identity.user);
		const adeleLeg = people.find((p: any) => p.info.identity.user.id === adele.id);
		const transfer = (transferee?: unknown) => api('POST', `/communications/calls/${id}/transfer`, { transferTarget: userTarget(johanna.id), ...(transferee ? { transferee } : {}) });
		expectError(await transfer(), 400, /need transferee/);
		expectError(await transfer({ identity: adeleLeg.info.identity }), 400, /participantId/);
		expectError(await transfer({ identity: adeleLeg.info.identity, participantId: '5e0c0b5e-0000-4000-8000-00000000dead' }), 400, /5e0c0b5e-0000-4000-8000-00000000dead is not a participant of call/);
		expectError(await transfer({ identity: { application: { id: emu.clientId } }, participantId: botId }), 400, /is the bot itself/);
		assert.equal((await api('GET', `/communications/calls/${id}`)).body.state, 'established', 'a refused transfer leaves the call as it was');
		const ok = await transfer({ '@odata.type': '#microsoft.graph.participantInfo', identity: adeleLeg.info.identity, participantId: adeleLeg.id.toUpperCase() });
		assert.equal(ok.status, 202, JSON.stringify(ok.body));
		await rx.waitForState(id, 'transferAccepted');
		assert.deepEqual([(await terminated(id)).resultInfo.code, (await terminated(id)).resultInfo.subcode], [200, 7015]);
	});

	it('playPrompt runs then completes with a deleted operation notification; cancelMediaProcessing fails a running prompt', async () => {
		const id = await established(adele.id);
		const prompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/hello.wav' } };
		const r = await api('POST', `/communications/calls/${id}/playPrompt`, { clientContext: 'ctx-1', prompts: [prompt] });
		assert.equal(r.status, 200);
		assert.equal(r.body['@odata.type'], '#microsoft.graph.playPromptOperation');
		assert.equal(r.body.status, 'running');
		assert.equal(r.body.clientContext, 'ctx-1');
		const done = await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/operations/${r.body.id}`);
		assert.equal(done.changeType, 'deleted');
		assert.equal((done.resourceData as any).status, 'completed');
		assert.equal((await api('GET', `/communications/calls/${id}/operations/${r.body.id}`)).body.status, 'completed');

		const long = await api('POST', `/communications/calls/${id}/playPrompt`, { prompts: Array(20).fill(prompt) });
		const cancel = await api('POST', `/communications/calls/${id}/cancelMediaProcessing`, { clientContext: 'c' });
		assert.equal(cancel.body.status, 'completed');
		const canceled = await api('GET', `/communications/calls/${id}/operations/${long.body.id}`);
		assert.equal(canceled.body.status, 'failed');
		expectError(await api('POST', `/communications/calls/${id}/playPrompt`, { prompts: Array(21).fill(prompt) }), 400, /1 to 20/);
		expectError(await api('POST', `/communications/calls/${id}/playPrompt`, { prompts: [{}] }), 400, /mediaInfo\.uri/);
		expectError(await api('GET', `/communications/calls/${id}/operations/nope`), 404, /Operation/);
	});

	it('recordResponse stops on a stop tone with recordingLocation + recordingAccessToken; the recording downloads', async () => {
		const id = await established(adele.id);
		const r = await api('POST', `/communications/calls/${id}/recordResponse`, { maxRecordDurationInSeconds: 120, stopTones: ['#'], bargeInAllowed: true });
		assert.equal(r.body['@odata.type'], '#microsoft.graph.recordOperation');
		assert.equal(r.body.stopTones, undefined);
		emu.pressKeys(id, '#');
		const done = await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/operations/${r.body.id}`);
		const op = done.resourceData as any;
		assert.equal(op.completionReason, 'stopToneDetected');
		assert.ok(op.recordingAccessToken);
		const wav = await graph(emu, agent, op.recordingAccessToken, 'GET', op.recordingLocation);
		assert.equal(wav.status, 200);
		assert.equal(wav.headers['content-type'], 'audio/wav');
		expectError(await api('POST', `/communications/calls/${id}/recordResponse`, { maxRecordDurationInSeconds: 121 }), 400, /120/);
	});

	it('subscribeToTone: key presses arrive as toneInfo with rising sequenceId; none before subscribing', async () => {
		const id = await established(adele.id);
		assert.equal((await control(emu, agent, 'POST', `/calls/${id}/keys`, { keys: '9' })).body.delivered, 0);
		const sub = await api('POST', `/communications/calls/${id}/subscribeToTone`, { clientContext: 'tones' });
		assert.equal(sub.body.status, 'completed');
		assert.equal((await control(emu, agent, 'POST', `/calls/${id}/keys`, { keys: '12#' })).body.delivered, 3);
		await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}` && (n.resourceData as any).toneInfo?.sequenceId === 3);
		const tones = rx.forCall(id).map((n) => (n.resourceData as any)?.toneInfo).filter(Boolean);
		assert.deepEqual(tones.map((t) => t.tone), ['tone1', 'tone2', 'pound']);
		assert.deepEqual(tones.map((t) => t.sequenceId), [1, 2, 3]);
		expectError(await control(emu, agent, 'POST', `/calls/${id}/keys`, { keys: 'x' }), 400, /DTMF/);
	});

	it('sendDtmfTones, mute/unmute, updateRecordingStatus, changeScreenSharingRole, addLargeGalleryView, keepAlive', async () => {
		const id = await established(adele.id);
		const dtmf = await api('POST', `/communications/calls/${id}/sendDtmfTones`, { tones: ['tone1', 'pound'], delayBetweenTonesMs: 10 });
		assert.equal(dtmf.body['@odata.type'], '#microsoft.graph.sendDtmfTonesOperation');
		await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/operations/${dtmf.body.id}`);
		expectError(await api('POST', `/communications/calls/${id}/sendDtmfTones`, { tones: ['tone12'] }), 400, /tones/);
		const mute = await api('POST', `/communications/calls/${id}/mute`, {});
		assert.equal(mute.body['@odata.type'], '#microsoft.graph.muteParticipantOperation');
		await rx.waitFor((n) => n.resourceUrl.endsWith(`${id}/participants`) && (n.resourceData as any[]).some((p) => p.info.identity.application && p.isMuted));
		const unmute = await api('POST', `/communications/calls/${id}/unmute`, {});
		assert.equal(unmute.body['@odata.type'], '#microsoft.graph.unmuteParticipantOperation');
		const rec = await api('POST', `/communications/calls/${id}/updateRecordingStatus`, { status: 'recording', clientContext: 'r' });
		assert.equal(rec.body['@odata.type'], '#microsoft.graph.updateRecordingStatusOperation');
		expectError(await api('POST', `/communications/calls/${id}/updateRecordingStatus`, { status: 'maybe' }), 400, /status/);
		assert.equal((await api('POST', `/communications/calls/${id}/changeScreenSharingRole`, { role: 'sharer' })).status, 202);
		expectError(await api('POST', `/communications/calls/${id}/changeScreenSharingRole`, { role: 'boss' }), 400, /role/);
		assert.equal((await api('POST', `/communications/calls/${id}/addLargeGalleryView`, {})).body['@odata.type'], '#microsoft.graph.addLargeGalleryViewOperation');
		const ka = await api('POST', `/communications/calls/${id}/keepAlive`);
		assert.equal(ka.status, 200);
	});

	it('keepAlive is enforced: without it the call ends 408/8537, with it the call stays', async () => {
		// 40 s emulated = 2 s real at speed 20: long enough for keepAlives to get through on a loaded machine.
		await control(emu, agent, 'PATCH', '/timings', { keepAliveTimeoutMs: 40_000 });
		try {
			const lazy = await established(adele.id);
			const kept = await established(adele.id);
			let running = true;
			const loop = (async () => {
				while (running) {
					await api('POST', `/communications/calls/${kept}/keepAlive`);
					await new Promise((r) => setTimeout(r, 100));
				}
			})();
			try {
				const end = await terminated(lazy);
				assert.deepEqual([end.resultInfo.code, end.resultInfo.subcode], [408, 8537]);
				await new Promise((r) => setTimeout(r, 500));
				assert.equal((await api('GET', `/communications/calls/${kept}`)).body.state, 'established');
			} finally {
				running = false;
				await loop;
			}
		} finally {
			await control(emu, agent, 'PATCH', '/timings', { keepAliveTimeoutMs: 45 * 60_000 });
		}
	});

	it('participants in a meeting: invite (operation + roster), mute, hold music, remove; people join and leave via control', async () => {
		const m = EMULATOR_MEETINGS.weeklySync;
		const r = await createCall({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode } });
		const id = r.body.id;
		await rx.waitForState(id, 'established');
		const invite = await api('POST', `/communications/calls/${id}/participants/invite`, { participants: [userTarget(lidia.id)], clientContext: 'inv' });
		assert.equal(invite.body['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		assert.equal(invite.body.status, 'running');
		const done = await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/operations/${invite.body.id}`);
		assert.equal((done.resourceData as any).status, 'completed');
		const list = (await api('GET', `/communications/calls/${id}/participants`)).body.value as any[];
		const lidiaP = list.find((p) => p.info.identity.user?.id === lidia.id);
		assert.ok(lidiaP, 'invited participant joined');
		const busyInvite = await api('POST', `/communications/calls/${id}/participants/invite`, { participants: [userTarget(megan.id)] });
		const failed = await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/operations/${busyInvite.body.id}`);
		assert.equal((failed.resourceData as any).status, 'failed');
		expectError(await api('POST', `/communications/calls/${id}/participants/invite`, { participants: Array(6).fill(userTarget(lidia.id)) }), 400, /1 to 5/);

		const mute = await api('POST', `/communications/calls/${id}/participants/${lidiaP.id}/mute`, { clientContext: 'm' });
		assert.equal(mute.body['@odata.type'], '#microsoft.graph.muteParticipantOperation');
		assert.equal((await api('GET', `/communications/calls/${id}/participants/${lidiaP.id}`)).body.isMuted, true);
		const hold = await api('POST', `/communications/calls/${id}/participants/${lidiaP.id}/startHoldMusic`, { customPrompt: { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/hold.wav' } } });
		assert.equal(hold.body['@odata.type'], '#microsoft.graph.startHoldMusicOperation');
		await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/operations/${hold.body.id}`);
		const stop = await api('POST', `/communications/calls/${id}/participants/${lidiaP.id}/stopHoldMusic`, {});
		assert.equal(stop.body['@odata.type'], '#microsoft.graph.stopHoldMusicOperation');
		assert.equal((await api('DELETE', `/communications/calls/${id}/participants/${lidiaP.id}`)).status, 204);
		expectError(await api('GET', `/communications/calls/${id}/participants/${lidiaP.id}`), 404, /not in call/);

		const joined = await control(emu, agent, 'POST', `/calls/${id}/participants`, { displayName: 'Walk-in guest' });
		assert.equal(joined.status, 201);
		await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && (n.resourceData as any[]).some((p) => p.info.identity.guest?.displayName === 'Walk-in guest'));
		assert.equal((await control(emu, agent, 'DELETE', `/calls/${id}/participants/${joined.body.id}`)).status, 204);
		const muteAll = await graph(emu, agent, token, 'POST', `${emu.betaBaseUrl}/communications/calls/${id}/participants/muteAll`, {});
		assert.equal(muteAll.status, 200);
		const after = (await api('GET', `/communications/calls/${id}/participants`)).body.value as any[];
		assert.ok(after.filter((p) => p.info.identity.user).every((p) => p.isMuted));
	});

	it('the remote side hangs up (200/5001), holds and resumes', async () => {
		const id = await established(adele.id);
		await control(emu, agent, 'POST', `/calls/${id}/hold`);
		await rx.waitForState(id, 'hold');
		await control(emu, agent, 'POST', `/calls/${id}/resume`);
		await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}` && (n.resourceData as any).state === 'established' && rx.forCall(id).some((x) => (x.resourceData as any)?.state === 'hold'));
		await control(emu, agent, 'POST', `/calls/${id}/hangUp`);
		const end = await terminated(id);
		assert.deepEqual([end.resultInfo.code, end.resultInfo.subcode], [200, 5001]);
	});

	it('content sharing sessions and audio routing groups', async () => {
		const id = await established(adele.id);
		assert.deepEqual((await api('GET', `/communications/calls/${id}/contentSharingSessions`)).body.value, []);
		const s = await control(emu, agent, 'POST', `/calls/${id}/contentSharingSessions`);
		assert.equal((await api('GET', `/communications/calls/${id}/contentSharingSessions`)).body.value.length, 1);
		assert.equal((await api('GET', `/communications/calls/${id}/contentSharingSessions/${s.body.id}`)).body.id, s.body.id);
		const parts = (await api('GET', `/communications/calls/${id}/participants`)).body.value as any[];
		const g = await api('POST', `/communications/calls/${id}/audioRoutingGroups`, { routingMode: 'oneToOne', sources: [parts[0].id], receivers: [parts[1].id] });
		assert.equal(g.status, 201);
		assert.equal((await api('GET', `/communications/calls/${id}/audioRoutingGroups`)).body.value.length, 1);
		const patched = await api('PATCH', `/communications/calls/${id}/audioRoutingGroups/${g.body.id}`, { routingMode: 'multicast', receivers: [parts[1].id, parts[0].id] });
		assert.equal(patched.body.routingMode, 'multicast');
		assert.equal((await api('DELETE', `/communications/calls/${id}/audioRoutingGroups/${g.body.id}`)).status, 204);
		expectError(await api('GET', `/communications/calls/${id}/audioRoutingGroups/${g.body.id}`), 404, /Audio routing group/);
		expectError(await api('POST', `/communications/calls/${id}/audioRoutingGroups`, { routingMode: 'mesh' }), 400, /routingMode/);
	});

	it('validates create bodies with Graph-shaped 400s; http callbacks only on loopback, with a warning header', async () => {
		expectError(await createCall({ callbackUri: undefined, targets: [userTarget(adele.id)] }), 400, /callbackUri is required/);
		expectError(await createCall({ callbackUri: 'http://bot.example/cb', targets: [userTarget(adele.id)] }), 400, /https/);
		expectError(await createCall({ requestedModalities: [], targets: [userTarget(adele.id)] }), 400, /requestedModalities/);
		expectError(await createCall({ mediaConfig: {}, targets: [userTarget(adele.id)] }), 400, /mediaConfig/);
		expectError(await createCall({ targets: [] }), 400, /targets/);
		expectError(await createCall({ targets: [{ identity: {} }] }), 400, /identity/);
		expectError(await createCall({ tenantId: '00000000-0000-0000-0000-000000000001', targets: [userTarget(adele.id)] }), 403, /tenant/);
		expectError(await api('POST', '/communications/calls', '{not json'), 400, /JSON/);
		const loopback = await createCall({ targets: [userTarget(adele.id)] });
		assert.match(loopback.headers['x-emulator-warning'], /https/);
		const secure = await createCall({ callbackUri: 'https://bot.example/cb', targets: [userTarget(adele.id)] });
		assert.equal(secure.status, 201);
		assert.equal(secure.headers['x-emulator-warning'], undefined);
		expectError(await api('GET', '/communications/callz'), 400, /segment/);
		expectError(await api('PUT', `/communications/calls/${secure.body.id}`), 405, /PUT/);
	});

	it('serves beta and its /app/calls alias', async () => {
		const r = await graph(emu, agent, token, 'POST', `${emu.betaBaseUrl}/app/calls`, { callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, targets: [userTarget(adele.id)] });
		assert.equal(r.status, 201);
		assert.equal(r.headers.location, `${emu.betaBaseUrl}/communications/calls/${r.body.id}`);
		assert.equal((await graph(emu, agent, token, 'GET', `${emu.betaBaseUrl}/app/calls/${r.body.id}`)).body.id, r.body.id);
	});

	it('another app cannot see the bot\'s calls', async () => {
		const id = await callTo(adele.id);
		emu.emulator.apps.set('aaaaaaaa-0000-4000-8000-000000000001', { clientId: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Other', secrets: [{ value: 'other-secret' }], certificates: [], roles: ['Calls.Initiate.All'] });
		const other = await emulatorToken(emu, agent, { clientId: 'aaaaaaaa-0000-4000-8000-000000000001', clientSecret: 'other-secret' });
		const r = await graph(emu, agent, other, 'GET', `/communications/calls/${id}`);
		assert.equal(r.status, 404);
	});

	it('retries webhooks the receiver fails, with backoff, until one is acknowledged', async () => {
		await emu.webhooksIdle();
		rx.failNext = 2;
		const id = await callTo(adele.id);
		await rx.waitForState(id, 'established');
		await emu.webhooksIdle();
		const attempts = emu.emulator.webhooks.history.filter((h) => h.notifications.some((n) => n.resourceUrl === `/communications/calls/${id}` && (n.resourceData as any).state === 'establishing'));
		assert.deepEqual(attempts.map((a) => [a.attempt, a.status]), [[1, 503], [2, 503], [3, 202]]);
		const hist = await control(emu, agent, 'GET', '/notifications');
		assert.ok(!JSON.stringify(hist.body).includes(emu.emulator.webhooks.tokenFor(emu.clientId, emu.tenantId)), 'history holds no tokens');
	});

	it('follows a 302 + Location from the callback once (region redirect)', async () => {
		const { createServer } = await import('node:http');
		let hits = 0;
		const redirector = createServer((req, res) => {
			hits++;
			req.resume();
			res.writeHead(302, { Location: rx.url }).end();
		});
		await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
		try {
			const port = (redirector.address() as import('node:net').AddressInfo).port;
			const r = await createCall({ callbackUri: `http://127.0.0.1:${port}/region-a`, targets: [userTarget(adele.id)] });
			await rx.waitForState(r.body.id, 'established');
			assert.ok(hits >= 1);
		} finally {
			redirector.close();
		}
	});

	it('the state dump and directory are served by the control API', async () => {
		const dir = await control(emu, agent, 'GET', '/directory');
		assert.ok(dir.body.users.some((u: any) => u.id === adele.id && u.behaviour === 'answers'));
		for (const b of ['busy', 'declines', 'neverAnswers']) assert.ok(dir.body.users.some((u: any) => u.behaviour === b), b);
		assert.ok(dir.body.phones.length > 0 && dir.body.meetings.length > 0);
		const id = await callTo(adele.id);
		const state = await control(emu, agent, 'GET', '/state');
		assert.ok(state.body.calls.some((c: any) => c.call.id === id));
		assert.ok(!JSON.stringify(state.body).includes(emu.clientSecret), 'no secret in the state dump');
		const index = await control(emu, agent, 'GET', '');
		assert.ok(index.body.endpoints.length > 20);
	});
});
