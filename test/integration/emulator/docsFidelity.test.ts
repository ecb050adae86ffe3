/**
 * The emulator against the Graph v1.0 documentation (microsoftgraph/microsoft-graph-docs-contrib,
 * api-reference/v1.0/api/*.md): each test sends a page's documented request example and checks the documented
 * status, headers and body shape, and the notifications the page shows at the same step. Ids and times are
 * the emulator's own; the docs' placeholders (contoso URLs, ids) are replaced with the emulator's.
 */
import * as assert from 'node:assert/strict';
import type { Agent } from 'undici';
import { EMULATOR_PEOPLE, type EmulatorHandle } from '../../../src/core/emulator';
import { graph, type GraphReply } from '../support/emulatorAuth';
import { useEmulator } from '../support/emulatorFixture';
import type { WebhookReceiver } from '../support/webhookReceiver';

const { adele } = EMULATOR_PEOPLE;

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
});
