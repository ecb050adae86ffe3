// The transfer request body: 1:1 (no transferee), consultative (replacesCallId) and group call (transferee as the
// participantInfo of the Graph docs' "Call transfer from a group call" example), and the transferee's validation.
// The "is this a group call" rule of the Transfer Call command lives in src/vscode and is covered by the
// extension-host test test/extension/transfer.test.ts.
import * as assert from 'node:assert/strict';
import { buildTransferBody, transferCall } from '../../src/core/graph/calls';
import type { GraphRequest, GraphResponse } from '../../src/core/graph/graphClient';
import { ValidationError } from '../../src/core/graph/validators';

const CALL = 'c0ffee00-0000-4000-8000-000000000001';
const HEIDI = '550fae72-d251-43ec-868c-373732c2704f';
const TRANSFEREE_USER = { id: '751f6800-3180-414d-bd94-333364659951', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', displayName: 'Adele Vance' };
const PARTICIPANT = '909c6581-5130-43e9-88f3-fcb3582cde37';

function recordingSender() {
	const sent: GraphRequest[] = [];
	return {
		sent,
		async request<T>(req: GraphRequest): Promise<GraphResponse<T>> {
			sent.push(req);
			return { status: 202, headers: {}, body: undefined as T, durationMs: 1, requestId: 'r', clientRequestId: 'c' } as GraphResponse<T>;
		},
	};
}

describe('transfer request body', () => {
	it('1:1 blind transfer: only transferTarget, no transferee', async () => {
		const sender = recordingSender();
		await transferCall(sender, CALL, { target: { kind: 'user', id: HEIDI, displayName: 'Heidi Steen' } });
		assert.equal(sender.sent.length, 1);
		assert.equal(sender.sent[0].method, 'POST');
		assert.equal(sender.sent[0].path, `/communications/calls/${CALL}/transfer`);
		assert.equal(sender.sent[0].action, 'call.transfer');
		assert.deepEqual(sender.sent[0].body, {
			transferTarget: {
				endpointType: 'default',
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: HEIDI, displayName: 'Heidi Steen' } },
			},
		});
	});

	it('group call: transferee is a participantInfo with the participant\'s identitySet and participantId (the docs\' example shape)', () => {
		const body = buildTransferBody({
			target: { kind: 'user', id: HEIDI, displayName: 'Heidi Steen' },
			transferee: { participantId: PARTICIPANT, identity: { user: TRANSFEREE_USER } },
		});
		assert.deepEqual(body.transferee, {
			'@odata.type': '#microsoft.graph.participantInfo',
			identity: { '@odata.type': '#microsoft.graph.identitySet', user: TRANSFEREE_USER },
			participantId: PARTICIPANT,
		});
		// The participant id is never mistaken for a user id (the old body put it into identity.user.id).
		assert.notEqual((body.transferee as { identity: { user: { id: string } } }).identity.user.id, PARTICIPANT);
		assert.deepEqual(Object.keys(body).sort(), ['transferTarget', 'transferee']);
		assert.equal((body.transferTarget as { identity: { user: { id: string } } }).identity.user.id, HEIDI);
	});

	it('group call: a guest or phone transferee keeps its identity kind; an identitySet @odata.type already there is kept', () => {
		const guest = { '@odata.type': '#microsoft.graph.identitySet', guest: { id: 'g-1', displayName: 'Guest Tester' } };
		assert.deepEqual(buildTransferBody({ target: { kind: 'user', id: HEIDI }, transferee: { participantId: PARTICIPANT, identity: guest } }).transferee, {
			'@odata.type': '#microsoft.graph.participantInfo', identity: guest, participantId: PARTICIPANT,
		});
		const phone = { phone: { id: '+14255550101' } };
		const body = buildTransferBody({ target: { kind: 'phone', number: '+14255550102' }, transferee: { participantId: PARTICIPANT, identity: phone } });
		assert.deepEqual((body.transferee as { identity: unknown }).identity, { '@odata.type': '#microsoft.graph.identitySet', ...phone });
	});

	it('consultative transfer from a group call: replacesCallId on the target and the transferee', () => {
		const consult = 'e5d39592-99bd-4db8-bca8-30fb894ec51d';
		const body = buildTransferBody({ target: { kind: 'user', id: HEIDI }, replacesCallId: consult, transferee: { participantId: PARTICIPANT, identity: { user: TRANSFEREE_USER } } });
		assert.equal((body.transferTarget as { replacesCallId: string }).replacesCallId, consult);
		assert.equal((body.transferee as { participantId: string }).participantId, PARTICIPANT);
	});

	it('refuses a bad transferee before anything is sent, saying what to do', async () => {
		const sender = recordingSender();
		const target = { kind: 'user', id: HEIDI } as const;
		const cases: [unknown, RegExp][] = [
			[{ participantId: '', identity: { user: TRANSFEREE_USER } }, /transferee's participant id is empty .*pick it from the Calls view/],
			[{ participantId: 'a/b', identity: { user: TRANSFEREE_USER } }, /transferee's participant id .*contains \//],
			[{ participantId: PARTICIPANT, identity: {} }, new RegExp(`transferee ${PARTICIPANT} has no identity .*list the call's participants`)],
			[{ participantId: PARTICIPANT, identity: { '@odata.type': '#microsoft.graph.identitySet' } }, /has no identity/],
			[{ participantId: PARTICIPANT, identity: null }, /has no identity/],
		];
		for (const [transferee, pattern] of cases) {
			await assert.rejects(transferCall(sender, CALL, { target, transferee } as never), (err: unknown) => err instanceof ValidationError && pattern.test(err.message));
		}
		assert.equal(sender.sent.length, 0, 'nothing reached the network');
	});
});
