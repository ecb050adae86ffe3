import * as vscode from 'vscode';
import type { Event } from '../../core/event';
import type { GraphRequestEvent } from '../../core/graph/graphClient';
import { Disposable } from '../../core/lifecycle';
import { RecentItems } from '../../core/recentItems';
import { formatRequestDetails, formatRequestLine } from '../../core/graph/requestLogFormat';

/** How many exchanges the session keeps for the HAR export; older ones are dropped first. */
const MAX_ENTRIES = 2000;

/**
 * Writes every Graph exchange to the "Graph Calls" LogOutputChannel: one info line per request (warn for failures),
 * and the redacted headers and pretty bodies at debug level or below. Keeps the session's exchanges for HAR export.
 */
export class RequestLog extends Disposable {
	private readonly entries = new RecentItems<GraphRequestEvent>(MAX_ENTRIES);

	constructor(private readonly log: vscode.LogOutputChannel, onDidRequest: Event<GraphRequestEvent>) {
		super();
		this._register(onDidRequest((e) => this.write(e)));
	}

	/** The session's exchanges, oldest first. */
	get requests(): readonly GraphRequestEvent[] {
		return this.entries.list();
	}

	private write(e: GraphRequestEvent): void {
		this.entries.push(e);
		const line = formatRequestLine(e);
		if (e.status === undefined || e.status >= 400) this.log.warn(line);
		else this.log.info(line);
		// Formatting bodies costs time: only do it when someone will see it.
		if (this.log.logLevel !== vscode.LogLevel.Off && this.log.logLevel <= vscode.LogLevel.Debug) {
			this.log.debug(formatRequestDetails(e));
		}
	}
}
