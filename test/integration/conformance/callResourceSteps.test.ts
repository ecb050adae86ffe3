/**
 * What the Graph v1.0 pages say about single steps of a call, held against the emulator over HTTPS:
 * - create: each property call.md marks required ("Required." or "Required information for ...") left out of an
 *   application-post-calls.md example it applies to is refused with 400 in Graph's error shape;
 * - a transfer that fails: the notification call-transfer.md shows ("Notification - transfer failed"), the call back
 *   to established;
 * - changeScreenSharingRole: sharer and viewer, as call.md describes it ("Start and stop sharing screen in the call");
 * - content sharing: the sessions' notifications application-post-calls.md shows, when callOptions enable them
 *   (outgoingcalloptions.md), and the sharer's stream call-changescreensharingrole.md shows.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Agent } from 'undici';
import { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_PHONES, type EmulatorHandle } from '../../../src/core/emulator';
import type { CommsNotification } from '../../../src/core/schema/types';
import { control, graph } from '../support/emulatorAuth';
import { useEmulator } from '../support/emulatorFixture';
import type { WebhookReceiver } from '../support/webhookReceiver';
import { conformancePlan, mapExampleIds, type ExampleContext } from './docsExamplePlans';
import { DOCS_FIXTURES, loadResourcePages } from './docsResources';
import { assertGraphError, shapeDifferences } from './docsShape';

interface DocsExample { name: string; request: { body?: Record<string, unknown> }; notificationsAfter: { heading: string; body: { value: any[] } }[] }
const apiPage = (name: string): { examples: DocsExample[]; source: { commit: string } } => JSON.parse(fs.readFileSync(path.join(DOCS_FIXTURES, `${name}.json`), 'utf8'));
const CREATE = apiPage('application-post-calls');
const TRANSFER = apiPage('call-transfer');
const CALL = loadResourcePages().find((p) => p.name === 'call')!;

/** The docs notification of `page` under `heading`, from the first example that shows it. */
function docsNotification(page: { examples: DocsExample[] }, heading: string): any {
	const found = page.examples.flatMap((e) => e.notificationsAfter).find((n) => n.heading === heading);
	assert.ok(found, `no "${heading}" in the fixture`);
	return found.body.value[0];
}

/** Which create examples a property call.md marks required applies to, by the case the page names. */
function appliesTo(required: string, body: Record<string, unknown>): boolean {
	if (required === 'always') return true;
	if (/peer to peer/i.test(required)) return Array.isArray(body.targets) && body.targets.length === 1 && !body.meetingInfo;
	if (/meeting/i.test(required)) return !!body.meetingInfo;
	return false;
}

