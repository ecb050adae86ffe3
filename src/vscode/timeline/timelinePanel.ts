import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { IDisposable } from '../../core/lifecycle';
import { lintTraffic } from '../../core/traffic/lint';
import type { HarEntry } from '../../core/traffic/har';
import { buildTrafficLog, type PersonAction } from '../../core/traffic/trafficRecord';
import { eventDetails } from '../../core/timeline/timelineDetails';
import { timelineToHar } from '../../core/timeline/timelineHar';
import { toMermaid } from '../../core/timeline/timelineMermaid';
import { snapshot, TimelineBuilder, type TimelineEvent, type TimelineLane } from '../../core/timeline/timelineModel';
import type { TimelineSource } from '../../core/timeline/timelineSource';
import { toSvg } from '../../core/timeline/timelineSvg';
import { initMessage, wireEvent, type FromTimelineView, type ToTimelineView } from '../../core/timeline/timelineWire';
import type { UserInput } from '../shared/userInput';
import { timelineHtml } from './timelineHtml';

export const TIMELINE_VIEW_TYPE = 'graphCalls.timeline';

export type TimelineExportFormat = 'har' | 'mermaid' | 'svg';

export interface TimelinePanelDeps {
	readonly extensionUri: vscode.Uri;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
	readonly extensionVersion: string;
}

/** Appends are sent to the page at most this often, so a burst of notifications is one redraw. */
const APPEND_BATCH_MS = 50;
/** Lint runs over the whole record again after appends settle. */
const RELINT_MS = 400;

const EXTENSIONS: Readonly<Record<TimelineExportFormat, { ext: string; filter: string }>> = {
	har: { ext: 'har', filter: 'HTTP Archive' },
	mermaid: { ext: 'mmd', filter: 'Mermaid' },
	svg: { ext: 'svg', filter: 'SVG image' },
};

/**
 * One timeline webview: a source's record (entries in the order the source gave them, so lint's entry indexes
 * match), the incremental model built from it, and the page that draws it. The page gets an `init` message and
 * then batched `append` and `findings` messages; it asks for an event's details when the user opens one.
 */
export class TimelinePanel implements vscode.Disposable {
	readonly panel: vscode.WebviewPanel;
	private readonly entries: HarEntry[];
	private readonly actions: PersonAction[];
	private readonly builder: TimelineBuilder;
	private readonly subscriptions: IDisposable[] = [];
	private pending: TimelineEvent[] = [];
	private pendingLanes: readonly TimelineLane[] | undefined;
	private appendTimer: NodeJS.Timeout | undefined;
	private lintTimer: NodeJS.Timeout | undefined;
	private ready = false;
	private disposed = false;
	private readonly _onDidDispose = new vscode.EventEmitter<void>();
	readonly onDidDispose = this._onDidDispose.event;

