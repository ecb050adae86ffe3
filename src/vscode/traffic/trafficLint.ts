import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { lintTraffic, type Finding } from '../../core/traffic/lint';
import { callKey } from '../../core/traffic/lintModel';
import { Emitter } from '../../core/event';
import { harEntryOffsets } from '../../core/traffic/harPositions';
import { parseHar } from '../../core/traffic/harReader';
import { buildTrafficLog } from '../../core/traffic/trafficRecord';
import type { Commands } from '../shared/commands';
import type { EmulatorWatch } from '../emulator/emulatorWatch';
import type { CallLintInfo } from '../calls/callsTreeNodes';

/** The read-only document that shows the live emulator traffic (redacted) and carries its lint findings. */
export const LIVE_TRAFFIC_URI = vscode.Uri.parse('graph-calls-traffic:/Emulator%20Traffic.har');
/** Live traffic is linted this long after the last event, not on every one. */
const LIVE_LINT_DEBOUNCE_MS = 750;

const SEVERITY: Readonly<Record<Finding['severity'], vscode.DiagnosticSeverity>> = {
	error: vscode.DiagnosticSeverity.Error,
	warning: vscode.DiagnosticSeverity.Warning,
	info: vscode.DiagnosticSeverity.Information,
};

function diagnostics(doc: { positionAt(offset: number): vscode.Position }, text: string, findings: readonly Finding[]): vscode.Diagnostic[] {
	const offsets = harEntryOffsets(text);
	return findings.map((f) => {
		const start = doc.positionAt(offsets[f.entry] ?? 0);
		const d = new vscode.Diagnostic(new vscode.Range(start, start.translate(0, 1)), f.message, SEVERITY[f.severity]);
		d.source = 'Graph Calls lint';
		d.code = { value: f.rule, target: vscode.Uri.parse(f.docs) };
		return d;
	});
}

/** Offsets to positions in a text that is not open in an editor. */
function positionsOf(text: string): { positionAt(offset: number): vscode.Position } {
	const lineStarts = [0];
	for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
	return {
		positionAt: (offset) => {
			let lo = 0;
			let hi = lineStarts.length - 1;
			while (lo < hi) {
				const mid = (lo + hi + 1) >> 1;
				if (lineStarts[mid] <= offset) lo = mid;
				else hi = mid - 1;
			}
			return new vscode.Position(lo, offset - lineStarts[lo]);
		},
	};
}

/**
 * Lint findings in the Problems panel: for a HAR file (on each finding's entry in the file) and for the live
 * emulator traffic (on the read-only `graph-calls-traffic:` document that shows it). Each diagnostic's code is the
 * rule id, linked to its docs.
 */
export class TrafficLint extends Disposable implements vscode.TextDocumentContentProvider {
	readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('graphCalls.lint'));
	private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
	readonly onDidChange = this._onDidChange.event;
	private readonly _onDidLintLive = this._register(new Emitter<void>());
	/** The live traffic's findings per call, for the Calls view's rows. */
	readonly calls: CallLintInfo = { forCall: (callId) => this.liveForCall(callId).map((l) => l.finding), onDidChange: this._onDidLintLive.event };
	private liveText = '';
	private live: { finding: Finding; diagnostic: vscode.Diagnostic }[] = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly watch: EmulatorWatch, private readonly version: string) {
		super();
		this._register(vscode.workspace.registerTextDocumentContentProvider(LIVE_TRAFFIC_URI.scheme, this));
		this._register(watch.onDidChangeTraffic(() => this.scheduleLive()));
		this._register({ dispose: () => clearTimeout(this.timer) });
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		if (uri.toString() !== LIVE_TRAFFIC_URI.toString()) return '';
		if (!this.liveText) this.lintLive();
		return this.liveText;
	}

	private scheduleLive(): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.lintLive(), LIVE_LINT_DEBOUNCE_MS);
	}

	/** Lints what the emulator's feed has shown so far; returns the findings. */
	lintLive(): Finding[] {
		const log = buildTrafficLog(this.watch.traffic, { creatorVersion: this.version });
		this.liveText = JSON.stringify(log, null, 2);
		const findings = lintTraffic(log);
		const diags = diagnostics(positionsOf(this.liveText), this.liveText, findings);
		this.live = findings.map((finding, i) => ({ finding, diagnostic: diags[i] }));
		this.diagnostics.set(LIVE_TRAFFIC_URI, diags);
		this._onDidChange.fire(LIVE_TRAFFIC_URI);
		this._onDidLintLive.fire();
		return findings;
	}

	private liveForCall(callId: string): { finding: Finding; diagnostic: vscode.Diagnostic }[] {
		const key = callKey(callId);
		const order = { error: 0, warning: 1, info: 2 };
		return this.live.filter((l) => l.finding.callId === key).sort((a, b) => order[a.finding.severity] - order[b.finding.severity] || a.finding.entry - b.finding.entry);
	}

	/** Opens the live traffic on the call's most severe finding; returns the call's findings (none: nothing opens). */
	async revealCall(callId: string): Promise<Finding[]> {
		const found = this.liveForCall(callId);
		if (!found.length) return [];
		const doc = await vscode.workspace.openTextDocument(LIVE_TRAFFIC_URI);
		await vscode.languages.setTextDocumentLanguage(doc, 'json');
		await vscode.window.showTextDocument(doc, { preview: false, selection: found[0].diagnostic.range });
		return found.map((f) => f.finding);
	}

	/** Lints a HAR file; its findings replace the file's earlier ones. Throws HarFormatError for a file that is not HAR. */
	async lintFile(uri: vscode.Uri): Promise<Finding[]> {
		const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
		const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
		const findings = lintTraffic(parseHar(text));
		this.diagnostics.set(uri, diagnostics(open ?? positionsOf(text), text, findings));
		return findings;
	}
}

function summary(findings: readonly Finding[]): string {
	if (!findings.length) return 'no findings';
	const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
	return `${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes (see the Problems panel)`;
}

/** "Lint Traffic (HAR)…", "Show Live Emulator Traffic" and a call row's "Show Lint Findings". */
export function registerTrafficLint(lint: TrafficLint, commands: Commands): vscode.Disposable[] {
	return [
		commands.register('graphCalls.traffic.lint', async (arg?: vscode.Uri) => {
			let uri = arg instanceof vscode.Uri ? arg : undefined;
			const active = vscode.window.activeTextEditor?.document.uri;
			if (!uri && active && /\.har$/i.test(active.path)) uri = active;
			if (!uri) {
				const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Lint', filters: { 'HAR files': ['har'], 'All files': ['*'] } });
				uri = picked?.[0];
			}
			if (!uri) return undefined;
			const findings = await lint.lintFile(uri);
			void commands.report(`Lint of ${vscode.workspace.asRelativePath(uri)}: ${summary(findings)}.`);
			return findings;
		}),
		commands.register('graphCalls.call.showLintFindings', async (node?: { callId?: unknown }) => {
			const callId = typeof node?.callId === 'string' ? node.callId : undefined;
			if (!callId) throw new Error('Choose a call in the Calls view: its lint findings come from the emulator\'s live traffic.');
			const findings = await lint.revealCall(callId);
			if (!findings.length) void commands.report('The live traffic has no lint findings for this call (any more).');
			return findings;
		}),
		commands.register('graphCalls.traffic.showLive', async () => {
			const findings = lint.lintLive();
			const doc = await vscode.workspace.openTextDocument(LIVE_TRAFFIC_URI);
			await vscode.languages.setTextDocumentLanguage(doc, 'json');
			await vscode.window.showTextDocument(doc, { preview: false });
			return findings;
		}),
	];
}
