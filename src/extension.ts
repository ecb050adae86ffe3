import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GraphCallsApi } from './api';
import type { TenantProfile } from './core/auth/tenantProfile';
import { CallbackServices } from './vscode/callbacks/callbackServices';
import { registerCallbackCommands } from './vscode/callbacks/registerCallbacks';
import { CallCommandRunner } from './vscode/calls/callCommandRunner';
import { registerCallCommands } from './vscode/calls/callCommands';
import { CallPickers } from './vscode/calls/callPickers';
import { LiveCalls } from './vscode/calls/liveCalls';
import { registerParticipantCommands } from './vscode/calls/participantCommands';
import { registerTreeCommands } from './vscode/calls/treeCommands';
import { EmulatorController } from './vscode/emulator/emulatorController';
import { registerEmulatorCommands } from './vscode/emulator/registerEmulator';
import { EmulatorWatch } from './vscode/emulator/emulatorWatch';
import { registerTrafficLint, TrafficLint } from './vscode/traffic/trafficLint';
import { askForMissingCredential } from './vscode/profiles/credentialPrompt';
import { GraphClients } from './vscode/profiles/graphClients';
import { ProfileStatusBar } from './vscode/profiles/profileStatusBar';
import { ProfileStore } from './vscode/profiles/profileStore';
import { registerProfileCommands } from './vscode/profiles/registerProfiles';
import { registerDoctor } from './vscode/doctor/registerDoctor';
import { createPublicApi } from './publicApi';
import { registerPermissionReference } from './vscode/reference/registerReference';
import { registerLogCommands } from './vscode/requests/harExport';
import { registerTimeline } from './vscode/timeline/registerTimeline';
import { registerRequestCommands } from './vscode/requests/registerRequests';
import { PublicCallback } from './vscode/tunnel/publicCallback';
import { registerTunnelCommands } from './vscode/tunnel/registerTunnel';
import { registerSoftphone } from './vscode/softphone/registerSoftphone';
import { RequestLog } from './vscode/requests/requestLog';
import { registerScenarios } from './vscode/scenarios/registerScenarios';
import { Commands } from './vscode/shared/commands';
import { Configuration } from './vscode/shared/configuration';
import { createLogChannel } from './vscode/shared/log';
import { VsCodeUserInput, type UserInput } from './vscode/shared/userInput';

