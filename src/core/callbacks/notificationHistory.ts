import { Emitter, type Event } from '../event';
import { Disposable } from '../lifecycle';
import { callIdsOf, recordToJson, type NotificationRecord } from './notificationRecord';

export type HistoryChange = { readonly kind: 'added' | 'updated'; readonly record: NotificationRecord } | { readonly kind: 'cleared' };

/**
 * The notifications the view shows, newest first. Bounded so a long session cannot grow without end;
 * `trimmed` counts what fell off the end (the CallStore and the relay had already seen those).
 */
export class NotificationHistory extends Disposable {
	private records: NotificationRecord[] = [];
	private byId = new Map<string, NotificationRecord>();
	private dropped = 0;
	private readonly _onDidChange = this._register(new Emitter<HistoryChange>());
	readonly onDidChange: Event<HistoryChange> = this._onDidChange.event;

	constructor(private readonly limit = 5000) {
		super();
	}

	add(record: NotificationRecord): void {
		this.records.push(record);
		this.byId.set(record.id, record);
		// Trim in batches: splicing the front of a long array on every add would be quadratic in a flood.
		if (this.records.length > this.limit + Math.max(1, Math.floor(this.limit / 10))) {
			const dropped = this.records.splice(0, this.records.length - this.limit);
			for (const r of dropped) this.byId.delete(r.id);
			this.dropped += dropped.length;
		}
		this._onDidChange.fire({ kind: 'added', record });
	}

	/** Announces that a record changed in place (relay or replay outcome). */
	updated(record: NotificationRecord): void {
		if (this.byId.has(record.id)) this._onDidChange.fire({ kind: 'updated', record });
	}

	get(id: string): NotificationRecord | undefined {
		return this.byId.get(id);
	}

	/** How many records fell off the end of the history. */
	get trimmed(): number {
		return this.dropped + Math.max(0, this.records.length - this.limit);
	}

	get size(): number {
		return Math.min(this.records.length, this.limit);
	}

	/** Newest first, optionally only those about one call. */
	list(filter?: { callId?: string }): NotificationRecord[] {
		const wanted = filter?.callId?.toLowerCase();
		const recent = this.records.length > this.limit ? this.records.slice(-this.limit) : this.records;
		const out = wanted ? recent.filter((r) => callIdsOf(r).some((id) => id.toLowerCase() === wanted)) : recent.slice();
		return out.reverse();
	}

	/** Every call id in the history, most recent first; ids differing only in case count once. */
	callIds(): string[] {
		const seen = new Map<string, string>();
		const start = Math.max(0, this.records.length - this.limit);
		for (let i = this.records.length - 1; i >= start; i--) {
			for (const id of callIdsOf(this.records[i])) if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id);
		}
		return [...seen.values()];
	}

	clear(): void {
		this.records = [];
		this.byId.clear();
		this.dropped = 0;
		this._onDidChange.fire({ kind: 'cleared' });
	}

	/** JSON for export: oldest first (the order things happened), tokens redacted. */
	toJson(filter?: { callId?: string }): string {
		return JSON.stringify(this.list(filter).reverse().map(recordToJson), null, 2);
	}
}
