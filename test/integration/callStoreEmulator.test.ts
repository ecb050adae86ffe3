// The CallStore, its poller and its keepAlive scheduler against the emulator over real HTTPS: notifications
// (duplicated and reordered by the emulator's faults) drive the store to the same end state; without notifications
// the poller follows a call with GETs and stops when it ends; automatic keepAlive keeps a call past the emulator's
// keepAlive timeout while a call without it ends with 408/8537.
import * as assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../src/core/emulator';
import { CallStore } from '../../src/core/calls/callStore';
import { CallPoller } from '../../src/core/calls/callPoller';
import { KeepAliveScheduler } from '../../src/core/calls/keepAliveScheduler';
import { explainResultInfo } from '../../src/core/calls/resultInfoText';
import { createCall, deleteCall, getCall, keepAlive, listParticipants, playPrompt } from '../../src/core/graph/calls';
import type { GraphClient } from '../../src/core/graph/graphClient';
import { GraphError } from '../../src/core/graph/graphError';
import { useEmulator } from './support/emulatorFixture';
import { waitFor } from './support/waitFor';
import type { WebhookReceiver } from './support/webhookReceiver';

const ADELE = { id: '0d5e1a6b-0001-4a00-8000-000000000001', displayName: 'Adele Vance' };
const LIDIA = { id: '0d5e1a6b-0007-4a00-8000-000000000007', displayName: 'Lidia Holloway' };

async function callTo(client: GraphClient, emu: EmulatorHandle, user: { id: string; displayName: string }, callbackUri: string): Promise<string> {
	const r = await createCall(client, { kind: 'user', userId: user.id, displayName: user.displayName, callbackUri, tenantId: emu.tenantId });
	return r.body.id;
}

describe('CallStore against the emulator', function () {
	this.timeout(30_000);

	describe('with duplicated and reordered notifications', () => {
		// The receiver feeds every notification into the store, as the extension's receiver does.
		let store: CallStore;
		const fx = useEmulator({
			emulator: { faults: { rules: [], notifications: { duplicateRate: 0.5, reorder: true }, tokenEndpointDown: false, seed: 6 } },
			client: true,
			receiver: { onNotification: (n) => store.applyNotification(n) },
		});
		let emu: EmulatorHandle;
		let client: GraphClient;
		let feed: WebhookReceiver;
		before(() => {
			({ emu, client, receiver: feed } = fx);
			store = new CallStore();
		});
		after(() => store?.dispose());

		it('reaches established with the roster, finishes operations, and ends explained, from notifications alone', async () => {
			const callId = await callTo(client, emu, ADELE, feed.url);
			// Only what notifications say: no response is fed in.
			await waitFor('established from notifications', () => store.get(callId)?.call.state === 'established', 10_000);
			const entry = store.get(callId)!;
			assert.equal(entry.origin, 'notification');
			assert.ok(entry.stateHistory.every((h, i, all) => i === 0 || !(all[i - 1].state === 'established' && h.state === 'establishing')), 'never back from established to establishing');
			await waitFor('Adele in the roster', () => [...store.get(callId)!.participants.values()].some((p) => p.info?.identity?.user?.displayName === 'Adele Vance'));

			const op = (await playPrompt(client, callId, { promptUris: ['https://cdn.contoso.com/beep.wav'], clientContext: 'integration' })).body;
			await waitFor('the prompt operation to finish', () => store.get(callId)?.operations.get(op.id.toLowerCase().replace(/-/g, ''))?.finished, 10_000);

			await deleteCall(client, callId);
			await waitFor('terminated', () => store.get(callId)?.ended, 10_000);
			const ended = store.get(callId)!;
			assert.equal(ended.call.state, 'terminated');
			assert.ok(explainResultInfo(ended.call.resultInfo), 'the end is explained');
			// Late duplicates of older states keep arriving for a moment: none revives the call.
			await emu.webhooksIdle();
			assert.equal(store.get(callId)?.call.state, 'terminated');
			const counters = emu.emulator.faults.counters;
			assert.ok(counters.notificationsDuplicated + counters.notificationsReordered > 0, 'the emulator really duplicated or reordered notifications');
		});
	});

	describe('without notifications', () => {
		let store: CallStore;
		const fx = useEmulator({ emulator: { timings: { keepAliveTimeoutMs: 1_500 } }, client: true, receiver: { onNotification: (n) => store.applyNotification(n) } });
		let emu: EmulatorHandle;
		let client: GraphClient;
		let feed: WebhookReceiver;
		before(() => {
			({ emu, client, receiver: feed } = fx);
			store = new CallStore();
		});
		after(() => store?.dispose());

		it('polls a call with GETs until it ends, then stops polling it', async () => {
			let gets = 0;
			const poller = new CallPoller(
				store,
				{
					fetchCall: async (id, signal) => {
						gets++;
						try {
							return (await getCall(client, id, { signal })).body;
						} catch (err) {
							if (err instanceof GraphError && err.status === 404) return undefined;
							throw err;
						}
					},
					fetchParticipants: async (id, signal) => (await listParticipants(client, id, { signal })).body.value,
				},
				{ policy: { quietMs: 100, initialDelayMs: 100, maxDelayMs: 400, factor: 2 } },
			);
			try {
				// Nothing listens at this callbackUri: the poller is the only source after the create response.
				const callId = await callTo(client, emu, LIDIA, 'https://127.0.0.1:9/api/calling');
				store.applyCall({ id: callId, state: 'establishing' });
				await waitFor('established by polling', () => store.get(callId)?.call.state === 'established', 10_000);
				await waitFor('the roster by polling', () => store.get(callId)!.participants.size >= 2, 5_000);
				await deleteCall(client, callId);
				await waitFor('ended by polling', () => store.get(callId)?.ended, 10_000);
				const after = gets;
				await new Promise((r) => setTimeout(r, 800));
				assert.equal(gets, after, 'no GET after the call ended');
				assert.equal(poller.nextPollAt(callId), undefined);
			} finally {
				poller.dispose();
			}
		});

		it('keeps a call alive past the keepAlive timeout; a call without keepAlive ends with 408/8537', async () => {
			const sent: string[] = [];
			const scheduler = new KeepAliveScheduler(store, {
				intervalMs: 400,
				warnBeforeMs: 500,
				firstDelayMs: 0,
				send: async (id) => {
					await keepAlive(client, id);
					sent.push(id);
				},
			});
			try {
				const kept = await callTo(client, emu, ADELE, feed.url);
				const dropped = await callTo(client, emu, LIDIA, feed.url);
				await waitFor('both established', () => store.get(kept)?.call.state === 'established' && store.get(dropped)?.call.state === 'established', 10_000);
				scheduler.setEnabled(dropped, false);
				await waitFor('the call without keepAlive to end', () => store.get(dropped)?.ended, 10_000);
				assert.equal(explainResultInfo(store.get(dropped)!.call.resultInfo), '408/8537: keepAlive not sent in time');
				assert.equal(scheduler.status(dropped), undefined, 'the scheduler stopped for the ended call');
				// Well past the 1.5 s timeout since establishment, the kept call is still there.
				await new Promise((r) => setTimeout(r, 1_000));
				assert.equal((await getCall(client, kept)).body.state, 'established');
				assert.ok(sent.filter((id) => id === kept).length >= 3, `keepAlive was sent repeatedly (${sent.length})`);
				assert.ok(!sent.includes(dropped));
				await deleteCall(client, kept);
			} finally {
				scheduler.dispose();
			}
		});
	});
});
