import { AsyncLocalStorage } from 'node:async_hooks';
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';
import { ActionableError, commandAction, type ErrorAction } from './actionableError';
import { UserCancelledError } from './userInput';

/** How a command ended, with the message the user was shown (part of the public API, src/api.ts). */
export interface CommandOutcome {
	readonly command: string;
	readonly outcome: 'succeeded' | 'failed' | 'cancelled';
	/** The information or error message shown, when there was one. */
	readonly message?: string;
}

interface Run {
	message?: string;
}

function isCancellation(err: unknown): boolean {
	// By name too: errors can come from another bundle with its own copy of the class.
	return err instanceof UserCancelledError || (err instanceof Error && err.name === 'UserCancelledError') || err instanceof vscode.CancellationError || (err instanceof Error && err.name === 'AbortError' && /cancel/i.test(err.message));
}

function describe(err: unknown): { message: string; actions: readonly ErrorAction[] } {
	if (err instanceof ActionableError) return { message: err.explanation ? `${err.message} ${err.explanation}` : err.message, actions: err.actions };
	if (err && typeof err === 'object' && 'message' in err) {
		// Errors from core (GraphError, auth errors) carry an explanation and sometimes actions of the same shape.
		const e = err as { message: string; explanation?: unknown; actions?: unknown; doctorCheck?: unknown };
		const message = typeof e.explanation === 'string' && e.explanation ? `${e.message} ${e.explanation}` : e.message;
		const actions = Array.isArray(e.actions) ? (e.actions as ErrorAction[]) : [];
		// Errors that point at the calling setup (GraphError, SignInError) name a doctor check: offer to run it.
		const doctor = typeof e.doctorCheck === 'string' ? [commandAction('Run Setup Doctor', 'graphCalls.doctor.run')] : [];
		return { message, actions: [...actions, ...doctor] };
	}
	return { message: String(err), actions: [] };
}

/**
 * The one way commands are registered. Every command: logs its failure and shows it with the error's own buttons
 * plus "Show Log"; treats cancellation as no error; tells how it ended on `onDidFinish` with the message the user saw.
 */
export class Commands extends Disposable {
	private readonly finished = this._register(new Emitter<CommandOutcome>());
	readonly onDidFinish: Event<CommandOutcome> = this.finished.event;
	/** Attributes the messages shown while a command runs (across its awaits) to that command. */
	private readonly runs = new AsyncLocalStorage<Run>();

	constructor(private readonly log: vscode.LogOutputChannel) {
		super();
	}

	/** Registers `id`; the caller owns the returned disposable. */
	register(id: string, handler: (...args: any[]) => unknown): vscode.Disposable {
		return vscode.commands.registerCommand(id, (...args: unknown[]) => {
			const run: Run = {};
			return this.runs.run(run, async () => {
				try {
					const result = await handler(...args);
					this.finished.fire({ command: id, outcome: 'succeeded', message: run.message });
					return result;
				} catch (err) {
					if (isCancellation(err)) {
						this.log.debug(`${id}: cancelled`);
						this.finished.fire({ command: id, outcome: 'cancelled' });
						return undefined;
					}
					const { message, actions } = describe(err);
					this.log.error(`${id} failed: ${message}`);
					this.finished.fire({ command: id, outcome: 'failed', message });
					void vscode.window.showErrorMessage(message, ...actions.map((a) => a.title), 'Show Log').then((choice) => {
						if (choice === 'Show Log') this.log.show(true);
						else actions.find((a) => a.title === choice)?.run();
					});
					return undefined;
				}
			});
		});
	}

	/**
	 * Tells the user how the running command went: an information message and a log line. The message is the
	 * command's outcome. Resolves with the button chosen, if `buttons` were given (not awaited by commands).
	 */
	report(message: string, ...buttons: string[]): Thenable<string | undefined> {
		const run = this.runs.getStore();
		if (run) run.message = message;
		this.log.info(message);
		return vscode.window.showInformationMessage(message, ...buttons);
	}
}
