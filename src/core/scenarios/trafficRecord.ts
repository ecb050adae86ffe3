import type { EmulatorHandle } from '../emulator';
import { Emitter } from '../event';
import { Redactor } from '../graph/redaction';
import { Disposable } from '../lifecycle';

/** A request the bot made to the emulator (Graph or Entra ID), redacted. */
export interface OutboundEntry {
	readonly seq: number;
	readonly direction: 'out';
	/** Wall-clock ms since the epoch when the request arrived. */
	readonly at: number;
	readonly durationMs: number;
	readonly method: string;
	/** Absolute URL, redacted. */
	readonly url: string;
	readonly path: string;
	/** Endpoint-table action (call.answer), or token for Entra ID. */
	readonly action?: string;
	readonly status: number;
	readonly requestHeaders: Readonly<Record<string, string>>;
	readonly requestBody?: unknown;
	readonly responseHeaders: Readonly<Record<string, string>>;
	readonly responseBody?: unknown;
}

export interface NotificationItem {
	readonly changeType?: string;
	readonly resourceUrl?: string;
	readonly resourceData?: unknown;
}

/** One notification POST the emulator made to a callback URL, and how the bot answered it. */
export interface InboundEntry {
	readonly seq: number;
	readonly direction: 'in';
	readonly at: number;
	readonly durationMs: number;
	readonly callbackUri: string;
	readonly attempt: number;
	readonly notifications: readonly NotificationItem[];
	/** The bot's HTTP status, absent when the POST failed (refused, timed out). */
	readonly status?: number;
	readonly error?: string;
	readonly delivered: boolean;
}

export type TrafficEntry = OutboundEntry | InboundEntry;

function parseBody(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * The whole traffic of one scenario run as it happens: what the bot asked Graph and Entra ID, and every
 * notification posted to it. Entries are redacted when recorded, so nothing that leaves this class holds a
 * token or secret. The runner's own control-API requests are not traffic.
 */
export class TrafficRecord extends Disposable {
	readonly entries: TrafficEntry[] = [];
	private readonly redactor = new Redactor();
	private readonly _onDidRecord = this._register(new Emitter<TrafficEntry>());
	readonly onDidRecord = this._onDidRecord.event;

	constructor(emulator: EmulatorHandle) {
		super();
		this.redactor.addSecret(emulator.clientSecret);
		const origin = emulator.baseUrl;
		this._register(emulator.onDidServe((r) => {
			if (r.path.startsWith('/_emulator')) return;
			this.push({
				seq: this.entries.length,
				direction: 'out',
				at: r.startedAt,
				durationMs: r.durationMs,
				method: r.method,
				url: this.redactor.url(`${origin}${r.url}`),
				path: r.path,
				action: r.action,
				status: r.status,
				requestHeaders: this.redactor.headers({ ...r.requestHeaders }),
				requestBody: this.redactor.value(parseBody(r.requestBody)),
				responseHeaders: this.redactor.headers({ ...r.responseHeaders }),
				responseBody: r.responseBody === undefined ? undefined : this.redactor.value(r.responseBody),
			});
		}));
		this._register(emulator.onDidDeliver((d) => {
			this.push({
				seq: this.entries.length,
				direction: 'in',
				at: Date.parse(d.at) - Math.round(d.durationMs),
				durationMs: d.durationMs,
				callbackUri: this.redactor.url(d.callbackUri),
				attempt: d.attempt,
				notifications: this.redactor.value(d.notifications) as NotificationItem[],
				status: d.status,
				error: d.error && this.redactor.text(d.error),
				delivered: d.delivered,
			});
		}));
	}

	private push(e: TrafficEntry): void {
		this.entries.push(e);
		this._onDidRecord.fire(e);
	}
}
