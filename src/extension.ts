import * as vscode from 'vscode';
import { createLogChannel } from './vscode/shared/log';
import { registerCommand, setCommandContext, type CommandContext } from './vscode/shared/registerCommand';
import { VsCodeUserInput, type UserInput } from './vscode/shared/userInput';
import * as path from 'node:path';
import { ProfileStore } from './vscode/profiles/profileStore';
import { ProfileStatusBar } from './vscode/profiles/profileStatusBar';
import { askForMissingCredential } from './vscode/profiles/credentialPrompt';
import { registerProfileCommands } from './vscode/profiles/registerProfiles';
import { EmulatorController, registerEmulatorCommands } from './vscode/emulator/registerEmulator';
import { isMsalLoaded } from './core/auth/msalTokenProvider';
import { CallStore } from './core/calls/callStore';
import { CallbackServices, registerCallbackCommands } from './vscode/callbacks/registerCallbacks';
import type { TenantProfile } from './core/auth/tenantProfile';
import { GraphClients } from './vscode/profiles/graphClients';
import { CallsServices } from './vscode/calls/callsServices';
import { registerTreeCommands } from './vscode/calls/treeCommands';
import { RequestLog } from './vscode/requests/requestLog';
import { CallCommandKit, registerCallCommands, type CallCommandResults } from './vscode/calls/callCommands';
import { registerParticipantCommands } from './vscode/calls/participantCommands';
import { registerLogCommands } from './vscode/requests/harExport';
import { registerRequestCommands, type RequestsApi } from './vscode/requests/registerRequests';
import { registerPermissionReference, type PermissionReferenceApi } from './vscode/reference/registerReference';

/** What activate returns: used by the extension-host tests to script input and inspect state. */
export interface GraphCallsApi {
	setUserInput(input: UserInput): void;
	readonly commandContext: CommandContext;
	/** Tenant profiles: active profile, onDidChangeActive, tokenProviderFor(profile). */
	readonly profiles: ProfileStore;
	/** The local emulator child process behind "Use Local Emulator". */
	readonly emulator: EmulatorController;
	/** False until the first token request: msal-node must not load at activation. */
	isMsalLoaded(): boolean;
	/** Whether msal-node was loaded when activate() returned (must be false). */
	readonly msalLoadedAtActivation: boolean;
	/** Everything in globalState, for tests that prove no secret is stored there. */
	globalStateSnapshot(): Record<string, unknown>;
	/** This extension's log folder (the "Graph Calls" log file is under the window's logs), for leak checks. */
	readonly logUri: vscode.Uri;
	/** One GraphClient per profile; `active()` is the active profile's. */
	readonly graphClients: GraphClients;
	/** The session's Graph requests (redacted), as logged and exported to HAR. */
	readonly requestLog: RequestLog;
	/** Every call we know: fed by command responses and notifications. */
	readonly callStore: CallStore;
	/** The calls tree: its model (nodes, views), poller, keepAlive scheduler and JSON documents. */
	readonly calls: CallsServices;
	/** What the last call command reported to the user. */
	readonly callCommands: CallCommandResults;
	/** Request documents: sender (variables, last created call), history per profile, response viewer, last generated code. */
	readonly requests: RequestsApi;
	/** The permission reference webview (its live model), the roles it marks against, and the .http permission hints. */
	readonly permissionReference: PermissionReferenceApi;
	/** The callback receiver: inspector (receiver, history, relay), Notifications view, status bar, callbackUri. */
	readonly receiver: CallbackServices;
}

