/**
 * What the timeline view is sent: events without the source's bookkeeping (call ids, entry indexes), in messages
 * the page renders with textContent only. Kept in core so the bench can measure the first render payload.
 */
import type { TimelineBuilder, TimelineEvent, TimelineFinding, TimelineLane } from './timelineModel';

export interface WireEvent {
	readonly id: number;
	readonly kind: TimelineEvent['kind'];
	readonly t: number;
	readonly from: string;
	readonly to: string;
	readonly label: string;
	readonly status?: number;
	readonly durationMs?: number;
	readonly pair?: number;
	readonly inferred?: boolean;
	readonly findings: readonly TimelineFinding[];
}

/** Messages to the page (media/timeline/timeline.js). */
export type ToTimelineView =
	| { type: 'init'; title: string; live: boolean; lanes: readonly TimelineLane[]; events: readonly WireEvent[] }
	| { type: 'append'; lanes?: readonly TimelineLane[]; events: readonly WireEvent[] }
	| { type: 'findings'; updates: readonly { id: number; findings: readonly TimelineFinding[] }[] }
	| { type: 'details'; details: { id: number; title: string; sections: readonly { heading: string; text: string }[] } }
	| { type: 'status'; text: string };

/** Messages from the page. */
export type FromTimelineView =
	| { type: 'ready' }
	| { type: 'details'; id: number }
	| { type: 'export'; format: 'har' | 'mermaid' | 'svg' };

export function wireEvent(e: TimelineEvent): WireEvent {
	const w: { -readonly [K in keyof WireEvent]: WireEvent[K] } = { id: e.id, kind: e.kind, t: e.t, from: e.from, to: e.to, label: e.label, findings: e.findings };
	if (e.status !== undefined) w.status = e.status;
	if (e.durationMs !== undefined) w.durationMs = e.durationMs;
	if (e.pair !== undefined) w.pair = e.pair;
	if (e.inferred) w.inferred = true;
	return w;
}

export function initMessage(builder: TimelineBuilder, title: string, live: boolean): ToTimelineView {
	return { type: 'init', title, live, lanes: builder.lanes, events: builder.events.map(wireEvent) };
}
