import * as vscode from 'vscode';
import { DOCTOR_CHECKS, type CheckResult, type CheckState, type DoctorCheckId, type DoctorReport } from '../../core/doctor/doctorModel';
import { Emitter } from '../../core/event';
import { Disposable } from '../../core/lifecycle';

type RowState = CheckState | 'running' | 'notRun';

interface Row {
	readonly id: DoctorCheckId;
	readonly title: string;
	readonly state: RowState;
	readonly result?: CheckResult;
}

type Node = { kind: 'check'; row: Row } | { kind: 'line'; id: DoctorCheckId; label: string; what: 'detail' | 'fix' | 'docs'; docs?: string };

const ICONS: Readonly<Record<RowState, vscode.ThemeIcon>> = {
	pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
	fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
	cannotCheck: new vscode.ThemeIcon('question', new vscode.ThemeColor('testing.iconSkipped')),
	running: new vscode.ThemeIcon('loading~spin'),
	notRun: new vscode.ThemeIcon('circle-outline'),
};

const STATE_TEXT: Readonly<Record<RowState, string>> = { pass: 'passed', fail: 'failed', cannotCheck: 'cannot check', running: 'checking…', notRun: '' };

/** The doctor's rows: one per check, with its detail, fix and docs link as children. The model is the last report. */
export class DoctorTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
	private rows: Row[] = [];
	private readonly changed = this._register(new Emitter<Node | undefined>());
	readonly onDidChangeTreeData = this.changed.event;
	profileName: string | undefined;

	/** Every check waits; called when a run starts. */
	start(profileName: string): void {
		this.profileName = profileName;
		this.rows = DOCTOR_CHECKS.map((c) => ({ id: c.id, title: c.title, state: 'running' }));
		this.changed.fire(undefined);
	}

	update(result: CheckResult): void {
		this.rows = this.rows.map((r) => (r.id === result.id ? { id: r.id, title: result.title, state: result.state, result } : r));
		this.changed.fire(undefined);
	}

	finish(report: DoctorReport | undefined): void {
		if (report) for (const r of report.results) this.update(r);
		this.rows = this.rows.map((r) => (r.state === 'running' ? { ...r, state: 'notRun' } : r));
		this.changed.fire(undefined);
	}

	get hasResults(): boolean {
		return this.rows.length > 0;
	}

	getChildren(node?: Node): Node[] {
		if (!node) return this.rows.map((row) => ({ kind: 'check', row }));
		if (node.kind !== 'check' || !node.row.result) return [];
		const r = node.row.result;
		const lines: Node[] = [{ kind: 'line', id: r.id, label: r.detail, what: 'detail' }];
		if (r.fix) lines.push({ kind: 'line', id: r.id, label: r.fix, what: 'fix' });
		lines.push({ kind: 'line', id: r.id, label: r.docs, what: 'docs', docs: r.docs });
		return lines;
	}

	getTreeItem(node: Node): vscode.TreeItem {
		if (node.kind === 'check') {
			const { row } = node;
			const item = new vscode.TreeItem(row.title, row.result ? (row.state === 'pass' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded) : vscode.TreeItemCollapsibleState.None);
			item.id = `doctor:${row.id}`;
			item.iconPath = ICONS[row.state];
			item.description = row.result ? `${STATE_TEXT[row.state]} · ${row.result.detail}` : STATE_TEXT[row.state];
			item.contextValue = `doctorCheck:${row.state}`;
			if (row.result) {
				const md = new vscode.MarkdownString(`**${row.title}**: ${STATE_TEXT[row.state]}\n\n${row.result.detail}`);
				if (row.result.fix) md.appendMarkdown(`\n\n**${row.state === 'pass' ? 'Tip' : 'Fix'}:** ${row.result.fix}`);
				md.appendMarkdown(`\n\n[Docs](${row.result.docs})`);
				item.tooltip = md;
			}
			return item;
		}
		const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
		item.id = `doctor:${node.id}:${node.what}`;
		item.tooltip = node.label;
		if (node.what === 'fix') item.iconPath = new vscode.ThemeIcon('wrench');
		else if (node.what === 'docs' && node.docs) {
			item.iconPath = new vscode.ThemeIcon('link-external');
			item.label = 'Open the docs';
			item.description = node.docs;
			item.command = { command: 'vscode.open', title: 'Open the docs', arguments: [vscode.Uri.parse(node.docs)] };
		} else item.iconPath = new vscode.ThemeIcon('info');
		return item;
	}
}