describe('Graph v1.0 pages, single steps: create\'s required properties, a failed transfer, screen sharing, content sharing', function () {
	this.timeout(30000);
	const fx = useEmulator({ emulator: { clockSpeed: 20 }, token: true, receiver: true });
	let emu: EmulatorHandle;
	let agent: Agent;
	let token: string;
	let rx: WebhookReceiver;
	before(() => {
		({ emu, agent, token, receiver: rx } = fx);
	});
	const api = (method: string, p: string, body?: unknown) => graph(emu, agent, token, method, p, body);
	const ctl = (method: string, p: string, body?: unknown) => control(emu, agent, method, p, body);
	const calls = '/communications/calls';
	const SERVICE = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
	const user = (id: string) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id } } });

	async function create(body: Record<string, unknown>): Promise<string> {
		const r = await api('POST', calls, { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], tenantId: emu.tenantId, mediaConfig: SERVICE, ...body });
		assert.equal(r.status, 201, JSON.stringify(r.body));
		await rx.waitForState(r.body.id, 'established');
		return r.body.id;
	}
	const meeting = (extra: Record<string, unknown> = {}) => create({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: EMULATOR_MEETINGS.weeklySync.joinMeetingId, passcode: EMULATOR_MEETINGS.weeklySync.passcode }, ...extra });
	const rosterAfter = (callId: string, mark: number, pred: (roster: any[]) => boolean, what: string) =>
		rx.waitFor((n) => rx.notifications.indexOf(n) >= mark && n.resourceUrl === `${calls}/${callId}/participants` && pred(n.resourceData as any[]), 10000, what);
	const screenStream = (p: any) => (p.mediaStreams as any[]).find((s) => s.mediaType === 'videoBasedScreenSharing');

	describe(`create: what call.md (docs commit ${CALL.source.commit?.slice(0, 8)}) marks required is refused when left out`, () => {
		const required = CALL.properties.filter((p) => p.required);
		it('call.md marks mediaConfig, targets, chatInfo and meetingInfo required (always or for their case)', () => {
			assert.deepEqual(required.map((p) => `${p.name}: ${p.required}`).sort(), ['chatInfo: joining a meeting', 'mediaConfig: always', 'meetingInfo: meeting scenarios', 'targets: creating peer to peer call']);
		});
		for (const prop of required) {
			for (const example of CREATE.examples) {
				const docsBody = example.request.body;
				const plan = conformancePlan('application-post-calls', example.name);
				if (!docsBody || !(prop.name in docsBody) || plan.skip || !appliesTo(prop.required!, docsBody)) continue;
				it(`${prop.name} (${prop.required}): ${example.name} is created as written and refused without it`, async () => {
					const ctx: ExampleContext = { emu, rx, api, control: ctl, callbackUrl: rx.url };
					const body = { ...(plan.body ? plan.body(docsBody, ctx) : mapExampleIds(docsBody, ctx)) as Record<string, unknown> };
					const made = await api('POST', calls, body);
					assert.equal(made.status, 201, `the example as written: ${JSON.stringify(made.body)}`);
					await api('DELETE', `${calls}/${made.body.id}`);
					delete body[prop.name];
					const refused = await api('POST', calls, body);
					assertGraphError(refused, `${example.name} without ${prop.name}`);
					assert.match(refused.body.error.message, new RegExp(prop.name, 'i'), 'the message names what is missing');
				});
			}
		}
	});

	describe(`a transfer that fails (call-transfer.md, docs commit ${TRANSFER.source.commit?.slice(0, 8)})`, () => {
		const docs = docsNotification(TRANSFER, 'Notification - transfer failed');
		// resultinfo.md names the property subcode (Int32), which the emulator sends; the example spells it subCode.
		const shape = { absent: { 'resourceData.resultInfo.subCode': 'resultinfo.md spells it subcode, which the emulator sends' } };
		for (const [what, target] of [['a busy phone number', { phone: { id: EMULATOR_PHONES.busy.id } }], ['a user who declines', { user: { id: EMULATOR_PEOPLE.lee.id } }]] as const) {
			it(`to ${what}: transferring, then the call back to established with the resultInfo the page shows; the call goes on`, async () => {
				const id = await create({ targets: [user(EMULATOR_PEOPLE.adele.id)] });
				const mark = rx.notifications.length;
				const r = await api('POST', `${calls}/${id}/transfer`, { transferTarget: { endpointType: 'default', identity: target } });
				assert.equal(r.status, 202);
				await rx.waitFor((n) => rx.notifications.indexOf(n) >= mark && n.resourceUrl === `${calls}/${id}` && (n.resourceData as any)?.state === 'transferring', 10000, 'transferring');
				const failed = await rx.waitFor((n) => rx.notifications.indexOf(n) >= mark && n.resourceUrl === `${calls}/${id}` && (n.resourceData as any)?.state === 'established', 10000, 'the failed transfer');
				assert.deepEqual(shapeDifferences(docs, failed, shape), [], JSON.stringify(failed));
				const result = (failed.resourceData as any).resultInfo;
				assert.ok(Number.isInteger(result.code) && Number.isInteger(result.subcode) && typeof result.message === 'string', `resultInfo as resultinfo.md types it: ${JSON.stringify(result)}`);
				assert.ok(result.code >= 400, `a failure code (resultinfo.md: 4xx/5xx), got ${result.code}`);
				assert.equal((await api('GET', `${calls}/${id}`)).body.state, 'established');
				assert.equal((await api('POST', `${calls}/${id}/keepAlive`)).status, 200, 'the call is still there');
				await api('DELETE', `${calls}/${id}`);
			});
		}
	});

	describe('changeScreenSharingRole (call.md: "Start and stop sharing screen in the call")', () => {
		it('sharer: 202 and the bot\'s participant sends screen-sharing video (sendOnly); viewer: 202 and the stream is gone; the call resource has no role', async () => {
			const id = await meeting();
			const me = (await api('GET', `${calls}/${id}`)).body.myParticipantId as string;
			let mark = rx.notifications.length;
			assert.equal((await api('POST', `${calls}/${id}/changeScreenSharingRole`, { role: 'sharer' })).status, 202);
			const sharing = await rosterAfter(id, mark, (r) => !!r.find((p) => p.id === me && screenStream(p)), 'the bot sharing');
			assert.deepEqual(screenStream((sharing.resourceData as any[]).find((p) => p.id === me)).direction, 'sendOnly');
			const listed = (await api('GET', `${calls}/${id}/participants/${me}`)).body;
			assert.equal(screenStream(listed)?.direction, 'sendOnly', 'GET participant shows the stream too');
			assert.ok(!('screenSharingRole' in (await api('GET', `${calls}/${id}`)).body), 'call.md has no screenSharingRole property');
			mark = rx.notifications.length;
			assert.equal((await api('POST', `${calls}/${id}/changeScreenSharingRole`, { role: 'viewer' })).status, 202);
			await rosterAfter(id, mark, (r) => !!r.find((p) => p.id === me && !screenStream(p)), 'the bot viewing');
			await api('DELETE', `${calls}/${id}`);
		});

		it('a role other than viewer or sharer is refused with Graph\'s error shape', async () => {
			const id = await meeting();
			assertGraphError(await api('POST', `${calls}/${id}/changeScreenSharingRole`, { role: 'presenter' }), 'role presenter');
			await api('DELETE', `${calls}/${id}`);
		});
	});

	describe('content sharing (application-post-calls.md notifications, outgoingcalloptions.md)', () => {
		const started = docsNotification(CREATE, 'Notification - content sharing started');
		const ended = docsNotification(CREATE, 'Notification - content sharing ended');
		const sessionsUrl = (id: string) => `${calls}/${id}/contentsharingsessions`;
		const about = (id: string, changeType: string, mark: number) => (n: CommsNotification) => rx.notifications.indexOf(n) >= mark && n.resourceUrl === sessionsUrl(id) && n.changeType === changeType;

		it('with isContentSharingNotificationEnabled: a person shares (created, the sharer\'s stream in the roster), the session is listed, stops (deleted) as the page shows', async () => {
			const id = await meeting({ callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true } });
			const mark = rx.notifications.length;
			const session = (await ctl('POST', `/calls/${id}/contentSharingSessions`, {})).body;
			const created = await rx.waitFor(about(id, 'created', mark), 10000, 'content sharing started');
			assert.deepEqual(shapeDifferences(started, created), [], JSON.stringify(created));
			assert.equal((created.resourceData as any[])[0].id, session.id);
			await rosterAfter(id, mark, (r) => r.some((p) => screenStream(p)?.direction === 'sendOnly'), 'the sharer\'s stream');
			assert.deepEqual(((await api('GET', `${calls}/${id}/contentSharingSessions`)).body.value as any[]).map((s) => s.id), [session.id]);
			assert.equal((await ctl('DELETE', `/calls/${id}/contentSharingSessions/${session.id}`)).status, 204);
			const deleted = await rx.waitFor(about(id, 'deleted', mark), 10000, 'content sharing ended');
			assert.deepEqual(shapeDifferences(ended, deleted), [], JSON.stringify(deleted));
			assert.deepEqual((await api('GET', `${calls}/${id}/contentSharingSessions`)).body.value, []);
			await api('DELETE', `${calls}/${id}`);
		});

		it('without it: the sharer\'s stream shows in the roster, and no session is notified', async () => {
			const id = await meeting();
			const mark = rx.notifications.length;
			const session = (await ctl('POST', `/calls/${id}/contentSharingSessions`, {})).body;
			await rosterAfter(id, mark, (r) => r.some((p) => screenStream(p)), 'the sharer\'s stream');
			await ctl('DELETE', `/calls/${id}/contentSharingSessions/${session.id}`);
			await rosterAfter(id, mark, (r) => !r.some((p) => screenStream(p)), 'the stream gone');
			await emu.webhooksIdle();
			assert.deepEqual(rx.notifications.slice(mark).filter((n) => n.resourceUrl === sessionsUrl(id)), []);
			await api('DELETE', `${calls}/${id}`);
		});
	});
});
