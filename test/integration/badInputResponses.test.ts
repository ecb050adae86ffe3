// The response rows of the bad-input table: what a Graph proxy, gateway or a future API version might answer.
// A real loopback HTTP server answers them (the emulator never sends HTML or broken JSON); the huge-request row
// goes to the emulator. Each row: a clear error or a tolerated answer, and nothing already stored is lost.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallStore } from '../../src/core/calls/callStore';
import type { EmulatorHandle } from '../../src/core/emulator';
import * as calls from '../../src/core/graph/calls';
import { GraphClient } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';
import { feedCallStore } from '../../src/core/calls/responseFeed';
import { matchEndpoint } from '../../src/core/schema/endpointMatch';
import { useEmulator } from './support/emulatorFixture';

const CALL = 'c0ffee00-0000-4000-8000-000000000001';
const TOKEN = { getToken: async () => ({ token: 'eyJ0eXAiOiJKV1QifQ.e30.bad-input-test-token', expiresOn: new Date(Date.now() + 3_600_000) }) };

interface Canned {
	status: number;
	contentType?: string;
	body: string;
}

describe('bad input table: responses', function () {
	this.timeout(30_000);
	let server: http.Server;
	let client: GraphClient;
	let store: CallStore;
	let next: Canned;
	let snapshot: string;

	const seeded = () => JSON.stringify({ call: store.get(CALL)?.call, participants: [...(store.get(CALL)?.participants.values() ?? [])] });

	before(async () => {
		server = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				res.writeHead(next.status, next.contentType ? { 'content-type': next.contentType } : {});
				res.end(next.body);
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		client = new GraphClient({ profileName: 'Bad input', baseUrl: `${origin}/v1.0`, graphHost: origin, tokenProvider: TOKEN, retry: { maxAttempts: 1 } });
	});
	after(async () => {
		client?.dispose();
		server?.closeAllConnections();
		await new Promise((r) => server?.close(r));
	});
	beforeEach(() => {
		store = new CallStore();
		store.applyCall({ id: CALL, state: 'established', direction: 'outgoing' } as never);
		store.applyParticipants(CALL, [{ id: 'p-bot' }, { id: 'p-adele', info: { identity: { user: { id: 'u1', displayName: 'Adele' } } } }] as never);
		snapshot = seeded();
	});
	afterEach(() => store.dispose());

	/** Sends like a command (typed function, response fed into the store); returns the error message if it failed. */
	async function command(run: () => Promise<unknown>): Promise<GraphError | undefined> {
		try {
			await run();
			return undefined;
		} catch (err) {
			assert.ok(err instanceof GraphError, `a GraphError, not ${(err as Error).name}: ${(err as Error).message}`);
			assert.ok(err.nextStep.length > 0, 'says what to do next');
			assert.ok(err.message.length < 600, `short enough to read: ${err.message.length}`);
			return err;
		}
	}

	/** Sends like a .http document (any status accepted, fed into the store by the same rules). */
	async function fromDocument(method: string, path: string): Promise<void> {
		const url = `${client.baseUrl}${path}`;
		const res = await client.request({ method, url, acceptAnyStatus: true });
		feedCallStore(store, matchEndpoint(method, url), { status: res.status, headers: res.headers, body: res.body });
	}

	it('a non-JSON 200 body is shown as text and does not touch the store', async () => {
		next = { status: 200, contentType: 'text/plain', body: 'OK' };
		const res = await client.request({ method: 'GET', path: `/communications/calls/${CALL}` });
		assert.equal(res.body, 'OK');
		await fromDocument('GET', `/communications/calls/${CALL}`);
		assert.equal(seeded(), snapshot);
	});

	it('an HTML 502 page from a gateway: a clear error naming the status, without the page markup', async () => {
		next = { status: 502, contentType: 'text/html', body: `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>${'body{}'.repeat(200)}</style></head><body><h1>Bad Gateway</h1>${'<p>x</p>'.repeat(500)}</body></html>` };
		const err = await command(() => calls.getCall(client, CALL));
		assert.equal(err?.status, 502);
		assert.match(err!.message, /502/);
		assert.match(err!.message, /Bad Gateway/);
		assert.doesNotMatch(err!.message, /<style>|<p>/, 'no page markup in the message');
		assert.equal(seeded(), snapshot);
	});

	it('an empty 500 body: a clear error', async () => {
		next = { status: 500, body: '' };
		const err = await command(() => calls.playPrompt(client, CALL, { promptUris: ['https://cdn.contoso.com/a.wav'] }));
		assert.equal(err?.status, 500);
		assert.match(err!.message, /500/);
		assert.equal(seeded(), snapshot);
	});

	it('a JSON content type with a broken JSON body: the text is kept, the error is clear', async () => {
		next = { status: 400, contentType: 'application/json', body: '{"error": {"code": "BadRequest", "message": "trunc' };
		const err = await command(() => calls.getCall(client, CALL));
		assert.equal(err?.status, 400);
		assert.match(err!.message, /trunc/);
		assert.equal(seeded(), snapshot);
	});

	it('an empty 200 body where a call was expected: no crash, nothing stored changes', async () => {
		next = { status: 200, contentType: 'application/json', body: '' };
		const res = await calls.getCall(client, CALL);
		assert.equal(res.body, undefined);
		store.applyCall(res.body);
		await fromDocument('GET', `/communications/calls/${CALL}`);
		assert.equal(seeded(), snapshot);
	});

	it('a JSON array where a call was expected: ignored by the store', async () => {
		next = { status: 200, contentType: 'application/json', body: '[{"id": "x", "state": "terminated"}]' };
		const res = await calls.getCall(client, CALL);
		store.applyCall(res.body);
		await fromDocument('GET', `/communications/calls/${CALL}`);
		assert.equal(seeded(), snapshot);
		assert.equal(store.list().length, 1);
	});

	it('a huge participant list (5,000) replaces the roster in one piece', async () => {
		const value = Array.from({ length: 5000 }, (_, i) => ({ id: `p-${i}`, info: { identity: { user: { id: `u-${i}`, displayName: `Person ${i}` } } }, isMuted: i % 2 === 0 }));
		next = { status: 200, contentType: 'application/json', body: JSON.stringify({ value }) };
		const res = await calls.listParticipants(client, CALL);
		store.applyParticipants(CALL, res.body.value);
		assert.equal(store.get(CALL)!.participants.size, 5000);
		assert.equal(store.get(CALL)!.call.state, 'established', 'the call itself is untouched');
	});

	it('unknown fields in a call are kept, known ones still merge', async () => {
		next = { status: 200, contentType: 'application/json', body: JSON.stringify({ id: CALL, state: 'established', futureField: { nested: [1, 2] }, '@odata.type': '#microsoft.graph.call' }) };
		await fromDocument('GET', `/communications/calls/${CALL}`);
		const call = store.get(CALL)!.call as unknown as Record<string, unknown>;
		assert.deepEqual(call.futureField, { nested: [1, 2] });
		assert.equal(call.state, 'established');
		assert.equal(store.get(CALL)!.participants.size, 2, 'the roster is kept');
	});

	it('an unexpected call state is stored as Graph said it, without ending the call or losing its roster', async () => {
		next = { status: 200, contentType: 'application/json', body: JSON.stringify({ id: CALL, state: 'transmogrifying' }) };
		await fromDocument('GET', `/communications/calls/${CALL}`);
		const entry = store.get(CALL)!;
		assert.equal(entry.ended, false);
		assert.equal(entry.participants.size, 2);
		assert.ok(['established', 'transmogrifying'].includes(String(entry.call.state)), String(entry.call.state));
	});
});

describe('bad input table: a huge request body to the emulator', function () {
	this.timeout(30_000);
	const fx = useEmulator({ client: true });
	let emu: EmulatorHandle;
	let client: GraphClient;
	before(() => {
		({ emu, client } = fx);
	});

	it('is refused with 413 and a message naming the limit', async () => {
		const before = emu.emulator.engine.list().length;
		const err = await client.request({ method: 'POST', path: '/communications/calls', body: { callbackUri: 'https://x', clientContext: 'x'.repeat(2 * 1024 * 1024) } }).catch((e: unknown) => e);
		assert.ok(err instanceof GraphError);
		assert.equal(err.status, 413);
		assert.match(err.message, /larger than 1048576 bytes/);
		assert.ok(err.message.length < 600);
		assert.equal(emu.emulator.engine.list().length, before, 'no call placed');
	});
});