/** Composition root: build the services, call each feature's register function. No logic and no network here. */
export function activate(context: vscode.ExtensionContext): GraphCallsApi {
	const log = createLogChannel();
	const configuration = new Configuration();
	const commands = new Commands(log);
	context.subscriptions.push(log, configuration, commands);
	const vsCodeInput = new VsCodeUserInput();
	let userInput: UserInput = vsCodeInput;
	const input = () => userInput;
	const version = String(context.extension.packageJSON.version ?? '0');

	context.subscriptions.push(commands.register('graphCalls.log.show', () => log.show()));

	// Profiles; the store sets the graphCalls.hasProfile context key (welcome view) from what it holds.
	const profiles = new ProfileStore({
		globalState: context.globalState, secrets: context.secrets, log,
		askForCredential: (p) => askForMissingCredential(input(), p),
		setContext: (key, value) => void vscode.commands.executeCommand('setContext', key, value),
	});
	const profileStatusBar = new ProfileStatusBar(profiles);
	context.subscriptions.push(profiles, profileStatusBar, ...registerProfileCommands({ profiles, commands, input }));
	// Profiles added, edited or removed in another window: globalState has no change event, so look on focus.
	context.subscriptions.push(vscode.window.onDidChangeWindowState((state) => {
		if (state.focused) profiles.refreshFromStorage().catch((err: unknown) => log.warn(`Could not re-read the profiles: ${err instanceof Error ? err.message : String(err)}`));
	}));

	// The local emulator, as a child process behind the Emulator profile.
	const emulator = new EmulatorController({ profiles, log, scriptPath: context.asAbsolutePath(path.join('dist', 'emulator.js')), stateDir: path.join(context.globalStorageUri.fsPath, 'emulator') });
	context.subscriptions.push(emulator, ...registerEmulatorCommands(emulator, commands));

	// Graph clients per profile, the request log, and the calls view with its CallStore, poller and keepAlive.
	const graphClients = new GraphClients(profiles, configuration, `GraphCallsWorkbench/${version}`);
	const requestLog = new RequestLog(log, graphClients.onDidRequest);
	const calls = new LiveCalls({ memento: context.workspaceState, profiles, clients: graphClients, log, configuration, statusItem: profileStatusBar.item, statusRedrawn: [profiles.onDidChangeActive, profiles.onDidChange] });
	context.subscriptions.push(graphClients, requestLog, calls, ...registerLogCommands({ requestLog, commands, input, log, extensionVersion: version }));

	// Callbacks: the receiver feeds notifications into the CallStore; it also decides the callbackUri.
	const receiver = new CallbackServices({ profiles, callStore: calls.store, input, log, configuration });
	context.subscriptions.push(receiver, ...registerCallbackCommands(receiver, commands, input));
	const callbackUri = (p: TenantProfile) => receiver.callbackUri(p);

	// Public callback: a dev tunnel or ngrok in front of the receiver, its URL in the active profile while it runs.
	const publicCallback = new PublicCallback({ callbacks: receiver, profiles, secrets: context.secrets, log, input });
	context.subscriptions.push(publicCallback, ...registerTunnelCommands(publicCallback, commands, input, context.secrets));

	// Call and participant commands, all through the one runner that feeds the CallStore from Graph's answers.
	const runner = new CallCommandRunner({ clients: graphClients, store: calls.store, commands, configuration });
	const pick = new CallPickers({ runner, clients: graphClients, input, memento: context.globalState });
	const callServices = { runner, pick, clients: graphClients, commands, memento: context.globalState, callbackUri };
	context.subscriptions.push(...registerCallCommands(callServices), ...registerParticipantCommands(callServices));
	context.subscriptions.push(registerTreeCommands({ calls, runner, pick, commands, input, profiles, callbackUri: (p) => {
		try {
			return callbackUri(p);
		} catch {
			return undefined;
		}
	} }));

	// Request documents: .http CodeLens "Send with <profile>", responses beside, history, Copy as Code.
	context.subscriptions.push(registerRequestCommands({
		selectedNode: () => calls.selectedNode(), clients: graphClients, feed: (method, url, response) => runner.feed(method, url, response), calls: calls.store,
		commands, configuration, input, log, memento: context.globalState, callbackUri, onDidChangeActiveProfile: profiles.onDidChangeActive,
	}));

	// Permission reference: webview, export, and permission hover/diagnostics in .http documents.
	registerPermissionReference(context, { extensionUri: context.extensionUri, log, input, commands, profiles: () => profiles });

	// Every emulator call live in the Calls view (the bot's too) and lint of its traffic in the Problems panel.
	const emulatorWatch = new EmulatorWatch({ profiles, calls, log });
	const trafficLint = new TrafficLint(emulatorWatch, version);
	context.subscriptions.push(emulatorWatch, trafficLint, ...registerTrafficLint(trafficLint, commands));
	calls.model.showLint(trafficLint.calls);

	// Setup doctor: the calling setup checks for the active profile, in their own view.
	context.subscriptions.push(...registerDoctor({ profiles, clients: graphClients, commands, input, memento: context.globalState, callbackUri, reachability: () => publicCallback.probe }));

	// Call timelines: from a HAR file, for a call (live, from the request log and the receiver), or from another feature's source.
	registerTimeline(context, {
		extensionUri: context.extensionUri, commands, input, log, extensionVersion: version,
		traffic: {
			requests: () => requestLog.requests, onDidRequest: graphClients.onDidRequest,
			notifications: () => receiver.pipeline.history.list(), onDidNotify: receiver.pipeline.onDidRecord, receiverUrl: () => receiver.pipeline.url,
		},
		selectedCallId: () => calls.selectedNode()?.callId,
		knownCallIds: () => calls.store.list().map((c) => c.callId),
		emulatorSource: (callId) => (emulatorWatch.watching ? {
			title: `call ${callId.slice(0, 8)}`, entries: [...emulatorWatch.traffic], callId, graphName: 'Emulator',
			onDidAppend: (listener) => emulatorWatch.onDidAppend((entry) => listener({ entries: [entry] })),
		} : undefined),
	});

	// Scenario tests: the Test Explorer's scenarios (run and debug), diagnostics in scenario files, Save Call as Scenario.
	const scenarios = registerScenarios({ context, commands, calls: calls.store, requests: () => requestLog.requests, pick, input, log, version });
	context.subscriptions.push(...scenarios.disposables);

	// Softphone: be a person in the emulator (ring the bot, answer it, press keys, hang up).
	context.subscriptions.push(registerSoftphone({ extensionUri: context.extensionUri, profiles, commands, input, log, callbackUri }));

	// The tunnel gives the profile its old callback URL back before the host goes away.
	pendingWrites = async () => {
		await Promise.all([calls.store.flush(), publicCallback.stop('stopped because VS Code is closing')]);
	};

	// `npm start` sets this so the product opens with the local emulator running and the Emulator profile active.
	if (configuration.current.startEmulatorOnStartup) void vscode.commands.executeCommand('graphCalls.emulator.start');

	return createPublicApi({
		profiles, calls, requestLog, graphClients, receiver, emulator, commands, scenarios: scenarios.runner,
		setUserInput: (i) => {
			userInput = i ?? vsCodeInput;
		},
	});
}

/** Set by activate: what must finish before the extension host goes away. */
let pendingWrites: (() => Promise<void>) | undefined;

export function deactivate(): Promise<void> | undefined {
	return pendingWrites?.();
}
