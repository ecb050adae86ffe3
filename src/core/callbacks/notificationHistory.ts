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
	trimmed = 0;
	private readonly _onDidChange = this._register(new Emitter<HistoryChange>());
	readonly onDidChange: Event<HistoryChange> = this._onDidChange.event;

	constructor(private readonly limit = 5000) {
		super();
	}

	add(record: NotificationRecord): void {
		this.records.push(record);
		this.byId.set(record.id, record);
		if (this.records.length > this.limit) {
			const dropped = this.records.splice(0, this.records.length - this.limit);
			for (const r of dropped) this.byId.delete(r.id);
			this.trimmed += dropped.length;
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

	get size(): number {
		return this.records.length;
	}

	/** Newest first, optionally only those about one call. */
	list(filter?: { callId?: string }): NotificationRecord[] {
		const wanted = filter?.callId?.toLowerCase();
		const out = wanted ? this.records.filter((r) => callIdsOf(r).some((id) => id.toLowerCase() === wanted)) : this.records.slice();
		return out.reverse();
	}

	/** Every call id seen, most recent first. */
	callIds(): string[] {
		const seen = new Set<string>();
		for (let i = this.records.length - 1; i >= 0; i--) for (const id of callIdsOf(this.records[i])) seen.add(id);
		return [...seen];
	}

	clear(): void {
		this.records = [];
		this.byId.clear();
		this.trimmed = 0;
		this._onDidChange.fire({ kind: 'cleared' });
	}

	/** JSON for export: oldest first (the order things happened), tokens redacted. */
	toJson(filter?: { callId?: string }): string {
		return JSON.stringify(this.list(filter).reverse().map(recordToJson), null, 2);
	}
}
