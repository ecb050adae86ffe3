/**
 * The emulator against the Graph v1.0 documentation (microsoftgraph/microsoft-graph-docs-contrib,
 * api-reference/v1.0/api/*.md): each test sends a page's documented request example and checks the documented
 * status, headers and body shape, and the notifications the page shows at the same step. Ids and times are
 * the emulator's own; the docs' placeholders (contoso URLs, ids) are replaced with the emulator's.
 * Pages as read (file versions in microsoft-graph-docs-contrib): call-answer.md 06196f75, call-playprompt.md 04094bda,
 * call-record.md and call-cancelmediaprocessing.md 06473d2f, call-subscribetotone.md 082d7a8f,
 * participant-startholdmusic.md and participant-stopholdmusic.md 018b5aa0, application-post-calls.md 02ecaf40,
 * call-get.md 0627511f, call-delete.md 02b4cba0.
 */
import * as assert from 'node:assert/strict';
import type { Agent } from 'undici';
import { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_PHONES, EMULATOR_TENANT, type EmulatorHandle } from '../../../src/core/emulator';
import { control, graph, type GraphReply } from '../support/emulatorAuth';
import { useEmulator } from '../support/emulatorFixture';
import type { WebhookReceiver } from '../support/webhookReceiver';

const { adele, johanna } = EMULATOR_PEOPLE;
const SERVICE_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
const userTarget = (id: string) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id } } });
// call-playprompt.md's request body.
const PLAY_PROMPT_EXAMPLE = {
	clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
	prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' } }],
};
// call-record.md's Example 1 request body.
const RECORD_EXAMPLE = {
	bargeInAllowed: true,
	clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
	prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' } }],
	maxRecordDurationInSeconds: 10,
	initialSilenceTimeoutInSeconds: 5,
	maxSilenceTimeoutInSeconds: 2,
	playBeep: true,
	stopTones: ['#', '1', '*'],
};

