/**
 * The emulator against the Graph v1.0 resource pages of the calls API (test/fixtures/graph-docs/resources): each
 * test drives real calls over HTTPS, keeps every response body and every notification POST, and checks that each
 * property in them is documented on its resource page (table or JSON representation) with the documented JSON type,
 * and that each enum value is one the page lists. `@odata.*` annotations are not properties. What the emulator sends
 * that a resource page leaves out but an API page example shows is in SHOWN_ELSEWHERE, each with the page; the last
 * tests prove every entry there is still needed and really shown by the page it names.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Agent } from 'undici';
import { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_PHONES, EMULATOR_TENANT, type EmulatorHandle } from '../../../src/core/emulator';
import { control, graph, type GraphReply } from '../support/emulatorAuth';
import { useEmulator } from '../support/emulatorFixture';
import type { WebhookReceiver } from '../support/webhookReceiver';
import { DOCS_FIXTURES, DocsSchema, loadResourcePages, type Finding, type ShownElsewhere } from './docsResources';

/**
 * Properties the emulator sends that their resource page does not list, keyed "<page type>.<property>" (lower-case
 * type). Each is shown by an example of the API page named, so a bot written against the examples reads it; the
 * resource page and the examples disagree, and the emulator follows the examples.
 */
const SHOWN_ELSEWHERE: Record<string, ShownElsewhere> = {
	'call.tenantId': { page: 'application-post-calls', why: 'every create request and response example carries the call\'s tenantId; call.md has no such row' },
	'call.answeredBy': { page: 'call-get', why: 'the GET and create response examples show answeredBy (null until someone answers)' },
	'call.ringingTimeoutInSeconds': { page: 'call-get', why: 'the GET and create response examples show it' },
	'call.activeModalities': { page: 'application-post-calls', why: 'the create response examples show activeModalities' },
	'call.routingPolicies': { page: 'application-post-calls', why: 'the create response examples show routingPolicies' },
	'call.meetingCapability': { page: 'application-post-calls', why: 'the create response examples show meetingCapability' },
	'call.terminationReason': { page: 'call-transfer', why: 'the consultative transfer examples end with terminationReason "AppTransferred"' },
	'call.applicationMetadata': { page: 'call-answer', why: 'Example 3 (policy-based recording) shows applicationMetadata.botData on the incoming call' },
	'communicationsuseridentity.identityProvider': { page: 'call-answer', why: 'Example 3 shows identityProvider "AAD" on the recorded user' },
	'communicationsapplicationinstanceidentity.identityProvider': { page: 'call-answer', why: 'Example 3 shows identityProvider "AAD" on the targeted application instance' },
	'participantinfo.id': { page: 'call-list-participants', why: 'the roster examples show info.id (null); participantinfo.md has no id' },
	'invitationparticipantinfo.endpointType': { page: 'participant-invite', why: 'the invite examples show endpointType on invitees (and call-transfer.md on the transfer target)' },
	'invitationparticipantinfo.id': { page: 'participant-invite', why: 'the invite response shows each invitee\'s participant id (null until it joins)' },
	'invitationparticipantinfo.region': { page: 'application-post-calls', why: 'the create response examples show targets[].region' },
	'invitationparticipantinfo.languageId': { page: 'application-post-calls', why: 'the create response examples show targets[].languageId' },
	'organizermeetinginfo.allowConversationWithoutHost': { page: 'application-post-calls', why: 'the join-by-organizer examples send and return allowConversationWithoutHost' },
	'recordoperation.completionReason': { page: 'call-cancelmediaprocessing', why: 'the cancelled recordResponse notification shows completionReason "operationCanceled"' },
	'playpromptoperation.completionReason': { page: 'call-cancelmediaprocessing', why: 'the page cancels "queued-up/currently-processing" prompts; its cancelled operation shows completionReason' },
};

