/**
 * The extension's public API: what `vscode.extensions.getExtension('graph-calls-workbench.graph-calls-workbench')
 * .activate()` resolves to. Another extension (or a script in a test host) can rely on it; docs/api.md describes it.
 * Everything here is read-only state, events, or the automation seam; no secret is ever reachable through it.
 */
import type { Event } from './core/event';
import type { TenantProfile } from './core/auth/tenantProfile';
import type { CallEntry } from './core/calls/callStore';
import type { GraphRequestEvent } from './core/graph/requestEvent';
import type { NotificationRecord } from './core/callbacks/notificationRecord';
import type { UserInput } from './vscode/shared/userInput';
import type { CommandOutcome } from './vscode/shared/commands';
import type { ScenarioTestReport } from './vscode/scenarios/scenarioTestRun';

export interface GraphCallsApi {
	readonly apiVersion: 1;
	readonly profiles: ProfilesApi;
	readonly calls: CallsApi;
	readonly requests: RequestsApi;
	readonly notifications: NotificationsApi;
	readonly emulator: EmulatorApi;
	readonly commands: CommandsApi;
	readonly automation: AutomationApi;
	readonly scenarios: ScenariosApi;
}

/** Tenant profiles as stored (never with their secret or private key). */
export interface ProfilesApi {
	list(): readonly TenantProfile[];
	readonly active: TenantProfile | undefined;
	readonly onDidChangeActive: Event<TenantProfile | undefined>;
	/** A profile was added, edited or removed. */
	readonly onDidChange: Event<void>;
}

/** The calls the workbench knows for the active profile: what the Calls view shows. */
export interface CallsApi {
	list(): readonly CallEntry[];
	get(callId: string): CallEntry | undefined;
	readonly onDidChange: Event<void>;
	/** The call selected in the Calls view, if any (request documents' {{callId}} follows it). */
	readonly selectedCallId: string | undefined;
	/** Reveals and selects a call's row in the Calls view. */
	reveal(callId: string): Promise<void>;
	/**
	 * The app that made or answered the call when it is not the active profile's app: another app's call (a bot's)
	 * seen in the emulator's live feed, by its display name. Undefined for the profile's own calls.
	 */
	otherApp(callId: string): string | undefined;
}

/** Every Graph exchange the workbench made in this session, redacted as in the log and the HAR export. */
export interface RequestsApi {
	list(): readonly GraphRequestEvent[];
	readonly onDidSend: Event<GraphRequestEvent>;
}

/** The callback receiver and the notifications it took in (redacted as in the Notifications view). */
export interface NotificationsApi {
	/** The receiver's local URL while it runs. */
	readonly receiverUrl: string | undefined;
	readonly onDidChangeReceiver: Event<void>;
	list(): readonly NotificationRecord[];
	readonly onDidReceive: Event<NotificationRecord>;
}

/** The local emulator behind "Use Local Emulator". */
export interface EmulatorApi {
	readonly running: boolean;
	/** The emulator's own process id while it runs (it is a child process, never the extension host). */
	readonly pid: number | undefined;
	/** Its endpoints while it runs (no credentials). */
	readonly endpoints: { readonly graphHost: string; readonly authority: string; readonly controlUrl: string } | undefined;
	readonly onDidChange: Event<void>;
}

/** How each Graph Calls command ended, with the message the user was shown. */
export type { CommandOutcome };

export interface CommandsApi {
	readonly onDidFinish: Event<CommandOutcome>;
}

/**
 * Answers the workbench's prompts from code instead of the UI: for scripted runs and for tests of extensions that
 * drive Graph Calls commands. An unexpected prompt then fails instead of waiting for a person.
 */
export interface AutomationApi {
	/** Replaces the prompt answerer; `undefined` puts back VS Code's own quick picks and input boxes. */
	setUserInput(input: UserInput | undefined): void;
}

/** How each scenario of a Test Explorer run ended (Run or Debug profile), with the failure messages it showed. */
export type { ScenarioTestReport };

export interface ScenariosApi {
	/** A scenario finished in the Test Explorer: its steps, the messages shown, and the file its traffic was saved to. */
	readonly onDidFinish: Event<ScenarioTestReport>;
}
