/** The doctor's report for people (text) and for machines (json). */
import type { CheckState, DoctorReport } from './doctorModel';

const MARK: Readonly<Record<CheckState, string>> = { pass: 'PASS', fail: 'FAIL', cannotCheck: 'SKIP' };
const WORD: Readonly<Record<CheckState, string>> = { pass: 'passed', fail: 'failed', cannotCheck: 'could not be checked' };

export function formatDoctorText(report: DoctorReport): string {
	const lines = [`Setup doctor for ${report.profileName}`, ''];
	for (const r of report.results) {
		lines.push(`${MARK[r.state]}  ${r.title}: ${r.detail}`);
		if (r.fix) lines.push(`      ${r.state === 'pass' ? 'Tip' : 'Fix'}: ${r.fix}`);
		if (r.state !== 'pass') lines.push(`      Docs: ${r.docs}`);
	}
	const count = (s: CheckState) => report.results.filter((r) => r.state === s).length;
	lines.push('', (['pass', 'fail', 'cannotCheck'] as const).map((s) => `${count(s)} ${WORD[s]}`).join(', '), '');
	return lines.join('\n');
}

export function formatDoctorJson(report: DoctorReport): string {
	return `${JSON.stringify({ profile: report.profileName, startedAt: report.startedAt, results: report.results }, null, 2)}\n`;
}
