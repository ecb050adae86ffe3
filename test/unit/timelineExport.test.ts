// The timeline's exporters and page, written as the attacks they must stop: a display name or notification body
// that tries to close the SVG and run a script, break out of a Mermaid message, or inject markup into the page.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TimelineBuilder, snapshot } from '../../src/core/timeline/timelineModel';
import { mermaidText, toMermaid } from '../../src/core/timeline/timelineMermaid';
import { toSvg } from '../../src/core/timeline/timelineSvg';
import { timelineHtml } from '../../src/vscode/timeline/timelineHtml';
import { CALL_ID_UPPER, callState, create, createBody, notify, wellBehavedCall } from './trafficFixtures';
import { repoRoot } from './sourceFiles';

const EVIL_NAME = 'Eve</text></svg><script>alert(1)</script>\n    L0->>L1: forged;%% x\n-->> #35; <img src=x onerror=alert(2)> "quoted" & end';

function hostileTimeline() {
	const target = { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: 'u-evil', displayName: EVIL_NAME } } };
	const entries = [
		create(0, createBody({ targets: [target] })),
		notify(1_000, [{ ...callState('established'), changeType: `updated</svg><script>alert(3)</script>-->>L0: forged` }]),
		notify(2_000, [{
			'@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl: `/communications/calls/${CALL_ID_UPPER}/participants`,
			resourceData: [{ id: 'p-evil', isMuted: false, info: { identity: { user: { id: 'u-evil', displayName: EVIL_NAME } } } }],
		}]),
	];
	const b = new TimelineBuilder();
	b.addEntries(entries, 0);
	b.addActions([{ time: new Date(Date.parse(entries[0].startedDateTime) + 3_000).toISOString(), actor: EVIL_NAME, action: 'pressed ]]>--><script>alert(4)</script>' }]);
	b.attachFindings([{ rule: 'x', severity: 'warning', message: 'msg </svg><script>alert(5)</script> ; %% -->>', entry: 1, docs: 'https://learn.microsoft.com/' }]);
	return snapshot(b);
}

describe('timeline exports', () => {
	it('SVG: a hostile display name, notification and finding stay text: no script, no element they did not come with', () => {
		const svg = toSvg(hostileTimeline(), { title: 'call </title><script>alert(0)</script>' });
		assert.doesNotMatch(svg, /<script/i);
		assert.doesNotMatch(svg, /<img/i);
		assert.doesNotMatch(svg, /<[^>]*\sonerror=/i);
		assert.equal((svg.match(/<\/svg>/g) ?? []).length, 1, 'one closing tag, the real one');
		assert.ok(svg.trimEnd().endsWith('</svg>'));
		// Only the elements the exporter writes.
		const tags = new Set([...svg.matchAll(/<([a-zA-Z]+)/g)].map((m) => m[1]));
		const allowed = new Set(['circle', 'defs', 'g', 'line', 'marker', 'path', 'rect', 'style', 'svg', 'text', 'title']);
		assert.deepEqual([...tags].filter((t) => !allowed.has(t)), []);
		assert.match(svg, /Eve&lt;\/text&gt;&lt;\/svg&gt;&lt;script/, 'the name is there, escaped');
	});

	it('SVG: every lane and arrow is drawn, with relative times', () => {
		const b = new TimelineBuilder();
		b.addEntries(wellBehavedCall(), 0);
		const svg = toSvg(snapshot(b));
		assert.equal((svg.match(/class="lifeline"/g) ?? []).length, b.lanes.length);
		assert.equal((svg.match(/<line class="arrow /g) ?? []).length, b.events.length);
		assert.match(svg, />\+0\.000 s</);
		assert.match(svg, />\+61:00\.2</, 'the last notification, 61 minutes and 200 ms in');
	});

	it('Mermaid: names and labels cannot end a message, start a statement, comment, draw an arrow or carry HTML', () => {
		const mmd = toMermaid(hostileTimeline(), { title: 'x\n  L0->>L1: injected' });
		const lines = mmd.trimEnd().split('\n');
		assert.equal(lines[0], 'sequenceDiagram');
		for (const line of lines.slice(1)) {
			// Every line is one of the statements the exporter writes, and the part after the statement's own syntax
			// holds no character Mermaid would read as syntax.
			const m = /^ {4}(?:title (.*)|participant L\d+ as (.*)|L\d+(?:->>|-->>|-\))L\d+: (.*)|Note over L\d+(?:,L\d+)?: (.*))$/.exec(line);
			assert.ok(m, `unexpected line: ${line}`);
			const text = m[1] ?? m[2] ?? m[3] ?? m[4];
			assert.doesNotMatch(text.replace(/#\d+;/g, ''), /[<>;%\n\r:"&#-]/, `unescaped syntax in: ${text}`);
		}
		assert.equal(lines.filter((l) => l.startsWith('    participant ')).length, 3, 'bot, Graph and one lane for the hostile person');
	});

	it('Mermaid: entity codes keep the text readable once rendered', () => {
		assert.equal(mermaidText('a-->b; c'), 'a#45;#45;#62;b#59; c');
		assert.equal(mermaidText('Zoë'), 'Zo#235;');
		assert.equal(mermaidText('\n'), '#160;');
		const b = new TimelineBuilder();
		b.addEntries(wellBehavedCall(), 0);
		const mmd = toMermaid(snapshot(b));
		assert.match(mmd, /participant L1 as Graph/);
		assert.match(mmd, /L0->>L1: \+0\.000 s POST create/);
		assert.match(mmd, /L1-->>L0: \+0\.120 s 201 Created after 120 ms/);
	});
});

describe('timeline page', () => {
	const html = timelineHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'bm9uY2UxMjM0NTY3OA==', scriptUri: 'https://x/timeline.js', styleUri: 'https://x/timeline.css' });

	it('has a strict CSP: nothing by default, scripts only with the nonce, no inline or eval', () => {
		const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
		assert.ok(csp, 'a CSP meta tag');
		const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
		assert.deepEqual(directives['default-src'], ["'none'"]);
		assert.deepEqual(directives['script-src'], ["'nonce-bm9uY2UxMjM0NTY3OA=='"]);
		assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
	});

	it('has no inline script, no inline handler, and every script carries the nonce', () => {
		const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
		assert.equal(scripts.length, 1);
		assert.match(scripts[0][1], /nonce="bm9uY2UxMjM0NTY3OA=="/);
		assert.match(scripts[0][1], /src="https:\/\/x\/timeline\.js"/);
		assert.equal(scripts[0][2].trim(), '', 'no inline code');
		assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
		assert.doesNotMatch(html, /style="/, 'no inline style');
	});

	it('the page script renders data with textContent, never as HTML', () => {
		const js = fs.readFileSync(path.join(repoRoot, 'media/timeline/timeline.js'), 'utf8');
		assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
		assert.match(js, /textContent/);
	});
});