/** Graph's error shape: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
function expectGraphError(r: GraphReply, status: number, pattern: RegExp): void {
	assert.equal(r.status, status, JSON.stringify(r.body));
	assert.equal(typeof r.body.error.code, 'string');
	assert.match(r.body.error.message, pattern);
	assert.equal(typeof r.body.error.innerError['request-id'], 'string');
	assert.equal(typeof r.body.error.innerError.date, 'string');
}

describe('emulator: fidelity to the Graph v1.0 docs examples', function () {
	this.timeout(20000);
	const fx = useEmulator({ emulator: { clockSpeed: 20 }, token: true, receiver: true });
	let emu: EmulatorHandle;
	let agent: Agent;
	let token: string;
	let rx: WebhookReceiver;
	before(() => {
		({ emu, agent, token, receiver: rx } = fx);
	});
	const api = (method: string, path: string, body?: unknown) => graph(emu, agent, token, method, path, body);
	const established = async (userId: string): Promise<string> => {
		const r = await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, targets: [userTarget(userId)], tenantId: emu.tenantId });
		assert.equal(r.status, 201, JSON.stringify(r.body));
		await rx.waitForState(r.body.id, 'established');
		return r.body.id;
	};
	const operationDone = (callId: string, opId: string) => rx.waitFor((n) => n.resourceUrl === `/communications/calls/${callId}/operations/${opId}`, 10000, `operation ${opId} finished`);
	/** The documented response: 200 (or as given), Location naming the operation, the operation in the body. */
	const expectOperation = (r: GraphReply, callId: string, type: string, status: string, httpStatus = 200) => {
		assert.equal(r.status, httpStatus, JSON.stringify(r.body));
		assert.equal(r.headers.location, `${emu.graphBaseUrl}/communications/calls/${callId}/operations/${r.body.id}`);
		assert.equal(r.body['@odata.type'], `#microsoft.graph.${type}`);
		assert.equal(r.body.status, status);
		assert.equal(typeof r.body.id, 'string');
	};

	describe('call: answer (call-answer.md)', () => {
		// Example 1, "Answer a Peer-to-Peer VoIP call with service hosted media", without its callbackUri.
		const example1 = {
			acceptedModalities: ['audio'],
			mediaConfig: {
				'@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
				preFetchMedia: [
					{ uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' },
					{ uri: 'https://cdn.contoso.com/cool.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088F' },
				],
			},
		};

		it('callbackUri is optional: 202, and notifications go to the callback the incoming call used', async () => {
			const id = emu.incomingCall({ userId: adele.id }, rx.url);
			await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}` && n.changeType === 'created');
			const r = await api('POST', `/communications/calls/${id}/answer`, example1);
			assert.equal(r.status, 202, JSON.stringify(r.body));
			// The page's "Notification - establishing" and "Notification - established".
			await rx.waitForState(id, 'establishing');
			await rx.waitForState(id, 'established');
			assert.deepEqual((await api('GET', `/communications/calls/${id}`)).body.requestedModalities, ['audio']);
			await api('DELETE', `/communications/calls/${id}`);
		});

		it('acceptedModalities is required: 400 in Graph\'s error shape when missing or empty, and the call still rings', async () => {
			const id = emu.incomingCall({ userId: adele.id }, rx.url);
			await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}` && n.changeType === 'created');
			const { acceptedModalities: _dropped, ...withoutModalities } = example1;
			expectGraphError(await api('POST', `/communications/calls/${id}/answer`, { callbackUri: rx.url, ...withoutModalities }), 400, /acceptedModalities is required/);
			expectGraphError(await api('POST', `/communications/calls/${id}/answer`, { ...example1, acceptedModalities: [] }), 400, /acceptedModalities/);
			expectGraphError(await api('POST', `/communications/calls/${id}/answer`, { ...example1, acceptedModalities: ['smell'] }), 400, /acceptedModalities/);
			assert.equal((await api('GET', `/communications/calls/${id}`)).body.state, 'incoming');
			assert.equal((await api('POST', `/communications/calls/${id}/answer`, example1)).status, 202);
			await rx.waitForState(id, 'established');
			await api('DELETE', `/communications/calls/${id}`);
		});
	});

	describe('media operations: Location, queue order and result codes (call-playprompt.md, call-record.md, call-subscribetotone.md, call-cancelmediaprocessing.md)', () => {
		it('playPrompt: 200 + Location + a running playPromptOperation; a second prompt waits for the first', async () => {
			const id = await established(adele.id);
			const first = await api('POST', `/communications/calls/${id}/playPrompt`, { ...PLAY_PROMPT_EXAMPLE, prompts: Array(4).fill(PLAY_PROMPT_EXAMPLE.prompts[0]) });
			expectOperation(first, id, 'playPromptOperation', 'running');
			assert.equal(first.body.clientContext, PLAY_PROMPT_EXAMPLE.clientContext);
			const second = await api('POST', `/communications/calls/${id}/playPrompt`, PLAY_PROMPT_EXAMPLE);
			expectOperation(second, id, 'playPromptOperation', 'running');
			const [a, b] = await Promise.all([operationDone(id, first.body.id), operationDone(id, second.body.id)]);
			const order = rx.forCall(id).filter((n) => n.resourceUrl.includes('/operations/')).map((n) => (n.resourceData as { id: string }).id);
			// The second is one prompt and the first four: unqueued, the second would finish first.
			assert.deepEqual(order, [first.body.id, second.body.id]);
			// The page's "Notification - operation completed".
			for (const n of [a, b]) {
				assert.equal(n.changeType, 'deleted');
				assert.deepEqual((n.resourceData as { resultInfo: unknown }).resultInfo, { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Action completed successfully.' });
				assert.equal((n.resourceData as { status: string }).status, 'completed');
			}
			await api('DELETE', `/communications/calls/${id}`);
		});

		it('recordResponse: 200 + Location, resultInfo and recordingLocation null; at its maximum length it completes 200/8515', async () => {
			const id = await established(adele.id);
			const r = await api('POST', `/communications/calls/${id}/recordResponse`, RECORD_EXAMPLE);
			expectOperation(r, id, 'recordOperation', 'running');
			assert.equal(r.body.resultInfo, null);
			assert.equal(r.body.recordingLocation, null);
			assert.equal(r.body.clientContext, RECORD_EXAMPLE.clientContext);
			const done = (await operationDone(id, r.body.id)).resourceData as Record<string, any>;
			assert.equal(done.status, 'completed');
			assert.deepEqual(done.resultInfo, { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' });
			assert.equal(typeof done.recordingLocation, 'string');
			assert.equal(typeof done.recordingAccessToken, 'string');
			await api('DELETE', `/communications/calls/${id}`);
		});

		it('a recording queued behind a prompt starts after it; bargeInAllowed cancels the prompt instead (400/8508)', async () => {
			const id = await established(johanna.id);
			const prompt = await api('POST', `/communications/calls/${id}/playPrompt`, { ...PLAY_PROMPT_EXAMPLE, prompts: Array(3).fill(PLAY_PROMPT_EXAMPLE.prompts[0]) });
			const queued = await api('POST', `/communications/calls/${id}/recordResponse`, { ...RECORD_EXAMPLE, bargeInAllowed: false });
			// While the prompt plays the recording does not hear keys: '#' is a stop tone.
			emu.pressKeys(id, '#');
			const [p, q] = await Promise.all([operationDone(id, prompt.body.id), operationDone(id, queued.body.id)]);
			assert.equal((p.resourceData as any).status, 'completed');
			assert.equal((q.resourceData as any).resultInfo.subcode, 8515, 'the early # did not stop the queued recording');

			const long = await api('POST', `/communications/calls/${id}/playPrompt`, { ...PLAY_PROMPT_EXAMPLE, prompts: Array(20).fill(PLAY_PROMPT_EXAMPLE.prompts[0]) });
			const barging = await api('POST', `/communications/calls/${id}/recordResponse`, RECORD_EXAMPLE);
			const canceled = (await operationDone(id, long.body.id)).resourceData as any;
			assert.equal(canceled.status, 'failed');
			assert.deepEqual(canceled.resultInfo, { '@odata.type': '#microsoft.graph.resultInfo', code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' });
			emu.pressKeys(id, '#');
			assert.equal(((await operationDone(id, barging.body.id)).resourceData as any).completionReason, 'stopToneDetected');
			await api('DELETE', `/communications/calls/${id}`);
		});

		it('cancelMediaProcessing: 200 + Location + a completed operation; the running recording and the queued prompt fail 400/8508', async () => {
			const id = await established(adele.id);
			const rec = await api('POST', `/communications/calls/${id}/recordResponse`, { ...RECORD_EXAMPLE, maxRecordDurationInSeconds: 120 });
			const behind = await api('POST', `/communications/calls/${id}/playPrompt`, PLAY_PROMPT_EXAMPLE);
			const cancel = await api('POST', `/communications/calls/${id}/cancelMediaProcessing`, { clientContext: 'clientContext-value' });
			expectOperation(cancel, id, 'cancelMediaProcessingOperation', 'completed');
			// The page's "Notification - Operation canceled for recordResponse".
			const recDone = (await operationDone(id, rec.body.id)).resourceData as any;
			assert.equal(recDone.status, 'failed');
			assert.deepEqual([recDone.resultInfo.code, recDone.resultInfo.subcode, recDone.completionReason], [400, 8508, 'operationCanceled']);
			assert.equal(recDone.recordingLocation, '');
			assert.equal(recDone.recordingAccessToken, '');
			assert.equal(((await operationDone(id, behind.body.id)).resourceData as any).resultInfo.subcode, 8508);
			await api('DELETE', `/communications/calls/${id}`);
		});

		it('subscribeToTone: 200 + Location + a completed subscribeToToneOperation', async () => {
			const id = await established(adele.id);
			const r = await api('POST', `/communications/calls/${id}/subscribeToTone`, { clientContext: 'fd1c7836-4d84-4e24-b6aa-23188688cc54' });
			expectOperation(r, id, 'subscribeToToneOperation', 'completed');
			await api('DELETE', `/communications/calls/${id}`);
		});
	});

	describe('hold music (participant-startholdmusic.md, participant-stopholdmusic.md)', () => {
		it('startHoldMusic and stopHoldMusic: 202 Accepted + Location + a running operation, then a completed notification', async () => {
			const m = EMULATOR_MEETINGS.weeklySync;
			const created = await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode } });
			const id = created.body.id;
			await rx.waitForState(id, 'established');
			const people = (await api('GET', `/communications/calls/${id}/participants`)).body.value as { id: string; info: { identity: { user?: unknown } } }[];
			const person = people.find((p) => p.info.identity.user)!;
			const start = await api('POST', `/communications/calls/${id}/participants/${person.id}/startHoldMusic`, {
				customPrompt: { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://bot.contoso.com/onHold.wav' } },
				clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
			});
			expectOperation(start, id, 'startHoldMusicOperation', 'running', 202);
			assert.equal(start.body.clientContext, 'd45324c1-fcb5-430a-902c-f20af696537c');
			assert.equal(((await operationDone(id, start.body.id)).resourceData as any).status, 'completed');
			const stop = await api('POST', `/communications/calls/${id}/participants/${person.id}/stopHoldMusic`, { clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c' });
			expectOperation(stop, id, 'stopHoldMusicOperation', 'running', 202);
			assert.equal(((await operationDone(id, stop.body.id)).resourceData as any).status, 'completed');
			await api('DELETE', `/communications/calls/${id}`);
		});
	});

	describe('roster notifications: peer-to-peer calls notify call state changes only (application-post-calls.md, Example 2)', () => {
		it('a 1:1 call (outgoing or answered) gets no participants notification; its roster is still there to GET', async () => {
			const out = await established(adele.id);
			const incoming = emu.incomingCall({ userId: johanna.id }, rx.url);
			await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${incoming}` && n.changeType === 'created');
			assert.equal((await api('POST', `/communications/calls/${incoming}/answer`, { acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA })).status, 202);
			await rx.waitForState(incoming, 'established');
			for (const id of [out, incoming]) {
				await api('POST', `/communications/calls/${id}/unmute`, {});
				assert.equal((await api('GET', `/communications/calls/${id}/participants`)).body.value.length, 2);
			}
			await emu.webhooksIdle();
			for (const id of [out, incoming]) {
				assert.deepEqual(rx.forCall(id).filter((n) => n.resourceUrl.endsWith('/participants')).map((n) => n.resourceUrl), [], 'no roster notification for a peer-to-peer call');
				await api('DELETE', `/communications/calls/${id}`);
			}
		});

		it('a group call and a meeting do get them', async () => {
			const m = EMULATOR_MEETINGS.weeklySync;
			const meeting = (await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode } })).body.id;
			const group = (await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, targets: [userTarget(adele.id), userTarget(johanna.id)], tenantId: emu.tenantId })).body.id;
			for (const id of [meeting, group]) {
				await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}/participants` && Array.isArray(n.resourceData), 10000, `roster of ${id}`);
				await api('DELETE', `/communications/calls/${id}`);
			}
		});
	});

	describe('response and notification shapes (application-post-calls.md, call-get.md, call-answer.md, call-playprompt.md)', () => {
		// application-post-calls.md, Example 1 ("Create peer-to-peer VoIP call with service hosted media").
		const createExample = () => ({
			'@odata.type': '#microsoft.graph.call',
			callbackUri: rx.url,
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', displayName: 'John', id: adele.id } } }],
			requestedModalities: ['audio'],
			callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true },
			mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
		});

		it('create: 201 + Location, @odata.context, state establishing and mediaState null; GET: @odata.context and, established, mediaState set', async () => {
			const r = await api('POST', '/communications/calls', createExample());
			assert.equal(r.status, 201, JSON.stringify(r.body));
			assert.equal(r.headers.location, `${emu.graphBaseUrl}/communications/calls/${r.body.id}`);
			assert.equal(r.body['@odata.context'], `${emu.graphBaseUrl}/$metadata#communications/calls/$entity`);
			assert.equal(r.body['@odata.type'], '#microsoft.graph.call');
			assert.equal(r.body.state, 'establishing');
			assert.equal(r.body.direction, 'outgoing');
			assert.equal(r.body.mediaState, null);
			assert.equal(typeof r.body.myParticipantId, 'string');
			assert.equal(typeof r.body.callChainId, 'string');
			await rx.waitForState(r.body.id, 'established');
			const got = await api('GET', `/communications/calls/${r.body.id}`);
			assert.equal(got.status, 200);
			assert.equal(got.body['@odata.context'], `${emu.graphBaseUrl}/$metadata#communications/calls/$entity`);
			assert.equal(got.body.state, 'established');
			assert.deepEqual(got.body.mediaState, { audio: 'active' });
			await api('DELETE', `/communications/calls/${r.body.id}`);
		});

		it('call and operation notifications carry @odata.type, @odata.id (the resource URL) and a changing @odata.etag', async () => {
			const id = await established(adele.id);
			const op = await api('POST', `/communications/calls/${id}/playPrompt`, PLAY_PROMPT_EXAMPLE);
			const opDone = await operationDone(id, op.body.id);
			const states = rx.forCall(id).filter((n) => n.resourceUrl === `/communications/calls/${id}`);
			const etags = new Set<string>();
			for (const n of [...states, opDone]) {
				const data = n.resourceData as Record<string, unknown>;
				assert.deepEqual(Object.keys(data).slice(0, 3), ['@odata.type', '@odata.id', '@odata.etag']);
				assert.equal(data['@odata.id'], n.resourceUrl);
				assert.match(String(data['@odata.etag']), /^W\/"\d+"$/);
				etags.add(String(data['@odata.etag']));
			}
			assert.equal(etags.size, states.length + 1, 'each notification has its own etag');
			assert.equal((opDone.resourceData as Record<string, unknown>)['@odata.type'], '#microsoft.graph.playPromptOperation');
			await api('DELETE', `/communications/calls/${id}`);
		});
	});

	describe('end reason codes (call-delete.md, "Call end reason codes")', () => {
		const endOf = async (id: string) => ((await rx.waitForState(id, 'terminated')).resourceData as { resultInfo: Record<string, unknown> }).resultInfo;

		it('the other person hangs up a 1:1 call: 200/4521 "Call ended by the other participant in peer-to-peer call."', async () => {
			const out = await established(adele.id);
			await control(emu, agent, 'POST', `/calls/${out}/hangUp`);
			assert.deepEqual(await endOf(out), { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 4521, message: 'Call ended by the other participant in peer-to-peer call.' });

			const incoming = emu.incomingCall({ userId: johanna.id }, rx.url);
			await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${incoming}` && n.changeType === 'created');
			await api('POST', `/communications/calls/${incoming}/answer`, { acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
			await rx.waitForState(incoming, 'established');
			const peer = ((await api('GET', `/communications/calls/${incoming}/participants`)).body.value as { id: string; info: { identity: { user?: unknown } } }[]).find((p) => p.info.identity.user)!;
			await control(emu, agent, 'DELETE', `/calls/${incoming}/participants/${peer.id}`);
			assert.deepEqual([(await endOf(incoming)).code, (await endOf(incoming)).subcode], [200, 4521]);
		});

		it('a phone (PSTN) peer hangs up: 200/540000 "Call ended by the PSTN User."', async () => {
			const r = await api('POST', '/communications/calls', {
				'@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, tenantId: emu.tenantId,
				source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: EMULATOR_TENANT.applicationInstanceId } } },
				targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: EMULATOR_PHONES.answers.id } } }],
			});
			assert.equal(r.status, 201, JSON.stringify(r.body));
			await rx.waitForState(r.body.id, 'established');
			await control(emu, agent, 'POST', `/calls/${r.body.id}/hangUp`);
			const end = await endOf(r.body.id);
			assert.deepEqual([end.code, end.subcode, end.message], [200, 540000, 'Call ended by the PSTN User.']);
		});

		it('a meeting that ends: 200/5001 "The conversation has ended."', async () => {
			const m = EMULATOR_MEETINGS.weeklySync;
			const id = (await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], mediaConfig: SERVICE_MEDIA, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode } })).body.id;
			await rx.waitForState(id, 'established');
			await control(emu, agent, 'POST', `/calls/${id}/hangUp`);
			const end = await endOf(id);
			assert.deepEqual([end.code, end.subcode, end.message], [200, 5001, 'The conversation has ended.']);
		});
	});
});
