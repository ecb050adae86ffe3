import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { callbackUriFor, CallbackUrlMissingError } from '../../src/core/callbacks/callbackUri';
import { parseCommsNotifications, summarizeNotification } from '../../src/core/callbacks/notificationParser';

const wrap = (...value: unknown[]) => JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value });

describe('callbacks: commsNotifications parsing', () => {
	it('rejects a body that is not JSON, saying so', () => {
		const r = parseCommsNotifications('{"value": [');
		assert.equal(r.ok, false);
		assert.match(!r.ok ? r.error : '', /not valid JSON/);
	});

	it('rejects JSON of the wrong shape and an empty value array', () => {
		for (const body of ['[]', '42', 'null', '"text"', '{"foo": 1}', '{"value": "x"}']) {
			const r = parseCommsNotifications(body);
			assert.equal(r.ok, false, body);
			assert.match(!r.ok ? r.error : '', /not a commsNotifications object/, body);
		}
		const empty = parseCommsNotifications('{"value": []}');
		assert.equal(empty.ok, false);
		assert.match(!empty.ok ? empty.error : '', /empty/);
	});

	it('keeps resourceData as an object or as an array', () => {
		const r = parseCommsNotifications(
			wrap(
				{ changeType: 'updated', resourceUrl: '/communications/calls/c1', resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' } },
				{ changeType: 'updated', resourceUrl: '/communications/calls/c1/participants', resourceData: [{ id: 'p1' }, { id: 'p2' }] },
			),
		);
		assert.ok(r.ok);
		assert.deepEqual(r.warnings, []);
		assert.equal(r.notifications.length, 2);
		assert.deepEqual((r.notifications[0].resourceData as { state: string }).state, 'established');
		assert.equal((r.notifications[1].resourceData as unknown[]).length, 2);
		const [call, roster] = r.notifications.map(summarizeNotification);
		assert.equal(call.kind, 'call');
		assert.equal(call.state, 'established');
		assert.equal(call.callId, 'c1');
		assert.equal(roster.kind, 'participants');
		assert.equal(roster.participantCount, 2);
	});

	it('accepts unknown @odata.type values with a warning instead of dropping the notification', () => {
		const body = JSON.stringify({ '@odata.type': '#microsoft.graph.somethingNew', value: [{ '@odata.type': '#microsoft.graph.futureNotification', changeType: 'created', resourceUrl: '/communications/calls/x' }] });
		const r = parseCommsNotifications(body);
		assert.ok(r.ok);
		assert.equal(r.notifications.length, 1);
		assert.equal(r.warnings.length, 2);
		assert.match(r.warnings.join(' '), /somethingNew/);
		assert.match(r.warnings.join(' '), /futureNotification/);
	});

	it('skips unusable items but keeps the good ones, and falls back to the older `resource` field', () => {
		const r = parseCommsNotifications(wrap('junk', { changeType: 'exploded', resourceUrl: '/communications/calls/a' }, { changeType: 'updated' }, { changeType: 'deleted', resource: '/communications/calls/b' }));
		assert.ok(r.ok);
		assert.equal(r.notifications.length, 1);
		assert.equal(r.notifications[0].resourceUrl, '/communications/calls/b');
		assert.equal(r.warnings.length, 3);
		const none = parseCommsNotifications(wrap({ changeType: 'exploded', resourceUrl: '/x' }));
		assert.equal(none.ok, false);
		assert.match(!none.ok ? none.error : '', /No usable notification.*exploded/);
	});

	it('reads a single notification sent without the value wrapper', () => {
		const r = parseCommsNotifications(JSON.stringify({ changeType: 'created', resourceUrl: '/communications/calls/z', resourceData: { state: 'incoming' } }));
		assert.ok(r.ok);
		assert.equal(r.notifications.length, 1);
		assert.match(r.warnings[0], /without the commsNotifications "value" wrapper/);
	});

	it('summarises operations, /app/calls, absolute URLs and ids that are not dashed GUIDs', () => {
		const op = summarizeNotification({
			changeType: 'deleted',
			resourceUrl: '/communications/calls/421F0000ABCDEF/operations/OP-9',
			resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', resultInfo: { code: 200, subcode: 0 } },
		});
		assert.deepEqual([op.kind, op.callId, op.operationId, op.operationStatus, op.dataType, op.resultInfo?.code], ['operation', '421F0000ABCDEF', 'OP-9', 'completed', '#microsoft.graph.playPromptOperation', 200]);
		assert.equal(summarizeNotification({ changeType: 'updated', resourceUrl: '/app/calls/abc' }).callId, 'abc');
		assert.equal(summarizeNotification({ changeType: 'updated', resourceUrl: 'https://graph.microsoft.com/v1.0/communications/calls/abc?x=1' }).callId, 'abc');
		assert.equal(summarizeNotification({ changeType: 'updated', resourceUrl: '/subscriptions/1' }).kind, 'other');
	});

	it('never throws, whatever the body', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ value: [v] }))), (text) => {
				const r = parseCommsNotifications(text);
				if (r.ok) for (const n of r.notifications) summarizeNotification(n);
			}),
			{ numRuns: 500 },
		);
	});
});

describe('callbacks: callbackUriFor', () => {
	const emulator = { authority: 'https://127.0.0.1:1/t', graphHost: 'https://127.0.0.1:1', caCertPem: 'x', controlUrl: 'https://127.0.0.1:1/_emulator' };

	it('uses the receiver URL for the emulator profile, and asks to start the receiver when it is stopped', () => {
		assert.equal(callbackUriFor({ name: 'Emulator', emulator }, { url: 'http://127.0.0.1:4567/api/calling' }), 'http://127.0.0.1:4567/api/calling');
		assert.throws(() => callbackUriFor({ name: 'Emulator', emulator }, { url: undefined }), (e: CallbackUrlMissingError) => e instanceof CallbackUrlMissingError && /Start Callback Receiver/.test(e.explanation));
	});

	it('uses the profile URL, then the setting, for real tenants', () => {
		assert.equal(callbackUriFor({ name: 'Contoso', callbackUrl: 'https://a.devtunnels.ms/api/calling' }, { url: 'http://127.0.0.1:1/api/calling' }, 'https://b.ngrok.app/cb'), 'https://a.devtunnels.ms/api/calling');
		assert.equal(callbackUriFor({ name: 'Contoso' }, undefined, 'https://b.ngrok.app/cb'), 'https://b.ngrok.app/cb');
	});

	it('explains what to do when a real tenant has no callback URL or a bad one', () => {
		assert.throws(() => callbackUriFor({ name: 'Contoso', callbackUrl: '  ' }, { url: 'http://127.0.0.1:1/api/calling' }), (e: CallbackUrlMissingError) => /Contoso/.test(e.message) && /graphCalls\.callbackUrl/.test(e.explanation) && /tunnel/.test(e.explanation));
		assert.throws(() => callbackUriFor({ name: 'Contoso', callbackUrl: 'http://a.example/cb' }, undefined), /not https/);
		assert.throws(() => callbackUriFor({ name: 'Contoso', callbackUrl: 'nonsense' }, undefined), /not a valid URL/);
	});
});
