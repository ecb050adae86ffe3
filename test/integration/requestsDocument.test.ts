// The snippets' documented requests, written into one .http document, parsed, resolved and sent to the emulator
// over real HTTPS with the rules the editor uses: the call they create and change lands in a CallStore.
import * as assert from 'node:assert/strict';
import { CallStore } from '../../src/core/calls/callStore';
import type { CallResource } from '../../src/core/schema/types';
import type { EmulatorHandle } from '../../src/core/emulator';
import { CALL_EXAMPLES } from '../../src/core/requests/callExamples';
import { feedCallStore } from '../../src/core/calls/responseFeed';
import { matchEndpoint } from '../../src/core/schema/endpointMatch';
import { parseHttpDocument, serialiseDocument } from '../../src/core/requests/httpDocument';
import { resolveRequestTarget } from '../../src/core/requests/requestTarget';
import { VariableResolver } from '../../src/core/requests/variables';
import { useEmulator } from './support/emulatorFixture';
import { waitFor } from './support/waitFor';
import type { WebhookReceiver } from './support/webhookReceiver';

const ADELE = '0d5e1a6b-0001-4a00-8000-000000000001';

describe('request documents against the emulator', () => {
	const fx = useEmulator({ emulator: { clockSpeed: 10 }, receiver: true, client: true });
	let emu: EmulatorHandle;
	let sink: WebhookReceiver;
	before(() => {
		({ emu, receiver: sink } = fx);
	});

	it('sends the documented request of each call action in order and tracks the call', async () => {
		const ids = ['create-call-user', 'get-call', 'play-prompt', 'subscribe-to-tone', 'send-dtmf-tones', 'mute', 'unmute', 'keep-alive', 'list-participants', 'cancel-media-processing', 'delete-call'];
		const examples = ids.map((id) => CALL_EXAMPLES.find((e) => e.id === id)!);
		const text = serialiseDocument(examples.map((e) => ({ name: e.id, method: e.method, url: e.path, body: e.body })), { userId: ADELE });
		const doc = parseHttpDocument(text);
		assert.deepEqual(doc.diagnostics, []);
		assert.equal(doc.requests.length, ids.length);

		const client = fx.client;
		const store = new CallStore();
		const context: Record<string, string> = { tenantId: emu.tenantId, clientId: emu.clientId, callbackUri: sink.url };
		try {
			for (const block of doc.requests) {
				const { request, unknown } = new VariableResolver(doc.variables, context).resolve(block);
				assert.deepEqual(unknown, [], `${block.name}: every variable has a value`);
				const target = resolveRequestTarget(request.url, emu.baseUrl, 'v1.0');
				assert.equal(target.mayAttachToken, true);
				const match = matchEndpoint(request.method, target.url.href);
				const response = await client.request({ method: request.method, url: target.url.href, body: request.body, acceptAnyStatus: true, action: match?.row.action });
				assert.ok(response.status >= 200 && response.status < 300, `${block.name}: ${response.status} ${JSON.stringify(response.body)}`);
				const callId = feedCallStore(store, match, { status: response.status, headers: response.headers, body: response.body });
				if (block.name === 'create-call-user') {
					assert.ok(callId);
					context.callId = callId;
					// Adele answers: wait until the call is established before acting on it.
					await waitFor('the call to be established', async () => {
						const r = await client.request<CallResource>({ method: 'GET', path: `/communications/calls/${callId}` });
						store.applyCall({ ...r.body, id: callId });
						return r.body.state === 'established' ? true : undefined;
					}, 10000);
				}
			}
			const entry = store.get(context.callId)!;
			assert.ok(entry, 'the call is in the store');
			assert.ok(entry.operations.size >= 3, 'playPrompt, subscribeToTone, sendDtmfTones and mute operations were recorded');
			assert.ok(entry.participants.size >= 1, 'the roster was listed');
			assert.equal(entry.call.state, 'terminating');
		} finally {
			client.dispose();
			store.dispose();
		}
	});
});
