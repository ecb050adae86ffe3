import { GraphHttpError } from './http';

export const FAULT_STATUSES = [429, 500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** One rule: on requests to `route` (a CallAction such as `call.create`, `token`, or `*`), inject an error or latency. */
export interface FaultRule {
	route?: string;
	status?: FaultStatus;
	/** Probability per matching request, 0..1 (default 1). */
	rate?: number;
	/** Fire at most this many times (default: unlimited). */
	times?: number;
	latencyMs?: number;
	/** For 429 and 503: Retry-After value in seconds (default 1). */
	retryAfterSeconds?: number;
	/** Send Retry-After as an HTTP date instead of seconds. */
	retryAfterAsDate?: boolean;
}

export interface NotificationFaults {
	/** Probability that a notification is never delivered. */
	dropRate?: number;
	/** Probability that a notification is delivered twice. */
	duplicateRate?: number;
	/** Hold each notification back until the next one for the same callback is ready, then send them swapped. */
	reorder?: boolean;
}

export interface FaultConfig {
	rules: FaultRule[];
	notifications: NotificationFaults;
	tokenEndpointDown: boolean;
	/** Seed for the random choices, so a flaky run can be repeated. */
	seed?: number;
}

export interface FaultCounters {
	/** `<route> <status>` -> how many injected errors. */
	injected: Record<string, number>;
	latencyInjected: number;
	/** Requests that came back before the Retry-After of a 429 had passed (answered 429 again). */
	earlyRetries: number;
	/**
	 * Other requests (a new client-request-id) from the same client to the same route inside that window, for
	 * example ones already in flight when the 429 was sent: answered 429 too, but not retries.
	 */
	throttledConcurrent: number;
	notificationsDropped: number;
	notificationsDuplicated: number;
	notificationsReordered: number;
	tokenEndpointRefusals: number;
}

export function emptyFaults(): FaultConfig {
	return { rules: [], notifications: {}, tokenEndpointDown: false };
}

function emptyCounters(): FaultCounters {
	return { injected: {}, latencyInjected: 0, earlyRetries: 0, throttledConcurrent: 0, notificationsDropped: 0, notificationsDuplicated: 0, notificationsReordered: 0, tokenEndpointRefusals: 0 };
}

const ERROR_CODES: Record<FaultStatus, string> = {
	429: 'TooManyRequests',
	500: 'InternalServerError',
	502: 'BadGateway',
	503: 'ServiceUnavailable',
	504: 'GatewayTimeout',
};

/**
 * Parses a `--faults` spec. JSON (a FaultConfig) or a comma-separated list of:
 * `429[:rate][@route]` (likewise 500, 502, 503, 504), `latency:MS[@route]`, `drop:RATE`, `dup:RATE`, `reorder`,
 * `token-down`, `retry-after:SECONDS`, `retry-after-date`, `seed:N`.
 */
export function parseFaultSpec(spec: string): FaultConfig {
	const text = spec.trim();
	if (text.startsWith('{')) return validateFaults(JSON.parse(text));
	const config = emptyFaults();
	let retryAfterSeconds: number | undefined;
	let retryAfterAsDate = false;
	for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
		const [body, route] = raw.split('@');
		const [name, arg] = body.split(':');
		const num = (what: string): number => {
			const n = Number(arg);
			if (arg === undefined || !Number.isFinite(n) || n < 0) throw new Error(`Fault "${raw}" needs a number for ${what}, for example ${name}:0.1.`);
			return n;
		};
		if (FAULT_STATUSES.includes(Number(name) as FaultStatus)) {
			config.rules.push({ status: Number(name) as FaultStatus, rate: arg === undefined ? 1 : num('the rate'), route: route || undefined });
		} else if (name === 'latency') {
			config.rules.push({ latencyMs: num('the latency in ms'), route: route || undefined });
		} else if (name === 'drop') {
			config.notifications.dropRate = num('the rate');
		} else if (name === 'dup') {
			config.notifications.duplicateRate = num('the rate');
		} else if (name === 'reorder') {
			config.notifications.reorder = true;
		} else if (name === 'token-down') {
			config.tokenEndpointDown = true;
		} else if (name === 'retry-after') {
			retryAfterSeconds = num('the seconds');
		} else if (name === 'retry-after-date') {
			retryAfterAsDate = true;
		} else if (name === 'seed') {
			config.seed = num('the seed');
		} else {
			throw new Error(`Unknown fault "${raw}": use 429|500|502|503|504[:rate][@route], latency:MS[@route], drop:RATE, dup:RATE, reorder, token-down, retry-after:S, retry-after-date or seed:N.`);
		}
	}
	for (const r of config.rules) {
		if (r.status && retryAfterSeconds !== undefined) r.retryAfterSeconds = retryAfterSeconds;
		if (r.status && retryAfterAsDate) r.retryAfterAsDate = true;
	}
	return validateFaults(config);
}

