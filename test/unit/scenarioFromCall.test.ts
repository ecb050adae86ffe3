import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { EMULATOR_PEOPLE, EMULATOR_PHONES } from '../../src/core/emulator';
import { formatProblem, parseScenario, scenarioFromCall, type CallHistory, type CallHistoryRequest } from '../../src/core/scenarios';
import type { CallResource } from '../../src/core/schema/types';

const T0 = Date.parse('2026-12-04T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const CALL_ID = '2f1a0b00-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const user = (u: { id: string; displayName: string }) => ({ user: { id: u.id, displayName: u.displayName } });

function request(s: number, action: string, status: number, requestBody?: unknown, method = 'POST'): CallHistoryRequest {
	return { method, action, status, requestBody, startedDateTime: at(s) };
}

/** The scenario's problems as `graph-calls test` would print them: none, for a saved call. */
function problemsOf(yaml: string): string[] {
	return parseScenario(yaml, 'saved.yaml').problems.map(formatProblem);
}

describe('Save Call as Scenario: a call made by hand becomes a scenario for a bot', () => {
	it('a call the user created: create, prompts, tones, transfer and keepAlive become expectations in order, states between them', () => {
		const call = { id: CALL_ID, direction: 'outgoing', state: 'terminated', targets: [{ identity: user(EMULATOR_PEOPLE.adele) }], resultInfo: { code: 200, subcode: 7015 } } as CallResource;
		const history: CallHistory = {
			call,
			savedAt: new Date(T0),
			stateHistory: [{ state: 'establishing', at: T0 + 500 }, { state: 'established', at: T0 + 2000 }, { state: 'transferring', at: T0 + 9500 }, { state: 'terminated', at: T0 + 12_000 }],
			requests: [
				// The request log keeps bodies as the JSON text sent.
				request(0, 'call.create', 201, JSON.stringify({ targets: [{ identity: user(EMULATOR_PEOPLE.adele) }], requestedModalities: ['audio'] })),
				request(1, 'call.get', 200, undefined, 'GET'),
				request(3, 'call.playPrompt', 200, { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/welcome.wav' } }] }),
				request(4, 'call.subscribeToTone', 200, { clientContext: 'x' }),
				request(5, 'call.sendDtmfTones', 200, { tones: ['tone1', 'tone2', 'pound'] }),
				request(6, 'call.keepAlive', 200),
				request(7, 'call.updateRecordingStatus', 200, { status: 'recording' }),
				request(8, 'call.playPrompt', 400, { prompts: [] }),
				request(9, 'call.transfer', 202, { transferTarget: { endpointType: 'default', identity: { phone: { id: EMULATOR_PHONES.answers.id } } } }),
			],
		};
		const { yaml, document, fileName } = scenarioFromCall(history);
		assert.deepEqual(problemsOf(yaml), []);
		assert.equal(fileName, 'call-to-adele.yaml');
		assert.equal(document.call, undefined, 'the bot makes the call: no incoming call');
		assert.equal(document.people, undefined, 'everyone is in the emulator directory');
		assert.deepEqual(document.steps, [
			{ expect: 'create', to: 'adele' },
			{ expect: 'state', state: 'established' },
			{ expect: 'playPrompt', uri: 'https://bot.example/welcome.wav' },
			{ expect: 'subscribeToTone' },
			{ expect: 'sendDtmfTones', tones: '12#' },
			{ expect: 'request', action: 'call.updateRecordingStatus' },
			{ expect: 'transfer', to: EMULATOR_PHONES.answers.id },
			{ expect: 'state', state: 'transferring' },
			{ expect: 'keepAlive', every: '45m' },
			{ expect: 'state', state: 'terminated', result: '200/7015' },
		]);
		assert.match(yaml, /^# Saved by Graph Calls Workbench/);
		assert.deepEqual(parse(yaml), document, 'the YAML is the document');
	});

	it('a call the user answered: the caller becomes call.from, and a hang-up by the caller becomes the world\'s step', () => {
		const call = { id: CALL_ID, direction: 'incoming', state: 'terminated', source: { identity: user(EMULATOR_PEOPLE.alex) }, resultInfo: { code: 200, subcode: 4521 } } as CallResource;
		const { yaml, document } = scenarioFromCall({
			call,
			stateHistory: [{ state: 'incoming', at: T0 }, { state: 'established', at: T0 + 3000 }, { state: 'hold', at: T0 + 4000 }, { state: 'established', at: T0 + 5000 }, { state: 'terminated', at: T0 + 9000 }],
			requests: [request(2, 'call.answer', 202, { callbackUri: 'https://x', acceptedModalities: ['audio'], mediaConfig: {} }), request(6, 'call.mute', 200, {})],
		});
		assert.deepEqual(problemsOf(yaml), []);
		assert.deepEqual(document.call, { from: 'alex' });
		assert.deepEqual(document.steps, [
			{ expect: 'answer', modalities: ['audio'] },
			{ expect: 'state', state: 'established' },
			{ expect: 'state', state: 'hold' },
			{ expect: 'mute' },
			{ hangUp: 'caller' },
			{ expect: 'state', state: 'terminated', result: '200/4521' },
		]);
	});

	it('the bot hanging up is an expectation, not the caller\'s hang-up; a call rejected by hand is expect: reject', () => {
		const ended = { id: CALL_ID, direction: 'incoming', source: { identity: { phone: { id: EMULATOR_PHONES.answers.id } } }, resultInfo: { code: 200, subcode: 540000 } } as CallResource;
		const hungUp = scenarioFromCall({
			call: ended,
			stateHistory: [{ state: 'established', at: T0 + 1000 }, { state: 'terminated', at: T0 + 5000 }],
			requests: [request(0.5, 'call.answer', 202, { acceptedModalities: ['audio'] }), request(4, 'call.delete', 204, undefined, 'DELETE')],
		});
		assert.deepEqual(problemsOf(hungUp.yaml), []);
		assert.deepEqual(hungUp.document.call, { from: EMULATOR_PHONES.answers.id });
		assert.deepEqual((hungUp.document.steps as unknown[]).slice(-2), [{ expect: 'hangUp' }, { expect: 'state', state: 'terminated', result: '200/540000' }]);

		const rejected = scenarioFromCall({ call: { ...ended, resultInfo: undefined }, stateHistory: [], requests: [request(1, 'call.reject', 202, { reason: 'busy' })] });
		assert.deepEqual(problemsOf(rejected.yaml), []);
		assert.deepEqual(rejected.document.steps, [{ expect: 'reject', reason: 'busy' }]);
	});

	it('people outside the emulator directory (a real tenant\'s user, another number) are added under people, so the scenario still validates', () => {
		const stranger = { id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', displayName: 'Pat Example' };
		const call = { id: CALL_ID, direction: 'outgoing', targets: [{ identity: user(stranger) }] } as CallResource;
		const { yaml, document } = scenarioFromCall({
			call,
			stateHistory: [{ state: 'established', at: T0 + 1000 }],
			requests: [
				request(0, 'call.create', 201, { targets: [{ identity: user(stranger) }] }),
				request(2, 'participant.invite', 200, { participants: [{ identity: { phone: { id: '+15550001111' } } }] }),
			],
		});
		assert.deepEqual(problemsOf(yaml), []);
		assert.deepEqual(document.people, { 'Pat Example': 'answers', '+15550001111': 'answers' });
		assert.deepEqual(document.steps, [{ expect: 'create', to: 'Pat Example' }, { expect: 'state', state: 'established' }, { expect: 'invite', to: '+15550001111' }]);
	});

	it('a call tracked by id (no create in this session\'s log) still has the bot make it, or the scenario would have no call', () => {
		const call = { id: CALL_ID, direction: 'outgoing', targets: [{ identity: user(EMULATOR_PEOPLE.lidia) }] } as CallResource;
		const { yaml, document } = scenarioFromCall({ call, stateHistory: [{ state: 'established', at: T0 }], requests: [request(1, 'call.playPrompt', 200, { prompts: [{ mediaInfo: { uri: 'https://a/b.wav' } }] })] });
		assert.deepEqual(problemsOf(yaml), []);
		assert.deepEqual((document.steps as unknown[])[0], { expect: 'create', to: 'lidia' });
	});
});
