import * as vscode from 'vscode';
import { createLogChannel } from './vscode/log';
import { registerCommand, setCommandContext, type CommandContext } from './vscode/commands/registerCommand';
import { VsCodeUserInput, type UserInput } from './vscode/userInput';

/** What activate returns: used by the extension-host tests to script input and inspect state. */
export interface GraphCallsApi {
	setUserInput(input: UserInput): void;
	readonly commandContext: CommandContext;
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
	void input;
	void vscode.commands.executeCommand('setContext', 'graphCalls.hasProfile', false);

	return {
		setUserInput: (i) => {
			userInput = i;
		},
		commandContext,
	};
}

export function deactivate(): void {}
