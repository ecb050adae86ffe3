/**
 * Calling-aware lint over a traffic record (src/core/traffic/trafficRecord.ts): a live recording, a HAR file or
 * a scenario run. Each rule says where in the Graph docs its rule comes from; docs/lint.md explains them.
 */
import { callbackSlow, operationOverlap } from './callbackRules';
import { answerLate, callbackNotHttps, createRetried, keepAliveMissing, missingTenantId, requestAfterEnd } from './callRules';
import { callKey, TrafficView, type Finding, type IndexedEntry, type LintOptions, type LintRule, type Severity } from './lintModel';
import { unusedPermission } from './permissionRule';
import type { TrafficLog } from './trafficRecord';

export type { Finding, LintOptions, LintRule, Severity } from './lintModel';

export const LINT_RULES: readonly LintRule[] = [answerLate, keepAliveMissing, createRetried, missingTenantId, callbackSlow, operationOverlap, unusedPermission, callbackNotHttps, requestAfterEnd];

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Every finding, in entry order (then most severe first). */
export function lintTraffic(log: TrafficLog, options: LintOptions = {}): Finding[] {
	const view = new TrafficView(log, options);
	return LINT_RULES.flatMap((r) => r.check(view, options).map((f) => {
		const callId = r.wholeRecord ? undefined : f.callId ?? callOfEntry(view.entries[f.entry]);
		return callId ? { ...f, callId } : f;
	})).sort((a, b) => a.entry - b.entry || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule));
}

/** The call an entry is about: the feed's own `_callId`, the call in its URL or notifications, or the one a create made. */
function callOfEntry(e: IndexedEntry | undefined): string | undefined {
	if (!e) return undefined;
	if (e.entry._callId) return callKey(e.entry._callId);
	if (e.callId) return e.callId;
	const id = e.action === 'call.create' ? e.responseJson()?.id : undefined;
	return typeof id === 'string' ? callKey(id) : undefined;
}

export function hasErrors(findings: readonly Finding[]): boolean {
	return findings.some((f) => f.severity === 'error');
}
