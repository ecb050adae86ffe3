/**
 * The traffic record: one HAR 1.2 log of everything that happened between a bot and Graph (or the emulator).
 *
 * - Requests the bot made to Graph are ordinary HAR entries with `"_direction": "out"`.
 * - Each notification is an entry for the POST Graph made to the callback URL, with `"_direction": "in"`, the
 *   commsNotifications body as its postData and the bot's answer (status, time taken) as its response.
 * - People's actions (someone answers, presses keys, hangs up: the emulator plays these) are not HTTP exchanges,
 *   so they go in the custom log field `_actions` instead of fake entries: browsers and Dev Proxy then load the
 *   file without showing requests that never happened, and entry indexes (what lint findings point at) stay the
 *   indexes of real exchanges.
 * - `_roles` holds the application roles of the bot's token. The token itself is redacted from every entry, so
 *   whoever records the traffic (and still sees the token) notes the roles with `noteToken()`; lint's
 *   `unused-permission` rule reads them.
 *
 * Everything goes through the one HAR writer (src/core/traffic/har.ts), which redacts as the rest of the product does.
 *
 * To write a record, for example per scenario run:
 *
 *     const recorder = new TrafficRecorder();
 *     client.onDidRequest((e) => recorder.addRequest(e));           // the bot's requests (GraphRequestEvent)
 *     recorder.addNotification({ url, headers, body, status, startedDateTime, durationMs });   // each callback POST
 *     recorder.addAction({ time, actor: 'Adele Vance', action: 'answered', callId });
 *     recorder.noteToken(accessToken);                                // roles only; the token is not kept
 *     fs.writeFileSync('run.har', JSON.stringify(recorder.toHar(version), null, 2));
 *
 * and `lintTraffic(recorder.toHar(version))` (src/core/traffic/lint.ts) checks it.
 */
import { decodeTokenClaims } from '../auth/tokenClaims';
import { harEntry, toHarEntry, type HarEntry, type HarLog } from './har';
import type { GraphRequestEvent } from '../graph/requestEvent';

export type { HarEntry, HarLog } from './har';

/** Something a person (simulated or real) did in a call, outside HTTP. */
export interface PersonAction {
	/** ISO time. */
	readonly time: string;
	/** Who: a display name, user id or phone number. */
	readonly actor: string;
	/** What, in a word or two: `answered`, `declined`, `pressed 1#`, `hung up`. */
	readonly action: string;
	readonly callId?: string;
}

export interface TrafficLog extends HarLog {
	log: HarLog['log'] & {
		_actions?: PersonAction[];
		_roles?: string[];
	};
}

/** A notification POST as the bot's side of the callback saw it. */
export interface NotificationExchange {
	/** The callback URL it was posted to. */
	readonly url: string;
	/** ISO time the POST arrived. */
	readonly startedDateTime: string;
	/** How long the bot took to answer, ms. */
	readonly durationMs: number;
	/** As received; Authorization is redacted by the writer. */
	readonly headers: Readonly<Record<string, string>>;
	/** The commsNotifications body, as text or parsed JSON. */
	readonly body: unknown;
	/** The bot's status code; undefined when it never answered. */
	readonly status?: number;
	readonly responseHeaders?: Readonly<Record<string, string>>;
	readonly responseBody?: unknown;
	readonly error?: string;
}

export const TRAFFIC_CREATOR = 'Graph Calls Workbench';

/**
 * Emulated time: the emulator can run its clock N times faster than real time, so 45 minutes without keepAlive
 * pass in seconds. With a scale the recorder writes emulated start times (origin + elapsed x speed), so rules that
 * compare moments (answer window, keepAlive interval) see what the emulator's calls lived through. Durations stay
 * real: the emulator waits for HTTP answers (a webhook's acknowledgement) in real time.
 */
export interface TimeScale {
	readonly speed: number;
	/** Epoch ms at which real and emulated time coincide (when the emulator started, or the recording did). */
	readonly origin: number;
}

