/**
 * A timeline as a Mermaid sequence diagram (https://mermaid.js.org/syntax/sequenceDiagram.html). Every text that
 * comes from the record (names, labels, lint messages) is written with Mermaid's entity codes (`#35;`) for
 * anything but letters, digits and a few harmless marks, so no display name or notification body can end a
 * message, open a comment (`%%`), start a new statement (`;`, a newline), draw an arrow (`-->>`) or inject HTML.
 */
import { formatMs, formatOffset, type Timeline, type TimelineEvent } from './timelineModel';

const SAFE = /[A-Za-z0-9 .,_/()?=+*@]/;

/** Mermaid text: every other character as an entity code; the result has no line break, `;`, `#`, `%`, `<`, `-` or `:`. */
export function mermaidText(text: string): string {
	let out = '';
	for (const ch of text.replace(/[\r\n\t]+/g, ' ')) {
		const code = ch.codePointAt(0)!;
		out += SAFE.test(ch) ? ch : code < 32 || code === 0x7f ? ' ' : `#${code};`;
	}
	// Mermaid trims labels; a label that is empty or only spaces would make the line invalid.
	return out.trim() || '#160;';
}

function arrow(e: TimelineEvent): string {
	if (e.kind === 'response' || e.kind === 'ack') return '-->>';
	if (e.kind === 'action') return '-)';
	return '->>';
}

function messageText(e: TimelineEvent, start: number): string {
	const when = formatOffset(e.t - start);
	if (e.kind === 'response' || e.kind === 'ack') return `${when} ${e.label} after ${formatMs(e.durationMs ?? 0)}`;
	if (e.kind === 'action') return `${when} ${e.label}${e.inferred ? ' (from roster)' : ''}`;
	return `${when} ${e.label}`;
}

export function toMermaid(timeline: Timeline, options: { title?: string } = {}): string {
	const alias = new Map(timeline.lanes.map((l, i) => [l.id, `L${i}`]));
	const lines = ['sequenceDiagram'];
	if (options.title) lines.push(`    title ${mermaidText(options.title)}`);
	for (const lane of timeline.lanes) lines.push(`    participant ${alias.get(lane.id)} as ${mermaidText(lane.name)}`);
	for (const e of timeline.events) {
		const from = alias.get(e.from);
		const to = alias.get(e.to);
		if (!from || !to) continue;
		lines.push(`    ${from}${arrow(e)}${to}: ${mermaidText(messageText(e, timeline.start))}`);
		for (const f of e.findings) {
			const over = from === to ? from : `${from},${to}`;
			lines.push(`    Note over ${over}: ${mermaidText(`${f.severity} ${f.rule}: ${f.message}`)}`);
		}
	}
	return lines.join('\n') + '\n';
}
