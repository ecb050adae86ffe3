import * as vscode from 'vscode';
import type { Scenario, ScenarioProblem } from '../../core/scenarios';
import { scenarioEngine } from './scenarioEngine';
import { Disposable } from '../../core/lifecycle';

/** Scenario files as the Test Explorer finds them: YAML files with a top-level `steps:` (as `graph-calls test` does). */
export const SCENARIO_GLOB = '**/*.{yaml,yml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out,.cache,.venv,__pycache__}/**';

/** What a scenario file parsed to: its scenario, or the problems that keep it from running. */
export interface ParsedScenarioFile {
	readonly uri: vscode.Uri;
	readonly scenario?: Scenario;
	readonly problems: readonly ScenarioProblem[];
}

export function parseScenarioText(uri: vscode.Uri, text: string): ParsedScenarioFile | undefined {
	// Cheap enough to ask of every YAML file; the parser is loaded only for the ones that are scenarios.
	if (!/^steps\s*:/m.test(text)) return undefined;
	const { scenario, problems } = scenarioEngine().parseScenario(text, uri.fsPath);
	return { uri, scenario, problems };
}

function lineRange(line: number): vscode.Range {
	return new vscode.Range(Math.max(0, line - 1), 0, Math.max(0, line - 1), 0);
}

/**
 * The test items of the scenario files: one item per file (the scenario), one child per step with the step's line,
 * so each step's result lands in the YAML's gutter. Items follow the files: discovered when the Testing view asks,
 * kept current by a file watcher and by the editor's text as it changes.
 */
export class ScenarioTestItems extends Disposable {
	private discovered?: Promise<void>;

	constructor(readonly controller: vscode.TestController) {
		super();
		controller.resolveHandler = async (item) => {
			if (!item) await this.discoverAll();
		};
		const watcher = this._register(vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB));
		this._register(watcher.onDidCreate((uri) => void this.refreshFromDisk(uri)));
		this._register(watcher.onDidChange((uri) => void this.refreshFromDisk(uri)));
		this._register(watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())));
	}

	/** Every scenario file in the workspace: done once, when the Testing view (or a run) first needs the items. */
	discoverAll(): Promise<void> {
		this.discovered ??= (async () => {
			const files = await vscode.workspace.findFiles(SCENARIO_GLOB, EXCLUDE_GLOB);
			await Promise.all(files.map((uri) => this.refreshFromDisk(uri)));
		})();
		return this.discovered;
	}

	private async refreshFromDisk(uri: vscode.Uri): Promise<void> {
		if (/[/\\](node_modules|\.git)[/\\]/.test(uri.path)) return;
		// An open document is the truth while it is edited; the disk catches up on save.
		const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
		if (open?.isDirty) return;
		let text: string;
		try {
			text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
		} catch {
			this.controller.items.delete(uri.toString());
			return;
		}
		this.update(uri, parseScenarioText(uri, text));
	}

	/** Puts a file's items in line with its latest text; `undefined` (not a scenario any more) removes them. */
	update(uri: vscode.Uri, parsed: ParsedScenarioFile | undefined): vscode.TestItem | undefined {
		const id = uri.toString();
		if (!parsed) {
			this.controller.items.delete(id);
			return undefined;
		}
		let item = this.controller.items.get(id);
		const label = parsed.scenario?.name ?? vscode.workspace.asRelativePath(uri, false);
		if (!item) {
			item = this.controller.createTestItem(id, label, uri);
			this.controller.items.add(item);
		}
		item.label = label;
		item.description = vscode.workspace.asRelativePath(uri, false);
		item.range = lineRange(1);
		if (!parsed.scenario) {
			item.error = new vscode.MarkdownString(parsed.problems.map((p) => `- ${scenarioEngine().formatProblem({ ...p, file: vscode.workspace.asRelativePath(uri, false) })}`).join('\n'));
			item.children.replace([]);
			return item;
		}
		item.error = undefined;
		item.children.replace(parsed.scenario.steps.map((step) => {
			const child = this.controller.createTestItem(`${id}#${step.index}`, step.title, uri);
			child.range = lineRange(step.line);
			child.sortText = String(step.index).padStart(4, '0');
			return child;
		}));
		return item;
	}

	/** The scenario items a run request names: every file when it names none; a step stands for its scenario. */
	async itemsFor(request: vscode.TestRunRequest): Promise<vscode.TestItem[]> {
		if (!request.include) {
			await this.discoverAll();
			const all: vscode.TestItem[] = [];
			this.controller.items.forEach((i) => all.push(i));
			return all.filter((i) => !request.exclude?.includes(i));
		}
		const roots = request.include.map((i) => i.parent ?? i);
		return [...new Set(roots)].filter((i) => !request.exclude?.includes(i));
	}
}
