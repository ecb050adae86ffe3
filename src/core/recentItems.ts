/**
 * The newest `limit` items of a stream (request events, deliveries), oldest first. Trimmed in batches of a tenth of
 * the limit: splicing one item off the front of a 2,000-item array on every push cost more than the Graph client's
 * own work per request (see docs/performance.md).
 */
export class RecentItems<T> {
	private items: T[] = [];

	constructor(readonly limit: number) {}

	push(item: T): void {
		this.items.push(item);
		if (this.items.length > this.limit + Math.max(1, Math.floor(this.limit / 10))) this.items.splice(0, this.items.length - this.limit);
	}

	/** At most `limit` items, oldest first: a copy the caller may keep. */
	list(): T[] {
		return this.items.slice(-this.limit);
	}

	get size(): number {
		return Math.min(this.items.length, this.limit);
	}
}
