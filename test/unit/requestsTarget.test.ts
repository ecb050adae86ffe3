import * as assert from 'node:assert/strict';
import { isForbiddenDocumentHeader, resolveRequestTarget, RequestTargetError } from '../../src/core/requests/requestTarget';
import { matchEndpoint, splitGraphPath } from '../../src/core/schema/endpointMatch';

describe('requests: host check (where the token may go)', () => {
	const graph = 'https://graph.microsoft.com';

	it('a path resolves against the versioned base URL and may carry the token', () => {
		const t = resolveRequestTarget('/communications/calls/1/playPrompt', graph, 'v1.0');
		assert.equal(t.url.href, 'https://graph.microsoft.com/v1.0/communications/calls/1/playPrompt');
		assert.equal(t.mayAttachToken, true);
	});

	it('a path that names a version keeps it', () => {
		assert.equal(resolveRequestTarget('/beta/communications/calls', graph, 'v1.0').url.href, 'https://graph.microsoft.com/beta/communications/calls');
	});

	it('the profile host, written absolutely, may carry the token (case-insensitive host)', () => {
		assert.equal(resolveRequestTarget('https://GRAPH.microsoft.com/v1.0/communications/calls', graph, 'v1.0').mayAttachToken, true);
	});

	it('the emulator host matches on scheme, host and port', () => {
		const emu = 'https://127.0.0.1:8443';
		assert.equal(resolveRequestTarget('/communications/calls', emu, 'v1.0').url.href, 'https://127.0.0.1:8443/v1.0/communications/calls');
		assert.equal(resolveRequestTarget('https://127.0.0.1:8443/v1.0/communications/calls', emu, 'v1.0').mayAttachToken, true);
		assert.equal(resolveRequestTarget('https://127.0.0.1:9999/v1.0/communications/calls', emu, 'v1.0').mayAttachToken, false);
	});

	for (const url of [
		'https://evil.example.com/v1.0/communications/calls',
		'http://graph.microsoft.com/v1.0/communications/calls',
		'https://graph.microsoft.com.evil.example/v1.0/communications/calls',
		'https://graph.microsoft.us/v1.0/communications/calls',
		'//evil.example.com/v1.0/communications/calls',
		'https://graph.microsoft.com:444/v1.0/communications/calls',
	]) {
		it(`another origin never gets the token: ${url}`, () => {
			const t = resolveRequestTarget(url, graph, 'v1.0');
			assert.equal(t.mayAttachToken, false);
			assert.match(t.reason!, /is not the profile's Graph host https:\/\/graph\.microsoft\.com/);
		});
	}

	it('refuses credentials in the URL, non-http schemes and garbage, with what to do', () => {
		assert.throws(() => resolveRequestTarget('https://graph.microsoft.com@evil.example/x', graph, 'v1.0'), (e: unknown) => e instanceof RequestTargetError && /user name or password/.test(e.message));
		assert.throws(() => resolveRequestTarget('file:///etc/passwd', graph, 'v1.0'), /file: URLs cannot be sent: use an https URL/);
		assert.throws(() => resolveRequestTarget('https://', graph, 'v1.0'), /is not a valid URL/);
	});

	it('documents may not set Authorization or hop-by-hop headers', () => {
		assert.equal(isForbiddenDocumentHeader('authorization'), true);
		assert.equal(isForbiddenDocumentHeader('Authorization'), true);
		assert.equal(isForbiddenDocumentHeader('Cookie'), true);
		assert.equal(isForbiddenDocumentHeader('Prefer'), false);
	});
});

describe('requests: endpoint matching', () => {
	it('maps method and path to the endpoint row with its ids', () => {
		const m = matchEndpoint('post', 'https://graph.microsoft.com/v1.0/communications/calls/abc/participants/p%201/mute')!;
		assert.equal(m.row.action, 'participant.mute');
		assert.deepEqual(m.params, { callId: 'abc', participantId: 'p 1' });
		assert.equal(m.version, 'v1.0');
	});

	it('prefers literal segments (invite, muteAll) over ids', () => {
		assert.equal(matchEndpoint('POST', '/communications/calls/1/participants/invite')!.row.action, 'participant.invite');
		assert.equal(matchEndpoint('POST', '/beta/communications/calls/1/participants/muteAll')!.row.action, 'participant.muteAll');
		assert.equal(matchEndpoint('GET', '/communications/calls/1/participants/invite')!.row.action, 'participant.get');
	});

	it('understands beta, the /app/calls alias, queries and trailing slashes', () => {
		const m = matchEndpoint('DELETE', 'https://graph.microsoft.com/beta/app/calls/xyz/?a=1')!;
		assert.equal(m.row.action, 'call.delete');
		assert.equal(m.version, 'beta');
		assert.equal(m.query, '?a=1');
		assert.deepEqual(splitGraphPath('/communications/calls', 'beta'), { version: 'beta', path: '/communications/calls', query: '' });
	});

	it('returns undefined for other APIs and wrong methods', () => {
		assert.equal(matchEndpoint('GET', '/me'), undefined);
		assert.equal(matchEndpoint('PUT', '/communications/calls/1'), undefined);
	});
});
