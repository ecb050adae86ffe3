/**
 * The emulator against every request example of the Graph v1.0 calls pages (test/fixtures/graph-docs, made by
 * test/scripts/refreshGraphDocsFixtures.js from microsoftgraph/microsoft-graph-docs-contrib at the commits the fixtures
 * name). For each example: put a call in the state the example needs, map the docs' ids and contoso URLs onto the
 * emulator's, send it, and compare status, the headers the docs show, the body's shape, and the notifications the page
 * shows at that step. Every request-body parameter a page marks required is left out once and must be refused with
 * Graph's error shape. What cannot apply to an emulator is in SKIPS below, with the reason.
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
import { assertGraphError, shapeDifferences } from './docsShape';
import { conformancePlan, mapExampleIds, type CallSetup, type ExampleContext, type ExamplePlan } from './docsExamplePlans';

interface DocsRequest { method: string; path: string; headers: Record<string, string>; body?: any; bodyError?: string }
interface DocsResponse { status: number | null; headers: Record<string, string>; body?: any }
interface DocsNotification { heading: string; body: { value: any[] } }
interface DocsExample { name: string; section: string; request: DocsRequest; response: DocsResponse | null; notificationsBefore: DocsNotification[]; notificationsAfter: DocsNotification[] }
interface DocsPage { source: { repo: string; path: string; commit: string | null }; parameters: { name: string; type: string; required: boolean }[]; examples: DocsExample[]; otherNotifications: (DocsNotification & { section: string })[] }

function repoRoot(): string {
	let dir = __dirname;
	while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
	return dir;
}
const FIXTURES = path.join(repoRoot(), 'test/fixtures/graph-docs');
const PAGES: [string, DocsPage][] = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort().map((f) => [path.basename(f, '.json'), JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as DocsPage]);

/** What a docs notification is about: the call, its roster, one of its operations or its content sharing. */
function topic(resourceUrl: string): 'call' | 'participants' | 'operation' | 'contentSharing' {
	if (/\/participants$/i.test(resourceUrl)) return 'participants';
	if (/contentsharingsessions/i.test(resourceUrl)) return 'contentSharing';
	if (/\/operations\//i.test(resourceUrl)) return 'operation';
	return 'call';
}

describe('Graph v1.0 docs conformance: every documented example against the emulator', function () {
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

	async function createAndWait(body: Record<string, unknown>): Promise<string> {
		const r = await api('POST', '/communications/calls', { '@odata.type': '#microsoft.graph.call', callbackUri: rx.url, requestedModalities: ['audio'], tenantId: emu.tenantId, ...body });
		assert.equal(r.status, 201, `setup: ${JSON.stringify(r.body)}`);
		await rx.waitForState(r.body.id, 'established');
		return r.body.id;
	}
	const SERVICE = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
	const user = (id: string) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id } } });

	/** A call in the state the example starts from; returns its id and, for rosters, a participant that is a person. */
	async function setUp(setup: CallSetup): Promise<{ callId?: string; participantId?: string }> {
		switch (setup) {
			case 'none':
				return {};
			case 'incomingUser':
			case 'incomingPhone': {
				const id = emu.incomingCall(setup === 'incomingUser' ? { userId: EMULATOR_PEOPLE.alex.id } : { phone: EMULATOR_PHONES.answers.id }, rx.url);
				await rx.waitFor((n) => n.resourceUrl === `/communications/calls/${id}` && n.changeType === 'created');
				return { callId: id };
			}
			case 'p2p':
				return { callId: await createAndWait({ mediaConfig: SERVICE, targets: [user(EMULATOR_PEOPLE.adele.id)] }) };
			case 'group':
			case 'meeting':
			case 'meetingByOrganizer':
			case 'meetingAppHosted': {
				const m = EMULATOR_MEETINGS.weeklySync;
				const join = setup === 'meetingByOrganizer'
					? { chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: m.threadId, messageId: '0' }, meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: m.organizerId, tenantId: emu.tenantId } }, allowConversationWithoutHost: true } }
					: { meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode } };
				const callId = setup === 'group'
					? await createAndWait({ mediaConfig: SERVICE, targets: [user(EMULATOR_PEOPLE.adele.id), user(EMULATOR_PEOPLE.johanna.id)] })
					: await createAndWait({ mediaConfig: setup === 'meetingAppHosted' ? { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<Media Session Configuration>' } : SERVICE, ...join });
				// The people of a group call join after the bot: wait until one is in the roster.
				for (let i = 0; i < 100; i++) {
					const people = (await api('GET', `/communications/calls/${callId}/participants`)).body.value as { id: string; info: { identity: { user?: unknown } } }[];
					const person = people.find((p) => p.info.identity.user);
					if (person) return { callId, participantId: person.id };
					await new Promise((r) => setTimeout(r, 50));
				}
				throw new Error(`setup: nobody joined ${setup} call ${callId}`);
			}
		}
	}

	const skipped: string[] = [];
	for (const [page, fixture] of PAGES) {
		describe(`${fixture.source.path} (docs commit ${fixture.source.commit?.slice(0, 8) ?? 'unknown'})`, () => {
			for (const example of fixture.examples) {
				const plan = conformancePlan(page, example.name);
				const title = `${example.section || 'example'}: ${example.name}`;
				if (plan.skip) {
					// Not sent: the reason is in docsExamplePlans.ts and the test below keeps the list short and explained.
					skipped.push(`${page} ${title}: ${plan.skip}`);
					continue;
				}
				it(`${title}: ${example.request.method} ${example.request.path} -> ${example.response?.status}`, async () => {
					rx.clear();
					const started = await setUp(plan.setup);
					const ctx: ExampleContext = { emu, rx, api, control: ctl, callbackUrl: rx.url, callId: started.callId, participantId: started.participantId, extraCallId: plan.extraCall ? (await setUp(plan.extraCall)).callId : undefined };
					// The notifications the page shows before the request (an incoming call) are already here.
					for (const n of example.notificationsBefore) await expectNotification(n, ctx, plan, 0);
					if (plan.before) await plan.before(ctx);
					const mark = rx.notifications.length;

					const body = plan.body ? plan.body(example.request.body, ctx) : example.request.body === undefined ? undefined : mapExampleIds(example.request.body, ctx);
					const requestPath = mapPath(example.request.path, ctx);
					const r = await api(example.request.method, requestPath, body);
					const expected = example.response;
					assert.ok(expected?.status, 'the page shows no response status');
					assert.equal(r.status, expected.status, `status for ${example.request.method} ${requestPath}: ${JSON.stringify(r.body)}`);
					if (expected.headers.location) assert.equal(r.headers.location, plan.location ? plan.location(r, ctx) : `${emu.graphBaseUrl}/communications/calls/${ctx.callId}/operations/${r.body?.id}`, 'Location');
					if (expected.headers['content-type']?.startsWith('application/json') && expected.body !== undefined) assert.match(r.headers['content-type'] ?? '', /^application\/json/, 'Content-Type');
					if (expected.body !== undefined) {
						const diffs = shapeDifferences(expected.body, r.body, plan.shape);
						assert.deepEqual(diffs, [], `response body shape differs from the docs:\n${diffs.join('\n')}\nemulator sent ${JSON.stringify(r.body)}`);
					}
					if (r.body?.id && typeof r.body.id === 'string') ctx.responseId = r.body.id;
					if (plan.after) await plan.after(ctx);
					for (const n of example.notificationsAfter) await expectNotification(n, ctx, plan, mark);
					if (plan.cleanUp !== false) {
						for (const id of [ctx.callId ?? (plan.setup === 'none' ? ctx.responseId : undefined), ctx.extraCallId]) if (id) await api('DELETE', `/communications/calls/${id}`);
					}
				});
			}

			for (const parameter of fixture.parameters.filter((p) => p.required)) {
				const example = fixture.examples.find((e) => e.request.body && typeof e.request.body === 'object' && parameter.name in e.request.body && !conformancePlan(page, e.name).skip);
				if (!example) continue;
				it(`${parameter.name} is required: ${example.name} without it is refused with 400 in Graph's error shape`, async () => {
					const plan = conformancePlan(page, example.name);
					const started = await setUp(plan.setup);
					const ctx: ExampleContext = { emu, rx, api, control: ctl, callbackUrl: rx.url, callId: started.callId, participantId: started.participantId };
					const body = { ...(plan.body ? plan.body(example.request.body, ctx) : mapExampleIds(example.request.body, ctx)) as Record<string, unknown> };
					delete body[parameter.name];
					assertGraphError(await api(example.request.method, mapPath(example.request.path, ctx), body), `${example.name} without ${parameter.name}`);
					if (started.callId) await api('DELETE', `/communications/calls/${started.callId}`);
				});
			}
		});
	}

	/** Waits for the emulator's notification at the same step as the docs' and compares its shape. */
	async function expectNotification(docs: DocsNotification, ctx: ExampleContext, plan: ExamplePlan, after: number): Promise<void> {
		if (plan.notificationSkips?.[docs.heading]) return;
		const view = plan.notificationView?.[docs.heading] ?? ((n: CommsNotification) => n);
		const expected = docs.body.value[0];
		const about = topic(expected.resourceUrl);
		const state = expected.resourceData && !Array.isArray(expected.resourceData) ? expected.resourceData.state ?? expected.resourceData.status : undefined;
		const callId = ctx.callId ?? ctx.responseId;
		const matches = (n: CommsNotification) => {
			// Only what the emulator sent at this step (after the request), not an earlier notification that looks alike.
			if (rx.notifications.indexOf(n) < after) return false;
			if (!n.resourceUrl.startsWith(`/communications/calls/${callId}`) || n.changeType !== expected.changeType || topic(n.resourceUrl) !== about) return false;
			const data = n.resourceData as Record<string, unknown> | undefined;
			if (about === 'operation' && data?.['@odata.type'] !== expected.resourceData?.['@odata.type']) return false;
			if (state !== undefined && String(data?.state ?? data?.status).toLowerCase() !== String(state).toLowerCase()) return false;
			return view(n) !== undefined;
		};
		const sent = await rx.waitFor(matches, 10000, `"${docs.heading}" (${expected.changeType} ${about}${state ? ` ${state}` : ''})`);
		const actual = view(sent)!;
		const diffs = shapeDifferences(expected, actual, plan.shape);
		assert.deepEqual(diffs, [], `"${docs.heading}" differs from the docs:\n${diffs.join('\n')}\nemulator sent ${JSON.stringify(actual)}`);
		const post = rx.posts.find((p) => p.notifications.includes(sent));
		assert.equal(JSON.parse(post!.body)['@odata.type'], '#microsoft.graph.commsNotifications', 'the POST body is a commsNotifications');
	}

	/** The docs' call, participant and operation ids in a path become the emulator's. */
	function mapPath(p: string, ctx: ExampleContext): string {
		return p
			.replace(/^\/communications\/calls\/[^/]+/, ctx.callId ? `/communications/calls/${ctx.callId}` : '/communications/calls')
			.replace(/\/participants\/(?!invite\b)[^/]+/, ctx.participantId ? `/participants/${ctx.participantId}` : '/participants/unknown');
	}

	it('covers every page of the fixtures and states each skip with a reason', () => {
		assert.ok(PAGES.length >= 20, `only ${PAGES.length} docs pages in ${FIXTURES}`);
		const examples = PAGES.flatMap(([page, f]) => f.examples.map((e) => conformancePlan(page, e.name)));
		assert.ok(examples.length >= 40);
		for (const plan of examples) if (plan.skip) assert.ok(plan.skip.length > 20, `a skip without a reason: ${plan.skip}`);
		// Every example is sent but these, each impossible for a client to send as documented (see the reason).
		assert.ok(skipped.length <= 1, `examples not sent:\n${skipped.join('\n')}`);
	});

	it('the control API still reaches the emulator (the suite ran against a live one)', async () => {
		assert.equal((await control(emu, agent, 'GET', '/state')).status, 200);
	});
});
