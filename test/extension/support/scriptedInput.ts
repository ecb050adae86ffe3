// A UserInput whose answers are a queue, so extension-host tests can drive commands that prompt.
// A prompt with no queued answer (or of another kind than the next answer) throws an error naming the prompt:
// the test fails at once instead of hanging on an invisible QuickPick.
import * as vscode from 'vscode';
import { UserCancelledError, type UserInput } from '../../../src/vscode/shared/userInput';

/** One scripted answer. For QuickPicks, `pick` selects the first item whose label (or data) it matches. */
export type ScriptedAnswer =
	| { kind: 'quickPick'; pick: string | RegExp | ((item: vscode.QuickPickItem) => boolean) }
	| { kind: 'inputBox'; value: string }
	| { kind: 'warning'; choose: string }
	| { kind: 'openDialog'; uris: vscode.Uri[] }
	| { kind: 'saveDialog'; uri: vscode.Uri }
	| { kind: 'cancel' };

/** What a prompt asked, kept for assertions on the wording and order of prompts. */
export interface AskedPrompt {
	kind: Exclude<ScriptedAnswer['kind'], 'cancel'>;
	/** The prompt's title, placeholder, prompt text or message: whatever names it best. */
	name: string;
	items?: string[];
}

export class ScriptedUserInput implements UserInput {
	private readonly answers: ScriptedAnswer[];
	readonly asked: AskedPrompt[] = [];

	constructor(answers: ScriptedAnswer[] = []) {
		this.answers = [...answers];
	}

	/** Queue more answers. */
	push(...answers: ScriptedAnswer[]): this {
		this.answers.push(...answers);
		return this;
	}

	/** Answers not used yet; a test usually asserts this is 0 at the end. */
	get remaining(): number {
		return this.answers.length;
	}

	/** Throws if answers are left over: the command asked fewer questions than the test expected. */
	assertAllUsed(): void {
		if (this.answers.length) {
			throw new Error(`ScriptedUserInput: ${this.answers.length} scripted answer(s) were not used: ${this.answers.map((a) => a.kind).join(', ')}. Prompts seen: ${this.asked.map((a) => `${a.kind} "${a.name}"`).join(', ') || 'none'}.`);
		}
	}

	private next(prompt: AskedPrompt): ScriptedAnswer {
		this.asked.push(prompt);
		const answer = this.answers.shift();
		if (!answer) {
			throw new Error(`ScriptedUserInput: unexpected ${prompt.kind} "${prompt.name}" with no scripted answer${prompt.items ? ` (items: ${prompt.items.join(' | ')})` : ''}. Queue an answer for it in the test.`);
		}
		if (answer.kind === 'cancel') throw new UserCancelledError(prompt.name);
		if (answer.kind !== prompt.kind) {
			throw new Error(`ScriptedUserInput: the command showed a ${prompt.kind} "${prompt.name}" but the next scripted answer is a ${answer.kind}. Fix the order of answers in the test.`);
		}
		return answer;
	}

	async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions & { step?: string }): Promise<T> {
		const list = await items;
		const answer = this.next({ kind: 'quickPick', name: options.step ?? options.title ?? options.placeHolder ?? '(untitled quick pick)', items: list.map((i) => i.label) });
		if (answer.kind !== 'quickPick') throw new Error('unreachable');
		const { pick } = answer;
		const matches = typeof pick === 'function' ? pick
			: typeof pick === 'string' ? (i: vscode.QuickPickItem) => i.label === pick
				: (i: vscode.QuickPickItem) => pick.test(i.label);
		const found = list.find(matches);
		if (!found) {
			throw new Error(`ScriptedUserInput: no item of quick pick "${options.step ?? options.title ?? options.placeHolder}" matches ${String(pick)}; items: ${list.map((i) => i.label).join(' | ') || '(none)'}.`);
		}
		return found;
	}

	async showInputBox(options: vscode.InputBoxOptions & { step?: string }): Promise<string> {
		const name = options.step ?? options.title ?? options.prompt ?? options.placeHolder ?? '(untitled input box)';
		const answer = this.next({ kind: 'inputBox', name });
		if (answer.kind !== 'inputBox') throw new Error('unreachable');
		// Run the command's own validation as VS Code would: an invalid scripted value is a test bug worth seeing.
		const problem = await options.validateInput?.(answer.value);
		const message = typeof problem === 'string' ? problem : problem?.message;
		if (message) throw new Error(`ScriptedUserInput: input box "${name}" rejected the scripted value: ${message}`);
		return answer.value;
	}

	async showWarningMessage(message: string, _options: vscode.MessageOptions, ...items: string[]): Promise<string> {
		const answer = this.next({ kind: 'warning', name: message, items });
		if (answer.kind !== 'warning') throw new Error('unreachable');
		if (!items.includes(answer.choose)) {
			throw new Error(`ScriptedUserInput: warning "${message}" offers ${items.join(' | ') || 'no buttons'}, not "${answer.choose}".`);
		}
		return answer.choose;
	}

	async showOpenDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[]> {
		const answer = this.next({ kind: 'openDialog', name: options.title ?? options.openLabel ?? '(open dialog)' });
		if (answer.kind !== 'openDialog') throw new Error('unreachable');
		return answer.uris;
	}

	async showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri> {
		const answer = this.next({ kind: 'saveDialog', name: options.title ?? options.saveLabel ?? '(save dialog)' });
		if (answer.kind !== 'saveDialog') throw new Error('unreachable');
		return answer.uri;
	}
}