describe('the resource pages as a schema (what the check below would catch)', () => {
	const strict = new DocsSchema(loadResourcePages());
	const problems = (value: unknown, type: string) => strict.check(value, type).map((f) => `${f.path}: ${f.problem}`);

	it('names a property no page documents, a value of the wrong JSON type and a value outside the documented ones', () => {
		assert.match(problems({ id: 'x', state: 'established', isOnHold: true }, 'call').join(), /isOnHold is not a property of call/);
		assert.match(problems({ id: 'x', isMuted: 'no' }, 'participant').join(), /documented as Boolean/);
		assert.match(problems({ state: 'connected' }, 'call').join(), /"connected" is not among the documented values of call.state/);
		assert.match(problems({ toneInfo: { tone: 'tone12', sequenceId: 1 } }, 'call').join(), /"tone12" is not among/);
		assert.match(problems({ resultInfo: { code: '200', subcode: 0, message: 'ok' } }, 'playPromptOperation').join(), /code: documented as Int32/);
		assert.match(problems({ mediaStreams: { mediaType: 'audio' } }, 'participant').join(), /documented as a mediaStream collection/);
		assert.match(problems({ mediaConfig: { '@odata.type': '#microsoft.graph.chatInfo' } }, 'call').join(), /documented as appHostedMediaConfig or serviceHostedMediaConfig/);
	});

	it('takes null for any documented property, a subtype where its base is documented, and the base type named by a client', () => {
		assert.deepEqual(problems({ subject: null, toneInfo: null, source: { identity: { user: { id: 'u', tenantId: 't' } } } }, 'call'), []);
		assert.deepEqual(problems({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1', passcode: null } }, 'call'), []);
		assert.deepEqual(problems({ targets: [{ identity: { user: { '@odata.type': '#microsoft.graph.identity', id: 'u', tenantId: 't' } } }] }, 'call'), []);
	});
});

describe('Graph v1.0 resource pages: every property the emulator sends is documented', function () {
	this.timeout(60000);
	const fx = useEmulator({ emulator: { clockSpeed: 20 }, token: true, receiver: true });
	const schema = new DocsSchema(loadResourcePages(), SHOWN_ELSEWHERE);
	let emu: EmulatorHandle;
	let agent: Agent;
	let token: string;
	let rx: WebhookReceiver;
	/** Response bodies of the test that is running, with the request that got them. */
	let replies: { what: string; body: unknown }[] = [];
	before(() => {
		({ emu, agent, token, receiver: rx } = fx);
	});
	beforeEach(() => {
		rx.clear();
		rx.posts.length = 0;
		replies = [];
	});

	async function api(method: string, p: string, body?: unknown): Promise<GraphReply> {
		const r = await graph(emu, agent, token, method, p, body);
		if (r.body && typeof r.body === 'object') replies.push({ what: `${method} ${p} -> ${r.status}`, body: r.body });
		return r;
	}
	const ctl = (method: string, p: string, body?: unknown) => control(emu, agent, method, p, body);
	const SERVICE = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
	const user = (id: string) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id } } });
	const calls = '/communications/calls';

	async function create(body: Record<string, unknown>, state = 'established'): Promise<string> {
		const r = await api('POST', calls, { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], tenantId: emu.tenantId, mediaConfig: SERVICE, ...body });
		assert.equal(r.status, 201, JSON.stringify(r.body));
		await rx.waitForState(r.body.id, state);
		return r.body.id;
	}
	const joinMeeting = () => create({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: EMULATOR_MEETINGS.weeklySync.joinMeetingId, passcode: EMULATOR_MEETINGS.weeklySync.passcode } });
	async function person(callId: string): Promise<string> {
		for (let i = 0; i < 100; i++) {
			const list = (await api('GET', `${calls}/${callId}/participants`)).body.value as { id: string; info: { identity: { user?: unknown } } }[];
			const found = list.find((p) => p.info.identity.user);
			if (found) return found.id;
			await new Promise((r) => setTimeout(r, 50));
		}
		throw new Error(`nobody joined ${callId}`);
	}
	const operationDone = (callId: string, type: string) => rx.waitFor((n) => n.resourceUrl.startsWith(`${calls}/${callId}/operations/`) && (n.resourceData as { '@odata.type'?: string })?.['@odata.type'] === `#microsoft.graph.${type}` && ['completed', 'failed'].includes(String((n.resourceData as { status?: string }).status)), 10000, `${type} finished`);

	/** Every finding in what the test received: the response bodies and each notification POST, resourceData by its type. */
	async function findings(): Promise<string[]> {
		await emu.webhooksIdle();
		const out: Finding[] = [];
		for (const r of replies) {
			const body = r.body as Record<string, unknown>;
			const items = Array.isArray(body.value) ? body.value : [body];
			for (const item of items as Record<string, unknown>[]) {
				if ('error' in item) continue;
				const type = String(item['@odata.type'] ?? '');
				assert.ok(type, `${r.what}: a body without @odata.type: ${JSON.stringify(item).slice(0, 200)}`);
				out.push(...schema.check(item, type, r.what));
			}
		}
		for (const post of rx.posts) {
			const payload = JSON.parse(post.body) as { value: Record<string, unknown>[] };
			const { value, ...batch } = payload;
			out.push(...schema.check(batch, 'commsNotifications', 'POST'));
			value.forEach((n, i) => {
				// commsnotification.md: "resourceData is available as additional data. It is either an entity or a collection of entities".
				const { resourceData, ...rest } = n;
				const at = `POST value[${i}] ${String(n.resourceUrl)}`;
				out.push(...schema.check(rest, 'commsNotification', at));
				for (const [j, entity] of (Array.isArray(resourceData) ? resourceData : [resourceData]).entries()) {
					const type = String((entity as Record<string, unknown>)?.['@odata.type'] ?? '');
					if (!type) out.push({ path: `${at}.resourceData[${j}]`, problem: 'an entity without @odata.type' });
					else out.push(...schema.check(entity, type, `${at}.resourceData`));
				}
			});
		}
		return out.map((f) => `${f.path}: ${f.problem}`);
	}
	async function assertDocumented(): Promise<void> {
		const found = await findings();
		assert.ok(replies.length > 0 && rx.posts.length > 0, 'the test saw responses and notifications');
		assert.deepEqual([...new Set(found)], [], `undocumented properties or values:\n${[...new Set(found)].join('\n')}`);
	}

	it('a 1:1 call: create, get, roster, playPrompt, recordResponse cancelled, tones, DTMF, recording status, operation get, keepAlive, hang up', async () => {
		const id = await create({ targets: [user(EMULATOR_PEOPLE.adele.id)] });
		await api('GET', `${calls}/${id}`);
		await api('GET', `${calls}/${id}/participants`);
		const prompt = await api('POST', `${calls}/${id}/playPrompt`, { clientContext: 'c1', prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' } }] });
		await operationDone(id, 'playPromptOperation');
		await api('GET', `${calls}/${id}/operations/${prompt.body.id}`);
		await api('POST', `${calls}/${id}/recordResponse`, { clientContext: 'c2', maxRecordDurationInSeconds: 10, stopTones: ['#'] });
		await api('POST', `${calls}/${id}/cancelMediaProcessing`, { clientContext: 'c3' });
		await operationDone(id, 'recordOperation');
		await api('POST', `${calls}/${id}/subscribeToTone`, { clientContext: 'c4' });
		await ctl('POST', `/calls/${id}/keys`, { keys: '1*#' });
		await rx.waitFor((n) => n.resourceUrl === `${calls}/${id}` && (n.resourceData as { toneInfo?: { tone?: string } })?.toneInfo?.tone === 'pound', 10000, 'the # tone');
		await api('POST', `${calls}/${id}/sendDtmfTones`, { clientContext: 'c5', tones: ['tone1', 'star', 'pound'], delayBetweenTonesMs: 10 });
		await operationDone(id, 'sendDtmfTonesOperation');
		await api('POST', `${calls}/${id}/updateRecordingStatus`, { clientContext: 'c6', status: 'recording' });
		await api('POST', `${calls}/${id}/keepAlive`);
		await api('DELETE', `${calls}/${id}`);
		await rx.waitForState(id, 'terminated');
		await assertDocumented();
	});

	it('a recording that reaches its maximum length and one stopped by a key', async () => {
		const id = await create({ targets: [user(EMULATOR_PEOPLE.adele.id)] });
		await api('POST', `${calls}/${id}/recordResponse`, { clientContext: 'max', maxRecordDurationInSeconds: 1 });
		await operationDone(id, 'recordOperation');
		await api('POST', `${calls}/${id}/recordResponse`, { clientContext: 'key', maxRecordDurationInSeconds: 30, stopTones: ['#'] });
		await ctl('POST', `/calls/${id}/keys`, { keys: '#' });
		await operationDone(id, 'recordOperation');
		await api('DELETE', `${calls}/${id}`);
		await assertDocumented();
	});

	it('a meeting: join, roster updates, mute and unmute, participant mute, hold music, invite, large gallery view, content sharing, the meeting ends', async () => {
		const id = await joinMeeting();
		const pid = await person(id);
		await api('GET', `${calls}/${id}/participants/${pid}`);
		await api('POST', `${calls}/${id}/mute`, { clientContext: 'm1' });
		await api('POST', `${calls}/${id}/unmute`, { clientContext: 'm2' });
		await api('POST', `${calls}/${id}/participants/${pid}/mute`, { clientContext: 'm3' });
		await api('POST', `${calls}/${id}/participants/${pid}/startHoldMusic`, { clientContext: 'h1', customPrompt: { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/hold.wav' } } });
		await operationDone(id, 'startHoldMusicOperation');
		await api('POST', `${calls}/${id}/participants/${pid}/stopHoldMusic`, { clientContext: 'h2' });
		await operationDone(id, 'stopHoldMusicOperation');
		await api('POST', `${calls}/${id}/participants/invite`, { clientContext: 'i1', participants: [user(EMULATOR_PEOPLE.lidia.id)] });
		await operationDone(id, 'inviteParticipantsOperation');
		await api('POST', `${calls}/${id}/addLargeGalleryView`, { clientContext: 'g1' });
		await ctl('POST', `/calls/${id}/contentSharingSessions`);
		await ctl('POST', `/calls/${id}/hangUp`);
		await rx.waitForState(id, 'terminated');
		await assertDocumented();
	});

	it('a meeting joined with organizerMeetingInfo and app-hosted media, a participant removed', async () => {
		const m = EMULATOR_MEETINGS.weeklySync;
		const id = await create({
			mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<Media Session Configuration>' },
			chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: m.threadId, messageId: '0' },
			meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: m.organizerId, tenantId: emu.tenantId } }, allowConversationWithoutHost: true },
		});
		const pid = await person(id);
		await api('POST', `${calls}/${id}/changeScreenSharingRole`, { role: 'sharer' });
		await api('GET', `${calls}/${id}`);
		await api('DELETE', `${calls}/${id}/participants/${pid}`);
		await api('DELETE', `${calls}/${id}`);
		await assertDocumented();
	});

	it('a meeting with a lobby (people waiting, admitted), audio routing groups, content sharing sessions listed and read', async () => {
		const id = await create({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: EMULATOR_MEETINGS.townHall.joinMeetingId } });
		// The town hall's lobby holds the bot too: someone admits it, then a person who joins waits there in turn.
		const bot = (await api('GET', `${calls}/${id}`)).body.myParticipantId;
		assert.equal((await ctl('POST', `/calls/${id}/participants/${bot}/admit`)).status, 200);
		const waiting = (await ctl('POST', `/calls/${id}/participants`, { userId: EMULATOR_PEOPLE.johanna.id })).body;
		assert.equal(waiting.isInLobby, true, JSON.stringify(waiting));
		await api('GET', `${calls}/${id}/participants`);
		assert.equal((await ctl('POST', `/calls/${id}/participants/${waiting.id}/admit`)).status, 200);
		const pid = await person(id);
		const group = await api('POST', `${calls}/${id}/audioRoutingGroups`, { '@odata.type': '#microsoft.graph.audioRoutingGroup', routingMode: 'oneToOne', sources: [(await api('GET', `${calls}/${id}`)).body.myParticipantId], receivers: [pid] });
		assert.equal(group.status, 201, JSON.stringify(group.body));
		await api('GET', `${calls}/${id}/audioRoutingGroups`);
		await api('GET', `${calls}/${id}/audioRoutingGroups/${group.body.id}`);
		const session = (await ctl('POST', `/calls/${id}/contentSharingSessions`, { participantId: pid })).body;
		assert.equal(typeof session.id, 'string', JSON.stringify(session));
		await api('GET', `${calls}/${id}/contentSharingSessions`);
		await api('GET', `${calls}/${id}/contentSharingSessions/${session.id}`);
		await api('DELETE', `${calls}/${id}`);
		await assertDocumented();
	});

	it('a group call and a call to a phone number from the bot\'s application instance', async () => {
		const group = await create({ targets: [user(EMULATOR_PEOPLE.adele.id), user(EMULATOR_PEOPLE.johanna.id)] });
		await person(group);
		const phone = await create({
			source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: EMULATOR_TENANT.applicationInstanceId, displayName: 'Calling Bot' } } },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: EMULATOR_PHONES.answers.id } } }],
		});
		await api('GET', `${calls}/${phone}`);
		await ctl('POST', `/calls/${phone}/hold`);
		await ctl('POST', `/calls/${phone}/resume`);
		await ctl('POST', `/calls/${phone}/hangUp`);
		await api('DELETE', `${calls}/${group}`);
		await rx.waitForState(phone, 'terminated');
		await assertDocumented();
	});

	it('calls that fail: busy, declined, never answered, offline callees', async () => {
		for (const who of [EMULATOR_PEOPLE.megan, EMULATOR_PEOPLE.lee, EMULATOR_PEOPLE.nestor, EMULATOR_PEOPLE.diego]) await create({ targets: [user(who.id)] }, 'terminated');
		await assertDocumented();
	});

	it('incoming calls: answered, rejected, redirected; a group call invitation and a policy-based recording invitation', async () => {
		const answered = emu.incomingCall({ userId: EMULATOR_PEOPLE.alex.id }, rx.url);
		await rx.waitForState(answered, 'incoming');
		await api('GET', `${calls}/${answered}`);
		await api('POST', `${calls}/${answered}/answer`, { callbackUri: rx.url, acceptedModalities: ['audio'], mediaConfig: SERVICE });
		await rx.waitForState(answered, 'established');
		const rejected = emu.incomingCall({ phone: EMULATOR_PHONES.answers.id }, rx.url);
		await rx.waitForState(rejected, 'incoming');
		await api('POST', `${calls}/${rejected}/reject`, { reason: 'busy' });
		const redirected = emu.incomingCall({ userId: EMULATOR_PEOPLE.alex.id }, rx.url);
		await rx.waitForState(redirected, 'incoming');
		await api('POST', `${calls}/${redirected}/redirect`, { targets: [user(EMULATOR_PEOPLE.adele.id)], timeout: 20 });
		const invited = emu.incomingGroupCall({ userId: EMULATOR_PEOPLE.alex.id }, [{ userId: EMULATOR_PEOPLE.johanna.id }], EMULATOR_MEETINGS.weeklySync.joinMeetingId, rx.url);
		await rx.waitForState(invited, 'incoming');
		await api('POST', `${calls}/${invited}/answer`, { callbackUri: rx.url, acceptedModalities: ['audio'], mediaConfig: SERVICE });
		await rx.waitForState(invited, 'established');
		const recorded = emu.recordingInvitation(EMULATOR_PEOPLE.alex.id, [{ userId: EMULATOR_PEOPLE.adele.id }], rx.url);
		await rx.waitForState(recorded, 'incoming');
		await api('POST', `${calls}/${recorded}/answer`, { callbackUri: rx.url, acceptedModalities: ['audio'], mediaConfig: SERVICE, participantCapacity: 200 });
		await rx.waitForState(recorded, 'established');
		for (const id of [answered, invited, recorded]) await api('DELETE', `${calls}/${id}`);
		await rx.waitForState(redirected, 'terminated');
		await assertDocumented();
	});

	it('transfers: to a user (completed), to a busy number (failed), consultative', async () => {
		const blind = await create({ targets: [user(EMULATOR_PEOPLE.adele.id)] });
		await api('POST', `${calls}/${blind}/transfer`, { transferTarget: { endpointType: 'default', identity: { user: { id: EMULATOR_PEOPLE.lidia.id } } } });
		await rx.waitForState(blind, 'terminated');
		const failed = await create({ targets: [user(EMULATOR_PEOPLE.adele.id)] });
		await api('POST', `${calls}/${failed}/transfer`, { transferTarget: { endpointType: 'default', identity: { phone: { id: EMULATOR_PHONES.busy.id } } } });
		await rx.waitFor((n) => n.resourceUrl === `${calls}/${failed}` && !!(n.resourceData as { resultInfo?: unknown })?.resultInfo, 10000, 'the failed transfer');
		const held = await create({ targets: [user(EMULATOR_PEOPLE.adele.id)] });
		const consult = await create({ targets: [user(EMULATOR_PEOPLE.lidia.id)] });
		await api('POST', `${calls}/${held}/transfer`, { transferTarget: { endpointType: 'default', identity: { user: { id: EMULATOR_PEOPLE.lidia.id } }, replacesCallId: consult } });
		await rx.waitForState(held, 'terminated');
		await api('DELETE', `${calls}/${failed}`);
		await assertDocumented();
	});

	it('every SHOWN_ELSEWHERE entry was needed by the runs above and is shown by the API page it names', function () {
		const unused = Object.keys(SHOWN_ELSEWHERE).filter((k) => !schema.used.has(k));
		assert.deepEqual(unused, [], `entries no run needed (remove them, or the emulator stopped sending the property): ${unused.join(', ')}`);
		for (const [key, { page }] of Object.entries(SHOWN_ELSEWHERE)) {
			const text = fs.readFileSync(path.join(DOCS_FIXTURES, `${page}.json`), 'utf8');
			const property = key.split('.')[1];
			assert.match(text, new RegExp(`"${property}":`), `${key}: ${page}.md shows no "${property}"`);
		}
	});

	it('checked the properties of the resource pages the emulator sends', () => {
		assert.ok(schema.pageCount >= 40, `only ${schema.pageCount} resource pages`);
		// Each run above checks every value it received; this many documented properties were met at least once.
		assert.ok(schema.checked.size >= 80, `only ${schema.checked.size} documented properties met: ${[...schema.checked].join(', ')}`);
		console.log(`      ${schema.pageCount} resource pages; ${schema.checked.size} documented properties met, ${schema.values} values checked`);
	});
});
