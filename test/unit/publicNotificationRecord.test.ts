import * as assert from 'node:assert/strict';
import { redactedRecord, type NotificationRecord } from '../../src/core/callbacks/notificationRecord';

function record(body: unknown): NotificationRecord {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const parsed = typeof body === 'string' ? [] : ((body as { value: unknown[] }).value as NotificationRecord['notifications']);
	return { id: 'n1', seq: 1, receivedAt: new Date(0).toISOString(), method: 'POST', path: '/api/calling', headers: { authorization: 'Bearer <redacted>' }, body: text, notifications: parsed, summaries: [], warnings: [], responseStatus: 202, accepted: true, valid: true, replays: [] } as NotificationRecord;
}

describe('notification records as the public API hands them out', () => {
	it('carry no recording token, in the body or in the parsed notifications', () => {
		const token = 'eyJhbGciOiJSUzI1NiJ9.eyJyZWMiOiIxIn0.c2lnbmF0dXJlLXJlY29yZGluZy10b2tlbi12YWx1ZQ';
		const r = redactedRecord(record({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/c1', resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established', recordingAccessToken: token } }] }));
		assert.ok(!r.body.includes(token), r.body);
		assert.ok(!JSON.stringify(r.notifications).includes(token));
		assert.match(r.body, /"state":"established"/, 'the rest stays');
	});

	it('keep a body with nothing to redact byte for byte (it still matches what was relayed)', () => {
		const body = '{ "value": [ { "changeType": "created", "resourceUrl": "/communications/calls/2f1a0500-d4bf-4224-8b19-1581168d328b" } ] }';
		assert.equal(redactedRecord(record(body)).body, body);
	});

	it('redact a rejected non-JSON body too', () => {
		const r = redactedRecord(record('client_secret=Sup3rS3cretValueThatIsLong1234567890&grant_type=client_credentials'));
		assert.ok(!r.body.includes('Sup3rS3cretValueThatIsLong1234567890'), r.body);
	});
});
