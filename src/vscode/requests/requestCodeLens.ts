import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { parseHttpDocument } from '../../core/requests/httpDocument';

/** "Send with <profile>" and "Copy as code" above every request of a `.http` document. */
export class RequestCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	readonly onDidChangeCodeLenses = this._onDidChange.event;

	constructor(private readonly profileName: () => string | undefined) {
		super();
	}

	/** The active profile changed: the lens titles name it. */
	refresh(): void {
		this._onDidChange.fire();
	}

	provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
		if (document.uri.scheme === 'graphcalls-response') return [];
		const name = this.profileName();
		const lenses: vscode.CodeLens[] = [];
		for (const r of parseHttpDocument(document.getText()).requests) {
			const range = new vscode.Range(r.requestLine, 0, r.requestLine, 0);
			lenses.push(new vscode.CodeLens(range, {
				title: name ? `$(play) Send with ${name}` : '$(play) Send (no profile yet)',
				tooltip: name ? `Send this request with profile "${name}"` : 'Choose the local emulator or add a tenant profile first',
				command: 'graphCalls.request.send',
				arguments: [document.uri, r.requestLine],
			}));
			lenses.push(new vscode.CodeLens(range, { title: 'Copy as code', command: 'graphCalls.request.copyAsCode', arguments: [document.uri, r.requestLine] }));
		}
		return lenses;
	}
}
