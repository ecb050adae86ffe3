/**
 * The setup doctor's vocabulary: one row per check, each pass / fail / cannot-check with the reason, the fix and
 * a docs link. The checks live beside this file; the runner is doctor.ts. No 'vscode' here: the command line and
 * the VS Code view show the same results. The checks' names are in src/core/setup/doctorChecks.ts.
 */
import { checkInfo, type DoctorCheckId } from '../setup/doctorChecks';

export { DOCTOR_CHECKS, checkInfo, type DoctorCheckId, type DoctorCheckInfo } from '../setup/doctorChecks';

export type CheckState = 'pass' | 'fail' | 'cannotCheck';

export interface CheckResult {
	readonly id: DoctorCheckId;
	readonly title: string;
	readonly state: CheckState;
	/** What was found (pass), what is wrong (fail) or why it could not be checked (cannotCheck). Never a secret. */
	readonly detail: string;
	/** What to do; present when the state is fail or cannotCheck, sometimes on a pass (least privilege). */
	readonly fix?: string;
	readonly docs: string;
}

export function pass(id: DoctorCheckId, detail: string, fix?: string): CheckResult {
	const { title, docs } = checkInfo(id);
	return { id, title, state: 'pass', detail, ...(fix ? { fix } : {}), docs };
}

export function fail(id: DoctorCheckId, detail: string, fix: string, docs?: string): CheckResult {
	const info = checkInfo(id);
	return { id, title: info.title, state: 'fail', detail, fix, docs: docs ?? info.docs };
}

export function cannotCheck(id: DoctorCheckId, detail: string, fix?: string): CheckResult {
	const { title, docs } = checkInfo(id);
	return { id, title, state: 'cannotCheck', detail, ...(fix ? { fix } : {}), docs };
}

/** The doctor's answer: every check, in DOCTOR_CHECKS order. */
export interface DoctorReport {
	readonly profileName: string;
	readonly startedAt: string;
	readonly results: readonly CheckResult[];
}

export function hasFailures(report: Pick<DoctorReport, 'results'>): boolean {
	return report.results.some((r) => r.state === 'fail');
}
