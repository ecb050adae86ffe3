import * as vscode from 'vscode';
import type { ScenarioProblem } from '../../core/scenarios';
import { Disposable } from '../../core/lifecycle';
import { scenarioEngine } from './scenarioEngine';
import { parseScenarioText, type ParsedScenarioFile } from './scenarioTestItems';

/** Pause in typing before a scenario is checked again. */
const RECHECK_DELAY_MS = 250;

function isYaml(doc: vscode.TextDocument): boolean {
	return doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.path);
}

/** The problems of a scenario as diagnostics, each underlining the token its line and column point at. */
export function scenarioDiagnostics(text: string, problems: readonly ScenarioProblem[]): vscode.Diagnostic[] {
	return problems.map((p) => {
		const span = scenarioEngine().problemSpan(text, p);
		const d = new vscode.Diagnostic(new vscode.Range(span.startLine, span.startColumn, span.endLine, span.endColumn), p.message, vscode.DiagnosticSeverity.Error);
		d.source = 'Graph Calls scenario';
		return d;
	});
}

/**
 * Checks scenario files as they are typed, with the same parser and schema the runner uses, so problems show in
 * the editor and the Problems panel without any YAML extension. Each check also refreshes the file's test items,
 * so their steps keep their lines while the file is edited.
 */
export class ScenarioDiagnostics extends Disposable {
	private readonly collection = this._register(vscode.languages.createDiagnosticCollection('graphCalls.scenarios'));
	private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

	constructor(private readonly onParsed: (uri: vscode.Uri, parsed: ParsedScenarioFile | undefined) => void) {
		super();
		this._register(vscode.workspace.onDidOpenTextDocument((d) => this.check(d)));
		this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
		this._register(vscode.workspace.onDidCloseTextDocument((d) => {
			// The file's problems stay for a file on disk (like a compiler's); an untitled document takes them with it.
			if (d.isUntitled) this.collection.delete(d.uri);
		}));
		this._register({ dispose: () => this.pending.forEach((t) => clearTimeout(t)) });
		// Documents already open are checked a moment later, not during activation.
		for (const d of vscode.workspace.textDocuments) this.schedule(d);
	}

	private schedule(doc: vscode.TextDocument): void {
		if (!isYaml(doc)) return;
		const key = doc.uri.toString();
		clearTimeout(this.pending.get(key));
		this.pending.set(key, setTimeout(() => {
			this.pending.delete(key);
			this.check(doc);
		}, RECHECK_DELAY_MS));
	}

	private check(doc: vscode.TextDocument): void {
		if (!isYaml(doc) || doc.isClosed) return;
		const text = doc.getText();
		const parsed = parseScenarioText(doc.uri, text);
		if (!parsed) {
			this.collection.delete(doc.uri);
		} else {
			this.collection.set(doc.uri, scenarioDiagnostics(text, parsed.problems));
		}
		if (doc.uri.scheme === 'file') this.onParsed(doc.uri, parsed);
	}
}
