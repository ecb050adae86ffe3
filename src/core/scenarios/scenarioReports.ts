import * as path from 'node:path';
import { defaultRedactor } from '../graph/redaction';
import { formatProblem, type ScenarioProblem } from './scenarioModel';
import type { ScenarioResult } from './scenarioResult';
import type { TrafficEntry } from './trafficRecord';

interface HarHeader { name: string; value: string }

/** A HAR 1.2 entry with the direction of the traffic: "out" the bot's requests, "in" notifications posted to it. */
export interface ScenarioHarEntry {
	startedDateTime: string;
	time: number;
	request: { method: string; url: string; httpVersion: string; headers: HarHeader[]; queryString: HarHeader[]; cookies: []; headersSize: -1; bodySize: number; postData?: { mimeType: string; text: string } };
	response: { status: number; statusText: string; httpVersion: string; headers: HarHeader[]; cookies: []; content: { size: number; mimeType: string; text?: string }; redirectURL: string; headersSize: -1; bodySize: number; _error?: string };
	cache: Record<string, never>;
	timings: { send: number; wait: number; receive: number };
	_direction: 'out' | 'in';
	_action?: string;
	_attempt?: number;
	pageref?: string;
}

export interface ScenarioHar {
	log: { version: '1.2'; creator: { name: string; version: string }; pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }[]; entries: ScenarioHarEntry[]; comment?: string };
}

const headerList = (h: Readonly<Record<string, string>>): HarHeader[] => Object.entries(h).map(([name, value]) => ({ name, value }));
const bodyText = (b: unknown): string | undefined => (b === undefined ? undefined : defaultRedactor.text(typeof b === 'string' ? b : JSON.stringify(b)));

function harEntry(t: TrafficEntry): ScenarioHarEntry {
	const time = Math.round(t.durationMs * 1000) / 1000;
	const common = { startedDateTime: new Date(t.at).toISOString(), time, cache: {}, timings: { send: 0, wait: time, receive: 0 } };
	if (t.direction === 'out') {
		const req = bodyText(t.requestBody);
		const res = bodyText(t.responseBody);
		const url = new URL(t.url);
		return {
			...common,
			request: {
				method: t.method, url: t.url, httpVersion: 'HTTP/1.1', headers: headerList(t.requestHeaders), queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
				cookies: [], headersSize: -1, bodySize: req ? Buffer.byteLength(req) : 0,
				...(req ? { postData: { mimeType: t.requestHeaders['content-type'] ?? 'application/json', text: req } } : {}),
			},
			response: {
				status: t.status, statusText: '', httpVersion: 'HTTP/1.1', headers: headerList(t.responseHeaders), cookies: [],
				content: { size: res ? Buffer.byteLength(res) : 0, mimeType: t.responseHeaders['content-type'] ?? '', ...(res ? { text: res } : {}) },
				redirectURL: '', headersSize: -1, bodySize: res ? Buffer.byteLength(res) : 0,
			},
			_direction: 'out',
			...(t.action ? { _action: t.action } : {}),
		};
	}
	const text = defaultRedactor.text(JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: t.notifications }));
	return {
		...common,
		request: {
			method: 'POST', url: t.callbackUri, httpVersion: 'HTTP/1.1', headers: [{ name: 'content-type', value: 'application/json' }, { name: 'authorization', value: 'Bearer [redacted]' }],
			queryString: [], cookies: [], headersSize: -1, bodySize: Buffer.byteLength(text), postData: { mimeType: 'application/json', text },
		},
		response: {
			status: t.status ?? 0, statusText: '', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0,
			...(t.error ? { _error: t.error } : {}),
		},
		_direction: 'in',
		_attempt: t.attempt,
	};
}

/** One scenario run's traffic as HAR 1.2, in the order it happened. */
export function scenarioHar(result: ScenarioResult, version = '0.1.0'): ScenarioHar {
	const page = { startedDateTime: new Date(result.startedAt).toISOString(), id: 'scenario', title: `${result.name} (${result.status})`, pageTimings: {} };
	return {
		log: {
			version: '1.2',
			creator: { name: 'Graph Calls Workbench scenario runner', version },
			pages: [page],
			entries: [...result.traffic].sort((a, b) => a.at - b.at).map((t) => ({ ...harEntry(t), pageref: 'scenario' })),
			comment: result.message ? defaultRedactor.text(result.message) : undefined,
		},
	};
}

/** A file name for a scenario's HAR: its path relative to the working directory, flattened. */
export function harFileName(file: string, cwd = process.cwd()): string {
	const rel = path.relative(cwd, file).replace(/\.ya?ml$/i, '');
	return `${rel.replace(/^(\.\.[/\\])+/, '').replace(/[/\\:]+/g, '__') || 'scenario'}.har`;
}

function xml(text: string): string {
	return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML, as CI systems read it: one testcase per scenario, files that could not be used as errors. */
export function junitReport(results: readonly ScenarioResult[], problems: readonly ScenarioProblem[], cwd = process.cwd()): string {
	const failures = results.filter((r) => r.status === 'failed').length;
	const seconds = (ms: number) => (ms / 1000).toFixed(3);
	const total = results.reduce((sum, r) => sum + r.durationMs, 0);
	const cases = results.map((r) => {
		const rel = path.relative(cwd, r.file);
		const steps = r.steps.map((s) => `${s.status === 'passed' ? 'ok  ' : s.status === 'failed' ? 'FAIL' : 'skip'} ${rel}:${s.line} ${s.title}${s.message && s.status !== 'skipped' ? ` -- ${s.message}` : ''}`).join('\n');
		const body = r.status === 'failed'
			? `\n      <failure message="${xml(`${r.line ? `${rel}:${r.line}: ` : ''}${r.message ?? 'failed'}`)}" type="ScenarioFailure">${xml(steps)}</failure>`
			: '';
		const out = r.botOutput ? `\n      <system-out>${xml(r.botOutput)}</system-out>` : '';
		return `    <testcase name="${xml(r.name)}" classname="${xml(rel)}" file="${xml(rel)}" time="${seconds(r.durationMs)}">${body}${out}\n    </testcase>`;
	});
	const errors = problems.map((p) => {
		const rel = path.relative(cwd, p.file);
		const text = formatProblem({ ...p, file: rel });
		return `    <testcase name="${xml(path.basename(p.file))}" classname="${xml(rel)}" file="${xml(rel)}" time="0">\n      <error message="${xml(text)}" type="ScenarioFileError">${xml(text)}</error>\n    </testcase>`;
	});
	const tests = results.length + problems.length;
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<testsuites name="graph-calls test" tests="${tests}" failures="${failures}" errors="${problems.length}" time="${seconds(total)}">`,
		`  <testsuite name="scenarios" tests="${tests}" failures="${failures}" errors="${problems.length}" skipped="0" time="${seconds(total)}" timestamp="${new Date().toISOString().slice(0, 19)}">`,
		...cases,
		...errors,
		'  </testsuite>',
		'</testsuites>',
		'',
	].join('\n');
}