export function requestEntry(e: GraphRequestEvent): HarEntry {
	return toHarEntry(e);
}

export function notificationEntry(n: NotificationExchange): HarEntry {
	return harEntry({
		direction: 'in',
		startedDateTime: n.startedDateTime,
		durationMs: n.durationMs,
		method: 'POST',
		url: n.url,
		requestHeaders: { 'content-type': 'application/json', ...n.headers },
		requestBody: n.body,
		status: n.status,
		responseHeaders: n.responseHeaders,
		responseBody: n.responseBody,
		error: n.error,
	});
}

/** The application roles in an access token; [] when it cannot be read (an encrypted token, say). */
export function rolesOfToken(token: string): string[] {
	try {
		const roles = decodeTokenClaims(token.replace(/^Bearer\s+/i, '')).roles;
		return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
	} catch {
		return [];
	}
}

/** Collects a traffic record as it happens; entries are kept in time order whatever order they are added in. */
export class TrafficRecorder {
	private readonly entries: HarEntry[] = [];
	private readonly actions: PersonAction[] = [];
	private roles: Set<string> | undefined;

	constructor(private readonly options: { readonly timeScale?: TimeScale } = {}) {
		const speed = options.timeScale?.speed;
		if (speed !== undefined && !(Number.isFinite(speed) && speed > 0)) throw new RangeError(`The time scale must be a positive number, not ${speed}.`);
	}

	private scaleTime(iso: string): string {
		const s = this.options.timeScale;
		if (!s || s.speed === 1) return iso;
		return new Date(s.origin + (Date.parse(iso) - s.origin) * s.speed).toISOString();
	}

	addRequest(e: GraphRequestEvent): void {
		this.addEntry(requestEntry(e));
	}

	addNotification(n: NotificationExchange): void {
		this.addEntry(notificationEntry(n));
	}

	addAction(a: PersonAction): void {
		this.actions.push({ ...a, time: this.scaleTime(a.time) });
	}

	/** Reads the roles claim; the token itself is not kept. */
	noteToken(token: string): void {
		const roles = rolesOfToken(token);
		if (!roles.length) return;
		this.roles ??= new Set();
		for (const r of roles) this.roles.add(r);
	}

	/** Roles known some other way (a profile's diagnosis, the emulator's app registration). */
	noteRoles(roles: readonly string[]): void {
		this.roles ??= new Set();
		for (const r of roles) this.roles.add(r);
	}

	get size(): number {
		return this.entries.length;
	}

	private addEntry(entry: HarEntry): void {
		entry.startedDateTime = this.scaleTime(entry.startedDateTime);
		// Notifications and responses race: keep time order, stable for equal times.
		const t = Date.parse(entry.startedDateTime);
		let i = this.entries.length;
		while (i > 0 && Date.parse(this.entries[i - 1].startedDateTime) > t) i--;
		this.entries.splice(i, 0, entry);
	}

	toHar(creatorVersion: string): TrafficLog {
		const log = buildTrafficLog(this.entries, { creatorVersion, actions: this.actions, roles: this.roles ? [...this.roles] : undefined });
		const s = this.options.timeScale;
		if (s && s.speed !== 1) log.log.comment = `Emulated time: times after ${new Date(s.origin).toISOString()} run ${s.speed} times faster than real time (the emulator's clock speed). Durations are real: the emulator waits for answers in real time.`;
		return log;
	}
}

export function buildTrafficLog(entries: readonly HarEntry[], options: { creatorVersion: string; actions?: readonly PersonAction[]; roles?: readonly string[] }): TrafficLog {
	const actions = [...(options.actions ?? [])].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
	return {
		log: {
			version: '1.2',
			creator: { name: TRAFFIC_CREATOR, version: options.creatorVersion },
			entries: [...entries],
			...(actions.length ? { _actions: actions } : {}),
			...(options.roles ? { _roles: [...options.roles] } : {}),
		},
	};
}
