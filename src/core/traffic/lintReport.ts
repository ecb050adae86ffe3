/** Lint findings as text (people), JSON (scripts) and SARIF 2.1.0 (CI systems that annotate files inline). */
import { LINT_RULES, type Finding, type LintRule } from './lint';

export type LintFormat = 'text' | 'json' | 'sarif';

export function formatText(file: string, findings: readonly Finding[]): string {
	if (!findings.length) return `${file}: no findings\n`;
	const lines = findings.map((f) => `${file}: entry ${f.entry}: ${f.severity} ${f.rule}: ${f.message}\n  ${f.docs}`);
	const errors = findings.filter((f) => f.severity === 'error').length;
	return `${lines.join('\n')}\n${findings.length} finding(s), ${errors} error(s)\n`;
}

export function formatJson(file: string, findings: readonly Finding[]): string {
	return `${JSON.stringify({ file, findings: findings.map(({ rule, severity, message, entry, docs }) => ({ rule, severity, message, entry, docs })) }, null, 2)}\n`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function sarifRule(r: LintRule) {
	return {
		id: r.id,
		name: r.id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
		shortDescription: { text: r.summary },
		helpUri: r.docs,
		defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
	};
}

/**
 * SARIF 2.1.0. A HAR has no lines worth pointing at, so each result's location is the HAR file with a logical
 * location naming the entry (`log.entries[12]`), which CI viewers show next to the file.
 */
export function formatSarif(file: string, findings: readonly Finding[], toolVersion?: string): string {
	const index = new Map(LINT_RULES.map((r, i) => [r.id, i]));
	const sarif = {
		version: '2.1.0',
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		runs: [{
			tool: { driver: { name: 'graph-calls lint', informationUri: 'https://github.com/graph-calls-workbench/graph-calls-workbench/blob/main/docs/lint.md', ...(toolVersion ? { version: toolVersion } : {}), rules: LINT_RULES.map(sarifRule) } },
			artifacts: [{ location: { uri: file } }],
			results: findings.map((f) => ({
				ruleId: f.rule,
				ruleIndex: index.get(f.rule) ?? -1,
				level: SARIF_LEVEL[f.severity],
				message: { text: `${f.message} (${f.docs})` },
				locations: [{
					physicalLocation: { artifactLocation: { uri: file, index: 0 } },
					logicalLocations: [{ fullyQualifiedName: `log.entries[${f.entry}]`, kind: 'element' }],
				}],
				properties: { entry: f.entry, docs: f.docs },
			})),
		}],
	};
	return `${JSON.stringify(sarif, null, 2)}\n`;
}