export function validateFaults(value: unknown): FaultConfig {
	const v = (value ?? {}) as Partial<FaultConfig>;
	const rules = Array.isArray(v.rules) ? v.rules : [];
	for (const r of rules) {
		if (r.status !== undefined && !FAULT_STATUSES.includes(r.status)) throw new Error(`Fault status ${r.status} is not supported: use one of ${FAULT_STATUSES.join(', ')}.`);
		if (r.rate !== undefined && (r.rate < 0 || r.rate > 1)) throw new Error(`Fault rate ${r.rate} must be between 0 and 1.`);
	}
	return { rules: rules.map((r) => ({ ...r })), notifications: { ...(v.notifications ?? {}) }, tokenEndpointDown: !!v.tokenEndpointDown, seed: v.seed };
}

/** Applies the fault config to requests and notifications, and counts what it did and how clients reacted. */
export class FaultInjector {
	private config: FaultConfig = emptyFaults();
	private remaining = new Map<FaultRule, number>();
	private random: () => number = Math.random;
	/** `<client> <route>` -> epoch ms before which a retry is early, and the client-request-ids told to wait. */
	private readonly notBefore = new Map<string, { until: number; requestIds: Set<string> }>();
	counters: FaultCounters = emptyCounters();

	constructor(initial?: FaultConfig) {
		if (initial) this.set(initial);
	}

	get current(): FaultConfig {
		return this.config;
	}

	set(config: FaultConfig): void {
		this.config = validateFaults(config);
		this.remaining = new Map(this.config.rules.filter((r) => r.times !== undefined).map((r) => [r, r.times!]));
		this.random = this.config.seed !== undefined ? mulberry32(this.config.seed) : Math.random;
	}

	resetCounters(): void {
		this.counters = emptyCounters();
		this.notBefore.clear();
	}

	/**
	 * Decides the fate of one request: extra latency, and possibly an error to answer instead.
	 * `client` identifies the caller (app id or address) for the early-retry count; `clientRequestId` tells a
	 * retry (same id, or no id at all) from another request of the same client.
	 */
	beforeRequest(route: string, client: string, clientRequestId?: string): { delayMs: number; error?: GraphHttpError } {
		const key = `${client} ${route}`;
		const throttled = this.notBefore.get(key);
		const until = throttled?.until;
		const now = Date.now();
		if (until !== undefined) {
			if (now < until) {
				if (clientRequestId === undefined || throttled!.requestIds.has(clientRequestId)) this.counters.earlyRetries++;
				else this.counters.throttledConcurrent++;
				if (clientRequestId !== undefined) throttled!.requestIds.add(clientRequestId);
				const seconds = Math.max(1, Math.ceil((until - now) / 1000));
				return { delayMs: 0, error: new GraphHttpError(429, 'TooManyRequests', `Too many requests: this retry came before Retry-After had passed. Wait ${seconds} s before retrying (the emulator counts early retries).`, { 'Retry-After': String(seconds) }) };
			}
			this.notBefore.delete(key);
		}
		let delayMs = 0;
		for (const rule of this.config.rules) {
			if (rule.route && rule.route !== '*' && rule.route !== route) continue;
			if (rule.latencyMs) {
				delayMs += rule.latencyMs;
				this.counters.latencyInjected++;
			}
			if (!rule.status) continue;
			const left = this.remaining.get(rule);
			if (left === 0) continue;
			if (this.random() >= (rule.rate ?? 1)) continue;
			if (left !== undefined) this.remaining.set(rule, left - 1);
			const counterKey = `${route} ${rule.status}`;
			this.counters.injected[counterKey] = (this.counters.injected[counterKey] ?? 0) + 1;
			const headers: Record<string, string> = {};
			if (rule.status === 429 || rule.status === 503) {
				const seconds = rule.retryAfterSeconds ?? 1;
				headers['Retry-After'] = rule.retryAfterAsDate ? new Date(now + seconds * 1000 + 1000).toUTCString() : String(seconds);
				if (rule.status === 429) this.notBefore.set(key, { until: now + seconds * 1000, requestIds: new Set(clientRequestId === undefined ? [] : [clientRequestId]) });
			}
			return { delayMs, error: new GraphHttpError(rule.status, ERROR_CODES[rule.status], `${rule.status === 429 ? 'Too many requests' : 'The service failed'} (emulator fault injected for ${route}). Retry with backoff${headers['Retry-After'] ? ', after Retry-After' : ''}.`, headers) };
		}
		return { delayMs };
	}

	/** How to deliver one notification: how many copies (0 = dropped). */
	notificationCopies(): number {
		const n = this.config.notifications;
		if (n.dropRate && this.random() < n.dropRate) {
			this.counters.notificationsDropped++;
			return 0;
		}
		if (n.duplicateRate && this.random() < n.duplicateRate) {
			this.counters.notificationsDuplicated++;
			return 2;
		}
		return 1;
	}

	get reorder(): boolean {
		return !!this.config.notifications.reorder;
	}
}

/** A small seeded generator (mulberry32): the same seed gives the same faults, so a failing run can be repeated. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
