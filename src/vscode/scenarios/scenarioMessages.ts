import * as vscode from 'vscode';
import type { ScenarioResult, StepResult, TrafficEntry } from '../../core/scenarios';

/** The command a failure's "open the traffic" link runs, with the HAR file's path (registered in registerScenarios.ts). */
export const OPEN_TRAFFIC_COMMAND = 'graphCalls.scenario.openTraffic';
export const OPEN_TIMELINE_COMMAND = 'graphCalls.scenario.openTimeline';
/** Context value of failure messages, for the Test Results' "Open Call Traffic" action. */
export const FAILURE_MESSAGE_CONTEXT = 'graphCalls.scenarioFailure';

/** What a failure said, as the public API reports it (the same text the Test Explorer shows). */
export interface FailureText {
	readonly text: string;
	readonly line?: number;
	readonly expected?: string;
	readonly actual?: string;
	readonly evidence?: string;
}

/** One line naming the evidence: "POST /communications/calls/1/answer -> 202" or "notification: established". */
export function evidenceSummary(e: TrafficEntry): string {
	if (e.direction === 'out') return `${e.method} ${e.path} -> ${e.status}`;
	const states = e.notifications.map((n) => (n.resourceData as { state?: string } | undefined)?.state ?? n.changeType).filter(Boolean);
	return `notification to ${e.callbackUri}${states.length ? ` (${states.join(', ')})` : ''} -> ${e.status ?? e.error ?? 'no answer'}`;
}

/** The evidence as JSON, already redacted by the traffic record: what the bot sent or was sent, and the answer. */
export function evidenceJson(e: TrafficEntry): string {
	const shown = e.direction === 'out'
		? { request: `${e.method} ${e.url}`, body: e.requestBody, status: e.status, response: e.responseBody }
		: { notificationTo: e.callbackUri, notifications: e.notifications, botStatus: e.status, error: e.error };
	return JSON.stringify(shown, null, 2);
}

function trafficLink(harFile: string | undefined): string {
	if (!harFile) return '';
	const args = encodeURIComponent(JSON.stringify([harFile]));
	return `\n\n[Show the call's timeline](command:${OPEN_TIMELINE_COMMAND}?${args}) · [Open the call's traffic (HAR)](command:${OPEN_TRAFFIC_COMMAND}?${args})`;
}

/**
 * The Test Explorer's messages for a failed scenario: the failed step as expected vs actual (a diff when the
 * runner gave both), with the request or notification that failed it and a link to the whole call's traffic. A
 * failure outside any step (the bot did not start) is one message on the scenario.
 */
export function failureMessages(result: ScenarioResult, uri: vscode.Uri, harFile: string | undefined): { message: vscode.TestMessage; step?: StepResult; text: FailureText }[] {
	const failed = result.steps.filter((s) => s.status === 'failed');
	const out: { message: vscode.TestMessage; step?: StepResult; text: FailureText }[] = [];
	const make = (text: FailureText, step?: StepResult) => {
		const md = new vscode.MarkdownString(undefined, true);
		md.isTrusted = { enabledCommands: [OPEN_TRAFFIC_COMMAND, OPEN_TIMELINE_COMMAND] };
		md.appendText(text.text);
		if (text.evidence && step?.evidence) {
			md.appendMarkdown(`\n\n**Evidence:** `);
			md.appendText(evidenceSummary(step.evidence));
			md.appendCodeblock(text.evidence, 'json');
		}
		md.appendMarkdown(trafficLink(harFile));
		const message = text.expected !== undefined && text.actual !== undefined ? vscode.TestMessage.diff(md, text.expected, text.actual) : new vscode.TestMessage(md);
		message.location = new vscode.Location(uri, new vscode.Position(Math.max(0, (text.line ?? 1) - 1), 0));
		message.contextValue = FAILURE_MESSAGE_CONTEXT;
		out.push({ message, step, text });
	};
	for (const step of failed) {
		make({ text: `${step.title}: ${step.message ?? 'failed'}`, line: step.line, expected: step.expected, actual: step.actual, evidence: step.evidence && evidenceJson(step.evidence) }, step);
	}
	if (!failed.length && result.status === 'failed') make({ text: result.message ?? 'the scenario failed', line: result.line });
	return out;
}

/** Bot output for the test run's output: the terminal there wants CRLF. */
export function terminalText(text: string): string {
	return `${text.replace(/\r?\n/g, '\r\n')}\r\n`;
}