	constructor(readonly source: TimelineSource, private readonly deps: TimelinePanelDeps) {
		this.entries = [...source.entries];
		this.actions = [...(source.actions ?? [])];
		this.builder = new TimelineBuilder({ callId: source.callId, graphName: source.graphName });
		this.builder.addEntries(this.entries, 0);
		this.builder.addActions(this.actions);
		this.lint();
		const media = vscode.Uri.joinPath(deps.extensionUri, 'media', 'timeline');
		this.panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, `Timeline: ${source.title}`, vscode.ViewColumn.Active, {
			enableScripts: true,
			retainContextWhenHidden: false,
			localResourceRoots: [media],
		});
		this.panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'graph-calls.svg');
		const webview = this.panel.webview;
		webview.html = timelineHtml({
			cspSource: webview.cspSource,
			nonce: randomBytes(16).toString('base64'),
			scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.js')).toString(),
			styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css')).toString(),
		});
		this.subscriptions.push(webview.onDidReceiveMessage((m: FromTimelineView) => void this.onMessage(m)));
		this.subscriptions.push(this.panel.onDidDispose(() => this.dispose()));
		if (source.onDidAppend) {
			this.subscriptions.push(source.onDidAppend((a) => this.append(a.entries ?? [], a.actions ?? [])));
		}
	}

	get title(): string {
		return this.source.title;
	}

	get eventCount(): number {
		return this.builder.events.length;
	}

	private append(entries: readonly HarEntry[], actions: readonly PersonAction[]): void {
		if (this.disposed) return;
		const first = this.entries.length;
		this.entries.push(...entries);
		this.actions.push(...actions);
		for (const d of [this.builder.addEntries(entries, first), this.builder.addActions(actions)]) {
			this.pending.push(...d.events);
			if (d.lanes) this.pendingLanes = d.lanes;
		}
		this.appendTimer ??= setTimeout(() => this.flush(), APPEND_BATCH_MS);
		if (this.lintTimer) clearTimeout(this.lintTimer);
		this.lintTimer = setTimeout(() => {
			this.lintTimer = undefined;
			const changed = this.lint();
			if (changed.length && this.ready) this.post({ type: 'findings', updates: changed.map((e) => ({ id: e.id, findings: e.findings })) });
		}, RELINT_MS);
	}

	private flush(): void {
		this.appendTimer = undefined;
		if (!this.ready || (!this.pending.length && !this.pendingLanes)) return;
		const events = this.pending.splice(0).sort((a, b) => a.t - b.t || a.id - b.id).map(wireEvent);
		this.post({ type: 'append', events, ...(this.pendingLanes ? { lanes: this.pendingLanes } : {}) });
		this.pendingLanes = undefined;
	}

	private lint(): TimelineEvent[] {
		try {
			return this.builder.attachFindings(lintTraffic(buildTrafficLog(this.entries, { creatorVersion: this.deps.extensionVersion, actions: this.actions, roles: this.source.roles })));
		} catch (err) {
			// A lint rule failing on an odd record must not take the timeline down.
			this.deps.log.warn(`Timeline: lint failed: ${err instanceof Error ? err.message : String(err)}`);
			return [];
		}
	}

	private post(m: ToTimelineView): void {
		void this.panel.webview.postMessage(m);
	}

	private async onMessage(m: FromTimelineView): Promise<void> {
		try {
			switch (m?.type) {
				case 'ready':
					this.ready = true;
					// Everything so far goes in the init message; appends queued before the page was ready are in it.
					this.pending = [];
					this.pendingLanes = undefined;
					this.post(initMessage(this.builder, this.source.title, !!this.source.onDidAppend));
					break;
				case 'details': {
					const event = this.builder.events.find((e) => e.id === Number(m.id));
					if (event) this.post({ type: 'details', details: eventDetails(event, this.entries, this.builder.start) });
					break;
				}
				case 'export':
					if (m.format === 'har' || m.format === 'mermaid' || m.format === 'svg') await this.export(m.format);
					break;
			}
		} catch (err) {
			if (err instanceof Error && err.name === 'UserCancelledError') return;
			const message = err instanceof Error ? err.message : String(err);
			this.deps.log.error(`Timeline: ${m?.type} failed: ${message}`);
			void vscode.window.showErrorMessage(`Timeline: ${message}`, 'Show Log').then((c) => c && this.deps.log.show(true));
		}
	}

	/** The timeline as HAR, Mermaid or SVG text. */
	exportText(format: TimelineExportFormat): string {
		const t = snapshot(this.builder);
		if (format === 'mermaid') return toMermaid(t, { title: this.source.title });
		if (format === 'svg') return toSvg(t, { title: this.source.title });
		return JSON.stringify(timelineToHar(t, { entries: this.entries, actions: this.actions, roles: this.source.roles }, this.deps.extensionVersion), null, 2);
	}

	/** Asks where to save and writes the export there. */
	async export(format: TimelineExportFormat): Promise<vscode.Uri> {
		const { ext, filter } = EXTENSIONS[format];
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
		const name = `timeline-${this.source.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'call'}.${ext}`;
		const target = await this.deps.input().showSaveDialog({
			title: `Export the timeline as ${filter}`,
			filters: { [filter]: [ext] },
			defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
		});
		await vscode.workspace.fs.writeFile(target, Buffer.from(this.exportText(format), 'utf8'));
		this.deps.log.info(`Timeline "${this.source.title}": exported ${this.builder.events.length} events as ${filter} to ${target.fsPath}.`);
		return target;
	}

	reveal(): void {
		this.panel.reveal();
	}

	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		if (this.appendTimer) clearTimeout(this.appendTimer);
		if (this.lintTimer) clearTimeout(this.lintTimer);
		for (const s of this.subscriptions.splice(0)) s.dispose();
		this.panel.dispose();
		this._onDidDispose.fire();
		this._onDidDispose.dispose();
	}
}
