/**
 * The workbench's own traffic for one call, as a timeline source: the Graph requests its client sent (the request
 * log) and the notifications its callback receiver took in, live. A notification's answer is the bot's when the
 * receiver relayed it to the developer's bot (the relay's status and time), else the receiver's own.
 */
import type { Event } from '../event';
import { Disposable } from '../lifecycle';
import type { NotificationRecord } from '../callbacks/notificationRecord';
import type { GraphRequestEvent } from '../graph/requestEvent';
import type { HarEntry } from '../traffic/har';
import { notificationEntry, requestEntry } from '../traffic/trafficRecord';
import { entryFacts, normalCallId } from './entryFacts';
import type { TimelineAppend, TimelineSource } from './timelineSource';
import { Emitter } from '../event';

export function notificationRecordEntry(r: NotificationRecord, receiverUrl: string | undefined): HarEntry {
	const base = (receiverUrl ?? 'http://localhost').replace(/\/+$/, '');
	return notificationEntry({
		url: /^https?:/i.test(r.path) ? r.path : `${base}${r.path.startsWith('/') ? '' : '/'}${r.path}`,
		startedDateTime: r.receivedAt,
		durationMs: r.relay?.durationMs ?? 0,
		headers: r.headers,
		body: r.body,
		status: r.relay ? r.relay.status : r.responseStatus,
		error: r.relay?.error,
	});
}

export interface SessionTraffic {
	readonly requests: () => readonly GraphRequestEvent[];
	readonly notifications: () => readonly NotificationRecord[];
	readonly onDidRequest: Event<GraphRequestEvent>;
	readonly onDidNotify: Event<NotificationRecord>;
	readonly receiverUrl: () => string | undefined;
}

function isAbout(entry: HarEntry, key: string): boolean {
	return entryFacts(entry).callIds.includes(key);
}

/** A live source for one call; dispose it when the timeline closes. */
export class CallTrafficSource extends Disposable implements TimelineSource {
	readonly entries: readonly HarEntry[];
	private readonly appended = this._register(new Emitter<TimelineAppend>());
	readonly onDidAppend = this.appended.event;
	private readonly key: string;

	constructor(readonly callId: string, readonly title: string, traffic: SessionTraffic) {
		super();
		this.key = normalCallId(callId);
		const entries = [...traffic.requests().map(requestEntry), ...traffic.notifications().map((n) => notificationRecordEntry(n, traffic.receiverUrl()))];
		entries.sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
		this.entries = entries.filter((e) => isAbout(e, this.key));
		this._register(traffic.onDidRequest((e) => this.offer(requestEntry(e))));
		this._register(traffic.onDidNotify((n) => this.offer(notificationRecordEntry(n, traffic.receiverUrl()))));
	}

	private offer(entry: HarEntry): void {
		if (isAbout(entry, this.key)) this.appended.fire({ entries: [entry] });
	}
}
