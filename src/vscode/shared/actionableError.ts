import * as vscode from 'vscode';

/** A button next to an error message. */
export interface ErrorAction {
	readonly title: string;
	run(): unknown;
}

/**
 * The one kind of error a command shows: what went wrong, what to do next, and buttons for the way out.
 * Anything else thrown by a command is shown by its message alone.
 */
export class ActionableError extends Error {
	constructor(message: string, readonly explanation?: string, readonly actions: readonly ErrorAction[] = []) {
		super(message);
		this.name = 'ActionableError';
	}
}

/** Run a VS Code command from an error's button. */
export function commandAction(title: string, command: string, ...args: unknown[]): ErrorAction {
	return { title, run: () => vscode.commands.executeCommand(command, ...args) };
}

/** No profile to work with: the two ways to get one. */
export function noProfileError(message = 'No Graph Calls profile is active.'): ActionableError {
	return new ActionableError(message, 'Use the local emulator (no Azure tenant needed) or add a tenant profile, then run the command again.', [
		commandAction('Use Local Emulator', 'graphCalls.emulator.start'),
		commandAction('Add Tenant Profile', 'graphCalls.profile.add'),
	]);
}
