import * as path from 'node:path';
import { defaultRedactor } from '../graph/redaction';
import { formatProblem, type ScenarioProblem } from './scenarioModel';
import type { ScenarioResult } from './scenarioResult';
import type { CallAction } from '../schema/endpoints';
import { TrafficRecorder, type TrafficLog } from '../traffic/trafficRecord';

/**
 * One scenario run's traffic as the project's traffic record (HAR 1.2, src/core/traffic): the bot's requests are
 * `"_direction": "out"` entries, each notification an `"in"` entry for the POST Graph made to the callback with the
 * bot's answer, the world's steps are `_actions`, and times are emulated (the clock rate), so `graph-calls lint`
 * reads it as it reads any record.
 */
export function scenarioHar(result: ScenarioResult, options: { version?: string; roles?: readonly string[] } = {}): TrafficLog {
	const recorder = new TrafficRecorder({ timeScale: { speed: result.clockRate, origin: result.startedAt } });
	for (const t of result.traffic) {
		const startedDateTime = new Date(t.at).toISOString();
		if (t.direction === 'out') {
			recorder.addRequest({
				sequence: t.seq, profileName: 'bot under test', startedDateTime, method: t.method, url: t.url, path: t.path, action: t.action as CallAction | undefined,
				attempt: 1, clientRequestId: t.requestHeaders['client-request-id'] ?? '-', requestHeaders: t.requestHeaders, requestBody: t.requestBody,
				status: t.status, responseHeaders: t.responseHeaders, responseBody: t.responseBody, durationMs: t.durationMs,
			});
		} else {
			recorder.addNotification({
				url: t.callbackUri, startedDateTime, durationMs: t.durationMs, headers: { authorization: 'Bearer [redacted]' },
				body: { '@odata.type': '#microsoft.graph.commsNotifications', value: t.notifications }, status: t.status, error: t.error,
			});
		}
	}
	for (const step of result.steps) {
		if (step.actor && step.startedAt !== undefined && step.status !== 'skipped') {
			recorder.addAction({ time: new Date(step.startedAt).toISOString(), actor: step.actor, action: step.title, callId: result.callId });
		}
	}
	if (options.roles) recorder.noteRoles(options.roles);
	const har = recorder.toHar(options.version ?? '0.1.0');
	if (result.message) har.log.comment = `${har.log.comment ? `${har.log.comment} ` : ''}Scenario failed: ${defaultRedactor.text(result.message)}`;
	return har;
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
