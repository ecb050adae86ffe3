import * as vscode from 'vscode';
import { createLogChannel } from './vscode/log';
import { registerCommand, setCommandContext, type CommandContext } from './vscode/commands/registerCommand';
import { VsCodeUserInput, type UserInput } from './vscode/userInput';
import * as path from 'node:path';
import { ProfileStore } from './vscode/profiles/profileStore';
import { ProfileStatusBar } from './vscode/profiles/profileStatusBar';
import { askForMissingCredential } from './vscode/profiles/credentialPrompt';
import { registerProfileCommands } from './vscode/commands/profiles';
import { EmulatorController, registerEmulatorCommands } from './vscode/commands/emulator';
import { isMsalLoaded } from './core/auth/msalTokenProvider';

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
	const profiles = new ProfileStore({ globalState: context.globalState, secrets: context.secrets, log, askForCredential: (p) => askForMissingCredential(input(), p) });
	const emulator = new EmulatorController({ profiles, log, scriptPath: context.asAbsolutePath(path.join('dist', 'emulator.js')), stateDir: path.join(context.globalStorageUri.fsPath, 'emulator') });
	context.subscriptions.push(profiles, new ProfileStatusBar(profiles), emulator, ...registerProfileCommands({ profiles, input }), ...registerEmulatorCommands(emulator));

	return {
		setUserInput: (i) => {
			userInput = i;
		},
		commandContext,
		profiles,
		emulator,
		isMsalLoaded,
	};
}

export function deactivate(): void {}
