/**
 * Calling-aware lint over a traffic record (src/core/traffic/trafficRecord.ts): a live recording, a HAR file or
 * a scenario run. Each rule says where in the Graph docs its rule comes from; docs/lint.md explains them.
 */
import { callbackSlow, operationOverlap } from './callbackRules';
import { answerLate, callbackNotHttps, createRetried, keepAliveMissing, missingTenantId, requestAfterEnd } from './callRules';
import { TrafficView, type Finding, type LintOptions, type LintRule, type Severity } from './lintModel';
import { unusedPermission } from './permissionRule';
import type { TrafficLog } from './trafficRecord';

export type { Finding, LintOptions, LintRule, Severity } from './lintModel';

export const LINT_RULES: readonly LintRule[] = [answerLate, keepAliveMissing, createRetried, missingTenantId, callbackSlow, operationOverlap, unusedPermission, callbackNotHttps, requestAfterEnd];

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Every finding, in entry order (then most severe first). */
export function lintTraffic(log: TrafficLog, options: LintOptions = {}): Finding[] {
	const view = new TrafficView(log, options);
	return LINT_RULES.flatMap((r) => r.check(view, options)).sort((a, b) => a.entry - b.entry || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule));
}

export function hasErrors(findings: readonly Finding[]): boolean {
	return findings.some((f) => f.severity === 'error');
}