/** Composition root: build services, register views and commands. No logic and no network here. */
export function activate(context: vscode.ExtensionContext): GraphCallsApi {
	const log = createLogChannel();
	context.subscriptions.push(log);
	const commandContext: CommandContext = { log };
	setCommandContext(commandContext);
	let userInput: UserInput = new VsCodeUserInput();
	const input = () => userInput;

	context.subscriptions.push(registerCommand('graphCalls.log.show', () => log.show()));

	// The store sets the graphCalls.hasProfile context key (welcome view) from what it holds.
	const profiles = new ProfileStore({
		globalState: context.globalState, secrets: context.secrets, log,
		askForCredential: (p) => askForMissingCredential(input(), p),
		setContext: (key, value) => void vscode.commands.executeCommand('setContext', key, value),
	});
	const emulator = new EmulatorController({ profiles, log, scriptPath: context.asAbsolutePath(path.join('dist', 'emulator.js')), stateDir: path.join(context.globalStorageUri.fsPath, 'emulator') });
	const profileStatusBar = new ProfileStatusBar(profiles);
	context.subscriptions.push(profiles, profileStatusBar, emulator, ...registerProfileCommands({ profiles, input }), ...registerEmulatorCommands(emulator));
	// Profiles added, edited or removed in another window: globalState has no change event, so look on focus.
	context.subscriptions.push(vscode.window.onDidChangeWindowState((state) => {
		if (state.focused) profiles.refreshFromStorage().catch((err: unknown) => log.warn(`Could not re-read the profiles: ${err instanceof Error ? err.message : String(err)}`));
	}));

	// Graph client and call commands (issue 5). The CallStore is shared with the calls tree.
	const graphClients = new GraphClients(profiles, `GraphCallsWorkbench/${context.extension.packageJSON.version ?? '0'}`);
	// Calls tree (issue 6): the CallStore for the active profile, polling, keepAlive, tree view, JSON documents.
	const calls = new CallsServices({ memento: context.workspaceState, profiles, clients: graphClients, log, statusItem: profileStatusBar.item, statusRedrawn: [profiles.onDidChangeActive, profiles.onDidChange] });
	const callStore = calls.store;
	const requestLog = new RequestLog(log, graphClients.onDidRequest);
	// Callback receiver (issue 7): receives, validates, shows, relays and replays notifications; feeds the CallStore.
	const receiver = new CallbackServices({ profiles, callStore, input, log });
	context.subscriptions.push(receiver, ...registerCallbackCommands(receiver, input));
	const callbackUri = (p: TenantProfile) => receiver.callbackUri(p);
	const callKit = new CallCommandKit({ clients: graphClients, callStore, input, log, memento: context.globalState, callbackUri });
	context.subscriptions.push(callStore, graphClients, requestLog, ...registerCallCommands(callKit), ...registerParticipantCommands(callKit));
	context.subscriptions.push(calls);
	context.subscriptions.push(registerTreeCommands({ calls, input, log, client: () => graphClients.active(), activeProfile: () => profiles.active, callbackUri: (p) => { try { return callbackUri(p); } catch { return undefined; } } }));
	context.subscriptions.push(...registerLogCommands({ requestLog, input, log, extensionVersion: String(context.extension.packageJSON.version ?? '0') }));
	// Request documents (issue 8): .http CodeLens "Send with <profile>", responses beside, history, copy as code.
	const requests = registerRequestCommands({ selectedNode: () => calls.selectedNode(), clients: graphClients, callStore, input, log, memento: context.globalState, callbackUri, onDidChangeActiveProfile: profiles.onDidChangeActive });
	context.subscriptions.push(requests);

	// Permission reference (issue 12): webview, export, and permission hover/diagnostics in .http documents.
	const permissionReference = registerPermissionReference(context, { extensionUri: context.extensionUri, log, input, profiles: () => profiles });

	// `npm start` sets this so the product opens with the local emulator running and the Emulator profile active.
	if (vscode.workspace.getConfiguration('graphCalls').get<boolean>('startEmulatorOnStartup')) void vscode.commands.executeCommand('graphCalls.emulator.start');

	return {
		setUserInput: (i) => {
			userInput = i;
		},
		commandContext,
		profiles,
		emulator,
		isMsalLoaded,
		msalLoadedAtActivation: isMsalLoaded(),
		globalStateSnapshot: () => Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
		logUri: context.logUri,
		graphClients,
		requestLog,
		callStore,
		calls,
		callCommands: callKit.results,
		requests,
		permissionReference,
		receiver,
	};
}

export function deactivate(): void {}
