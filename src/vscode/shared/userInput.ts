import * as vscode from 'vscode';

/** Thrown when the user dismisses a prompt; the command wrapper ignores it silently. */
export class UserCancelledError extends Error {
	constructor(step?: string) {
		super(step ? `Cancelled at: ${step}` : 'Cancelled');
		this.name = 'UserCancelledError';
	}
}

export interface QuickPickItemWithData<T> extends vscode.QuickPickItem {
	data: T;
}

/**
 * Every prompt goes through this interface so tests can script the answers: an unexpected prompt fails
 * a test instead of hanging it (the pattern of vscode-azext-utils' IAzureUserInput).
 * Each method resolves with the answer or throws UserCancelledError.
 */
export interface UserInput {
	showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions & { step?: string }): Promise<T>;
	showInputBox(options: vscode.InputBoxOptions & { step?: string }): Promise<string>;
	/** A modal confirmation; resolves with the chosen item or throws UserCancelledError. */
	showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Promise<string>;
	showOpenDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[]>;
	showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri>;
}

export class VsCodeUserInput implements UserInput {
	async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions & { step?: string }): Promise<T> {
		const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options });
		if (picked === undefined) throw new UserCancelledError(options.step ?? options.title);
		return picked;
	}

	async showInputBox(options: vscode.InputBoxOptions & { step?: string }): Promise<string> {
		const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
		if (value === undefined) throw new UserCancelledError(options.step ?? options.title);
		return value;
	}

	async showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Promise<string> {
		const choice = await vscode.window.showWarningMessage(message, options, ...items);
		if (choice === undefined) throw new UserCancelledError(message);
		return choice;
	}

	async showOpenDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[]> {
		const uris = await vscode.window.showOpenDialog(options);
		if (!uris || uris.length === 0) throw new UserCancelledError(options.title);
		return uris;
	}

	async showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri> {
		const uri = await vscode.window.showSaveDialog(options);
		if (!uri) throw new UserCancelledError(options.title);
		return uri;
	}
}
