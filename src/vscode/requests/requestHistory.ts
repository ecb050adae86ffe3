import type * as vscode from 'vscode';
import { Emitter, type Event } from '../../core/event';
import { Disposable } from '../../core/lifecycle';
import type { ResolvedRequest } from '../../core/requests/variables';

/** A request sent from a document, as sent (variables resolved, no Authorization header). */
export interface HistoryEntry {
	readonly id: string;
	readonly at: number;
	readonly request: ResolvedRequest;
	readonly status?: number;
	readonly durationMs?: number;
}

const KEY_PREFIX = 'graphCalls.requests.history.';
const MAX_ENTRIES = 50;

/** Requests sent from documents, newest first, kept per profile in globalState. */
export class RequestHistory extends Disposable {
	private readonly _onDidChange = this._register(new Emitter<string>());
	readonly onDidChange: Event<string> = this._onDidChange.event;

	constructor(private readonly memento: vscode.Memento) {
		super();
	}

	list(profileId: string): readonly HistoryEntry[] {
		const stored = this.memento.get<HistoryEntry[]>(KEY_PREFIX + profileId);
		return Array.isArray(stored) ? stored : [];
	}

	async add(profileId: string, entry: Omit<HistoryEntry, 'id' | 'at'>): Promise<HistoryEntry> {
		const full: HistoryEntry = { ...entry, id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, at: Date.now() };
		await this.memento.update(KEY_PREFIX + profileId, [full, ...this.list(profileId)].slice(0, MAX_ENTRIES));
		this._onDidChange.fire(profileId);
		return full;
	}

	async clear(profileId: string): Promise<void> {
		await this.memento.update(KEY_PREFIX + profileId, undefined);
		this._onDidChange.fire(profileId);
	}
}
