import * as assert from 'node:assert/strict';
import { CallStore } from '../../src/core/calls/callStore';
import { createdCallId, feedCallStore } from '../../src/core/calls/responseFeed';
import { matchEndpoint } from '../../src/core/schema/endpointMatch';

describe('requests: responses feed the CallStore', () => {
	let store: CallStore;
	beforeEach(() => {
		store = new CallStore();
	});
	afterEach(() => store.dispose());

	it('a created call is added with its state', () => {
		const id = feedCallStore(store, matchEndpoint('POST', '/communications/calls'), { status: 201, headers: {}, body: { id: 'c1', state: 'establishing' } });
		assert.equal(id, 'c1');
		assert.equal(store.get('c1')?.call.state, 'establishing');
	});

	it('takes the call id from Location when the body has none', () => {
		assert.equal(createdCallId({ status: 201, headers: { location: 'https://graph.microsoft.com/v1.0/communications/calls/abc-1' }, body: undefined }), 'abc-1');
		feedCallStore(store, matchEndpoint('POST', '/communications/calls'), { status: 201, headers: { location: '/v1.0/communications/calls/abc-2' }, body: '' });
		assert.ok(store.get('abc-2'));
	});

	it('operations, participants and removals land on their call', () => {
		feedCallStore(store, matchEndpoint('POST', '/communications/calls/c2/playPrompt'), { status: 200, headers: {}, body: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op1', status: 'running' } });
		assert.equal(store.get('c2')?.operations.size, 1);
		feedCallStore(store, matchEndpoint('GET', '/communications/calls/c2/participants'), { status: 200, headers: {}, body: { value: [{ id: 'p1' }, { id: 'p2' }] } });
		assert.equal(store.get('c2')?.participants.size, 2);
		feedCallStore(store, matchEndpoint('DELETE', '/communications/calls/c2/participants/p1'), { status: 204, headers: {}, body: undefined });
		assert.deepEqual([...store.get('c2')!.participants.values()].map((p) => p.id), ['p2']);
	});

	it('a failed request or an unknown endpoint changes nothing', () => {
		assert.equal(feedCallStore(store, matchEndpoint('POST', '/communications/calls'), { status: 403, headers: {}, body: { error: { code: 'Forbidden' } } }), undefined);
		assert.equal(feedCallStore(store, matchEndpoint('GET', '/me'), { status: 200, headers: {}, body: { id: 'x' } }), undefined);
		assert.equal(store.list().length, 0);
	});

	it('an action on an unknown call tracks it', () => {
		feedCallStore(store, matchEndpoint('POST', '/communications/calls/c3/keepAlive'), { status: 200, headers: {}, body: undefined });
		assert.equal(store.get('c3')?.origin, 'tracked');
	});
});
