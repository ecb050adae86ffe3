import * as vscode from 'vscode';
import { UserCancelledError } from './userInput';

/** An error that carries its own next steps, shown as buttons next to the message. */
export interface ActionableError {
	readonly message: string;
	/** Plain explanation and what to do next, appended to the message. */
	readonly explanation?: string;
	readonly actions?: readonly ErrorAction[];
}

export interface ErrorAction {
	readonly title: string;
	run(): unknown;
}

/** Hooks the wrapper uses; set once at activation. Tests read `lastError` to see what the user was shown. */
export interface CommandContext {
	readonly log: vscode.LogOutputChannel;
	/** The last error shown to the user, for tests. */
	lastError?: string;
}

let commandContext: CommandContext | undefined;

export function setCommandContext(ctx: CommandContext): void {
	commandContext = ctx;
}

export function getCommandContext(): CommandContext {
	if (!commandContext) throw new Error('setCommandContext was not called at activation');
	return commandContext;
}

function isCancellation(err: unknown): boolean {
	// By name too: tests and other bundles have their own copy of the class.
	return err instanceof UserCancelledError || (err instanceof Error && err.name === 'UserCancelledError') || (err instanceof vscode.CancellationError) || (err instanceof Error && err.name === 'AbortError' && /cancel/i.test(err.message));
}

function describe(err: unknown): { message: string; actions: readonly ErrorAction[] } {
	if (err && typeof err === 'object' && 'message' in err) {
		const e = err as Partial<ActionableError> & { message: string };
		const message = e.explanation ? `${e.message} ${e.explanation}` : e.message;
		return { message, actions: Array.isArray(e.actions) ? e.actions : [] };
	}
	return { message: String(err), actions: [] };
}

/**
 * Registers a command that logs its errors, ignores user cancellation, and shows every other failure as
 * an error message with the error's own actions plus "Show Log".
 */
export function registerCommand(id: string, handler: (...args: any[]) => unknown): vscode.Disposable {
	return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
		const ctx = getCommandContext();
		try {
			return await handler(...args);
		} catch (err) {
			if (isCancellation(err)) {
				ctx.log.debug(`${id}: cancelled`);
				return undefined;
			}
			const { message, actions } = describe(err);
			ctx.lastError = message;
			ctx.log.error(`${id} failed: ${message}`);
			void vscode.window.showErrorMessage(message, ...actions.map((a) => a.title), 'Show Log').then((choice) => {
				if (choice === 'Show Log') ctx.log.show(true);
				else actions.find((a) => a.title === choice)?.run();
			});
			return undefined;
		}
	});
}
