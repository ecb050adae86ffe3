/**
 * A timeline as a standalone SVG file: lanes, one row per event, arrows with their relative time, label and
 * duration, and a hover title with lint findings. No script, no external reference, no foreignObject: every text
 * from the record is XML-escaped (and characters XML cannot hold are dropped), so the file is safe to open in a
 * browser or embed in a page.
 */
import { formatMs, formatOffset, type Timeline, type TimelineEvent } from './timelineModel';

const LANE_WIDTH = 190;
const TIME_WIDTH = 96;
const HEADER = 48;
const ROW = 30;
const MARGIN = 16;

/** Text for an XML text node or attribute value. */
export function xmlText(text: string): string {
	return text
		// XML 1.0 allows tab, LF, CR and everything from U+0020 except lone surrogates and U+FFFE/U+FFFF.
		.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

function clip(text: string, max: number): string {
	const chars = [...text];
	return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

function label(e: TimelineEvent): string {
	if (e.kind === 'response' || e.kind === 'ack') return `${e.label} · ${formatMs(e.durationMs ?? 0)}`;
	if (e.kind === 'action') return e.inferred ? `${e.label} (roster)` : e.label;
	return e.label;
}

const STYLE = `
text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 12px; fill: #1f1f1f; }
.lane-name { font-weight: 600; font-size: 13px; }
.time { fill: #616161; font-variant-numeric: tabular-nums; }
.lifeline { stroke: #c8c8c8; stroke-dasharray: 4 4; }
.arrow { stroke: #0f6cbd; stroke-width: 1.5; fill: none; }
.response, .ack { stroke-dasharray: 5 3; }
.notification { stroke: #8a3ffc; }
.ack { stroke: #8a3ffc; }
.action { stroke: #107c10; }
.failed { stroke: #c50f1f; }
.finding-error { fill: #c50f1f; }
.finding-warning { fill: #bc4b09; }
.finding-info { fill: #0f6cbd; }
.lane-box { fill: #f3f3f3; stroke: #c8c8c8; }
@media (prefers-color-scheme: dark) {
  text { fill: #e0e0e0; } .time { fill: #a0a0a0; } .lane-box { fill: #2b2b2b; stroke: #555; } .lifeline { stroke: #555; }
  .arrow { stroke: #4cc2ff; } .notification, .ack { stroke: #be9bff; } .action { stroke: #6ccb5f; } .failed { stroke: #ff99a4; }
}`;

export function toSvg(timeline: Timeline, options: { title?: string } = {}): string {
	const laneX = new Map(timeline.lanes.map((l, i) => [l.id, MARGIN + TIME_WIDTH + i * LANE_WIDTH + LANE_WIDTH / 2]));
	const width = MARGIN * 2 + TIME_WIDTH + timeline.lanes.length * LANE_WIDTH;
	const height = HEADER + timeline.events.length * ROW + MARGIN * 2;
	const out: string[] = [];
	out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xmlText(options.title ?? 'Call timeline')}">`);
	out.push(`<title>${xmlText(options.title ?? 'Call timeline')}</title>`);
	out.push(`<style>${STYLE}</style>`);
	out.push('<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>');
	for (const lane of timeline.lanes) {
		const x = laneX.get(lane.id)!;
		out.push(`<rect class="lane-box" x="${x - LANE_WIDTH / 2 + 8}" y="${MARGIN}" width="${LANE_WIDTH - 16}" height="26" rx="4"/>`);
		out.push(`<text class="lane-name" x="${x}" y="${MARGIN + 17}" text-anchor="middle">${xmlText(clip(lane.name, 24))}</text>`);
		out.push(`<line class="lifeline" x1="${x}" y1="${MARGIN + 26}" x2="${x}" y2="${height - MARGIN}"/>`);
	}
	timeline.events.forEach((e, i) => {
		const y = HEADER + MARGIN + i * ROW + ROW / 2 + 6;
		const x1 = laneX.get(e.from);
		const x2 = laneX.get(e.to);
		if (x1 === undefined || x2 === undefined) return;
		const failed = (e.kind === 'response' || e.kind === 'ack') && (e.status === 0 || (e.status ?? 0) >= 400);
		const cls = `arrow ${e.kind}${failed ? ' failed' : ''}`;
		const findings = e.findings.map((f) => `\n${f.severity} ${f.rule}: ${f.message}`).join('');
		const span = Math.abs(x2 - x1);
		out.push(`<g><title>${xmlText(`${formatOffset(e.t - timeline.start)} ${label(e)}${findings}`)}</title>`);
		out.push(`<text class="time" x="${MARGIN}" y="${y + 4}">${xmlText(formatOffset(e.t - timeline.start))}</text>`);
		out.push(`<line class="${cls}" x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${y}" marker-end="url(#head)"/>`);
		out.push(`<text x="${(x1 + x2) / 2}" y="${y - 5}" text-anchor="middle">${xmlText(clip(label(e), Math.max(8, Math.floor(span / 6.6))))}</text>`);
		if (e.findings.length) {
			const worst = e.findings.some((f) => f.severity === 'error') ? 'error' : e.findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
			out.push(`<circle class="finding-${worst}" cx="${MARGIN + TIME_WIDTH - 10}" cy="${y}" r="5"/>`);
		}
		out.push('</g>');
	});
	out.push('</svg>');
	return out.join('\n') + '\n';
}
