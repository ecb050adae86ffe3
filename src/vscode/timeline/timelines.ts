import * as vscode from 'vscode';
import type { TimelineSource } from '../../core/timeline/timelineSource';
import { TimelinePanel, type TimelineExportFormat, type TimelinePanelDeps } from './timelinePanel';

/**
 * The open timelines: one panel per source key (a call, a scenario run, a file), the one focused last, and the
 * export commands' target. Other features open a timeline with `open(source)` (see TimelineSource,
 * src/core/timeline/timelineSource.ts): the emulator's live feed, a scenario run, the relay.
 */
export class Timelines implements vscode.Disposable {
	private readonly open_ = new Map<string, TimelinePanel>();
	private lastActive: TimelinePanel | undefined;

	constructor(private readonly deps: TimelinePanelDeps) {}

	/**
	 * Opens a timeline for a source, or reveals the one already open for the same title and call. Resolves with
	 * the panel; `onDidDispose` tells when the user closed it (dispose a source made just for it then).
	 */
	open(source: TimelineSource): TimelinePanel {
		const key = `${source.title}\u0000${source.callId ?? ''}`;
		const existing = this.open_.get(key);
		if (existing) {
			existing.reveal();
			return existing;
		}
		const panel = new TimelinePanel(source, this.deps);
		this.open_.set(key, panel);
		this.lastActive = panel;
		panel.panel.onDidChangeViewState((e) => {
			if (e.webviewPanel.active) this.lastActive = panel;
		});
		panel.onDidDispose(() => {
			this.open_.delete(key);
			if (this.lastActive === panel) this.lastActive = [...this.open_.values()].pop();
		});
		return panel;
	}

	/** The timeline focused last, for the export commands. */
	get active(): TimelinePanel | undefined {
		return this.lastActive;
	}

	get count(): number {
		return this.open_.size;
	}

	async exportActive(format: TimelineExportFormat): Promise<vscode.Uri> {
		const panel = this.lastActive;
		if (!panel) throw new Error('No timeline is open. Open one from a HAR file or from a call in the Calls view first.');
		return panel.export(format);
	}

	dispose(): void {
		for (const p of [...this.open_.values()]) p.dispose();
		this.open_.clear();
	}
}
