import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { parseHttpDocument, type RequestDiagnostic } from '../../core/requests/httpDocument';
import { unknownVariableDiagnostics, type VariableValues } from '../../core/requests/variables';
import { isRequestDocument } from './requestLanguage';

/** Problems in `.http` documents (syntax, JSON bodies, variables without a value), updated as the user types. */
export class RequestDiagnostics extends Disposable {
	private readonly collection = this._register(vscode.languages.createDiagnosticCollection('graphCalls.requests'));
	private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

	constructor(private readonly values: () => VariableValues) {
		super();
		this._register(vscode.workspace.onDidOpenTextDocument((d) => this.update(d)));
		this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
		this._register(vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)));
		this._register({ dispose: () => this.pending.forEach((t) => clearTimeout(t)) });
		this.refreshAll();
	}

	/** Re-checks every open request document: after the profile or the selection changed the variables. */
	refreshAll(): void {
		for (const d of vscode.workspace.textDocuments) this.update(d);
	}

	get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
		return this.collection.get(uri) ?? [];
	}

	private schedule(doc: vscode.TextDocument): void {
		const key = doc.uri.toString();
		clearTimeout(this.pending.get(key));
		this.pending.set(key, setTimeout(() => {
			this.pending.delete(key);
			this.update(doc);
		}, 200));
	}

	update(doc: vscode.TextDocument): void {
		if (!isRequestDocument(doc) || doc.uri.scheme === 'graphcalls-response') return;
		const text = doc.getText();
		const parsed = parseHttpDocument(text);
		const all = [...parsed.diagnostics, ...unknownVariableDiagnostics(text, parsed, this.values())];
		this.collection.set(doc.uri, all.map((d) => toVsDiagnostic(doc, d)));
	}
}

function toVsDiagnostic(doc: vscode.TextDocument, d: RequestDiagnostic): vscode.Diagnostic {
	const line = Math.min(d.line, Math.max(0, doc.lineCount - 1));
	const range = new vscode.Range(line, d.column, line, Math.max(d.endColumn, d.column + 1));
	const diag = new vscode.Diagnostic(range, d.message.replace(/^Line \d+: /, ''), d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
	diag.source = 'Graph Calls';
	return diag;
}
