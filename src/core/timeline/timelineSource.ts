/**
 * Where a timeline's traffic comes from. Anything that records traffic between a bot and Graph can feed a timeline:
 * a HAR file opened later, the extension's own request log and callback receiver for one call, the emulator's live
 * event feed, a scenario run. A source is the entries recorded so far plus an event for the ones that follow.
 *
 * To open a timeline from another feature (in the VS Code layer, `Timelines.open`, src/vscode/timeline):
 *
 *     const appended = new Emitter<TimelineAppend>();
 *     const source: TimelineSource = {
 *       title: 'Scenario: ivr menu',
 *       entries: recorder.toHar(version).log.entries,     // HAR 1.2 entries, `_direction` "out" or "in"
 *       actions: [],                                      // people's actions (PersonAction), if any
 *       onDidAppend: appended.event,                      // later: appended.fire({ entries: [entry] })
 *     };
 *     timelines.open(source);
 *
 * Entries must be redacted already (the one HAR writer, src/core/traffic/har.ts, does it); the timeline redacts
 * what it shows and exports once more, for HAR files from elsewhere. Entries keep the order they were appended
 * in: a lint finding's `entry` is an index in that order. The timeline listens to `onDidAppend` until its panel
 * closes and disposes the subscription then; it never disposes the source.
 */
import type { Event } from '../event';
import type { HarEntry } from '../traffic/har';
import type { PersonAction, TrafficLog } from '../traffic/trafficRecord';
import { entryFacts } from './entryFacts';

export interface TimelineAppend {
	readonly entries?: readonly HarEntry[];
	readonly actions?: readonly PersonAction[];
}

export interface TimelineSource {
	/** The panel's title: a call, a scenario run, a file name. */
	readonly title: string;
	/** What was recorded before the timeline opened, in recording order. */
	readonly entries: readonly HarEntry[];
	readonly actions?: readonly PersonAction[];
	/** The application roles of the bot's token, for lint's unused-permission rule. */
	readonly roles?: readonly string[];
	/** Only this call (any spelling of its id); undefined: everything the source records. */
	readonly callId?: string;
	/** The Graph lane's name ("Emulator", "Contoso tenant"); by default read from the requests' host. */
	readonly graphName?: string;
	/** Entries and actions recorded after `entries`; absent for a record that is complete (a HAR file). */
	readonly onDidAppend?: Event<TimelineAppend>;
}

/** A complete record (a HAR file, a finished scenario run) as a source. */
export function recordSource(log: TrafficLog, title: string, callId?: string): TimelineSource {
	return { title, entries: log.log.entries, actions: log.log._actions, roles: log.log._roles, callId };
}

/** The calls a record holds, in the order they first appear, with how many entries each has. */
export function callsInRecord(entries: readonly HarEntry[]): { callId: string; entries: number; first: string }[] {
	const calls = new Map<string, { callId: string; entries: number; first: string }>();
	for (const e of entries) {
		for (const id of entryFacts(e).callIds) {
			const c = calls.get(id);
			if (c) c.entries++;
			else calls.set(id, { callId: id, entries: 1, first: e.startedDateTime });
		}
	}
	return [...calls.values()];
}
