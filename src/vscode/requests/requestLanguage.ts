import * as vscode from 'vscode';

/**
 * The `http` language id REST Client also uses: both extensions contribute it for `.http` and VS Code merges the
 * contributions, so documents keep REST Client's grammar when it is installed and our snippets and CodeLens either way.
 */
export const HTTP_LANGUAGE_ID = 'http';

export const REQUEST_SELECTOR: vscode.DocumentSelector = [{ language: HTTP_LANGUAGE_ID }, { pattern: '**/*.http' }];

export function isRequestDocument(doc: vscode.TextDocument): boolean {
	return doc.languageId === HTTP_LANGUAGE_ID || doc.uri.path.endsWith('.http');
}

/** A new untitled `.http` editor with this text. */
export async function openRequestEditor(content: string, column: vscode.ViewColumn = vscode.ViewColumn.Active): Promise<vscode.TextEditor> {
	const doc = await vscode.workspace.openTextDocument({ language: HTTP_LANGUAGE_ID, content });
	return vscode.window.showTextDocument(doc, { viewColumn: column, preview: false });
}
