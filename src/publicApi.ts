import type { GraphCallsApi } from './api';
import type { Event } from './core/event';
import { redactedRecord, type NotificationRecord } from './core/callbacks/notificationRecord';
import type { CallbackServices } from './vscode/callbacks/callbackServices';
import type { LiveCalls } from './vscode/calls/liveCalls';
import { EMULATOR_PROFILE_ID, type EmulatorController } from './vscode/emulator/emulatorController';
import type { GraphClients } from './vscode/profiles/graphClients';
import type { ProfileStore } from './vscode/profiles/profileStore';
import type { RequestLog } from './vscode/requests/requestLog';
import type { ScenarioTestRunner } from './vscode/scenarios/scenarioTestRun';
import type { Commands } from './vscode/shared/commands';
import type { UserInput } from './vscode/shared/userInput';

/** Maps an event to one without payload, for API members that only say "something changed". */
function signal<T>(event: Event<T>): Event<void> {
	return (listener) => event(() => listener());
}

/** Builds the documented public API (src/api.ts) from the services; it hands out no service itself. */
export function createPublicApi(s: {
	readonly profiles: ProfileStore;
	readonly calls: LiveCalls;
	readonly requestLog: RequestLog;
	readonly graphClients: GraphClients;
	readonly receiver: CallbackServices;
	readonly emulator: EmulatorController;
	readonly commands: Commands;
	readonly scenarios: ScenarioTestRunner;
	readonly setUserInput: (input: UserInput | undefined) => void;
}): GraphCallsApi {
	const { profiles, calls, receiver, emulator } = s;
	return Object.freeze({
		apiVersion: 1 as const,
		profiles: Object.freeze({
			list: () => profiles.list(),
			get active() {
				return profiles.active;
			},
			onDidChangeActive: profiles.onDidChangeActive,
			onDidChange: signal(profiles.onDidChange),
		}),
		calls: Object.freeze({
			list: () => calls.store.list(),
			get: (callId: string) => calls.store.get(callId),
			onDidChange: signal(calls.store.onDidChange),
			get selectedCallId() {
				return calls.selectedNode()?.callId;
			},
			reveal: (callId: string) => calls.selectCall(callId),
			otherApp: (callId: string) => calls.otherAppOf(callId),
		}),
		requests: Object.freeze({
			list: () => s.requestLog.requests,
			onDidSend: s.graphClients.onDidRequest,
		}),
		notifications: Object.freeze({
			get receiverUrl() {
				return receiver.pipeline.url;
			},
			onDidChangeReceiver: signal(receiver.pipeline.onDidChangeState),
			list: () => receiver.pipeline.history.list().map(redactedRecord),
			onDidReceive: (listener: (r: NotificationRecord) => void) => receiver.pipeline.onDidRecord((r) => listener(redactedRecord(r))),
		}),
		emulator: Object.freeze({
			get running() {
				return emulator.running;
			},
			get pid() {
				return emulator.pid;
			},
			get endpoints() {
				const e = profiles.get(EMULATOR_PROFILE_ID)?.emulator;
				return emulator.running && e ? { graphHost: e.graphHost, authority: e.authority, controlUrl: e.controlUrl } : undefined;
			},
			onDidChange: signal(emulator.onDidChangeState),
		}),
		commands: Object.freeze({ onDidFinish: s.commands.onDidFinish }),
		scenarios: Object.freeze({ onDidFinish: s.scenarios.onDidReport }),
		automation: Object.freeze({ setUserInput: s.setUserInput }),
	}) satisfies GraphCallsApi as GraphCallsApi;
}
