/** Text of the calls tree's rows and tooltips: Markdown that shows what Graph sent literally. */
import type { CallLintInfo } from './callsTreeNodes';

export function shortId(id: string): string {
	return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/**
 * Text from Graph (names, messages) as literal Markdown: every punctuation mark that could start a link, an
 * autolink (`:` of a scheme, `.` of www.), HTML or emphasis is escaped.
 */
export function md(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>~:&]/g, '\\$&');
}

export function code(text: string): string {
	return '`' + text.replace(/`/g, "'") + '`';
}

const LINT_ICONS = { error: '$(error)', warning: '$(warning)', info: '$(info)' } as const;

/** A call's lint findings for the end of its tooltip: the first few, and how many more. */
export function lintTooltip(findings: ReturnType<CallLintInfo['forCall']>): string {
	if (!findings.length) return '';
	const shown = findings.slice(0, 5).map((f) => `- ${LINT_ICONS[f.severity]} ${code(f.rule)}: ${md(f.message)}`);
	const more = findings.length > shown.length ? [`- and ${findings.length - shown.length} more (Show Lint Findings)`] : [];
	return ['', '', '**Lint**', '', ...shown, ...more].join('\n');
}
