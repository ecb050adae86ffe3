/**
 * `graph-calls lint FILE.har [--format text|json|sarif] [--roles R1,R2]`: calling-aware lint over a traffic
 * record. Exit 0 when no finding is an error, 1 when one is, 2 when the file cannot be read or the arguments are
 * wrong (the reason goes to stderr). Core only, so the `graph-calls` bin can call it.
 */
import { readFile } from 'node:fs/promises';
import { HarFormatError, parseHar } from '../core/traffic/harReader';
import { hasErrors, lintTraffic, LINT_RULES } from '../core/traffic/lint';
import { formatJson, formatSarif, formatText, type LintFormat } from '../core/traffic/lintReport';

export interface LintIo {
	readonly stdout: { write(text: string): unknown };
	readonly stderr: { write(text: string): unknown };
}

export const LINT_HELP = `Usage: graph-calls lint FILE.har [--format text|json|sarif] [--roles ROLE,ROLE]

Checks a HAR traffic record of a calling bot against the rules Graph enforces:
${LINT_RULES.map((r) => `  ${r.id.padEnd(20)}${r.summary}`).join('\n')}

Options:
  --format F     text (default), json (rule, severity, message, entry, docs) or sarif (SARIF 2.1.0)
  --roles LIST   application roles of the bot's token, comma-separated (default: the record's _roles)
  --help         this text

Exit code: 0 no error-severity finding, 1 at least one, 2 bad arguments or an unreadable file.
Rules and their sources: docs/lint.md`;

interface LintArgs {
	file: string;
	format: LintFormat;
	roles?: string[];
}

function parseArgs(argv: readonly string[]): LintArgs | { help: true } | { error: string } {
	let file: string | undefined;
	let format: LintFormat = 'text';
	let roles: string[] | undefined;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const value = (): string | undefined => inline ?? argv[++i];
		if (flag === '--help' || flag === '-h') return { help: true };
		if (flag === '--format') {
			const v = value();
			if (v !== 'text' && v !== 'json' && v !== 'sarif') return { error: `--format must be text, json or sarif${v === undefined ? '' : `, not "${v}"`}.` };
			format = v;
		} else if (flag === '--roles') {
			const v = value();
			if (v === undefined) return { error: '--roles needs a comma-separated list of roles.' };
			roles = v.split(',').map((r) => r.trim()).filter(Boolean);
		} else if (flag.startsWith('-') && flag !== '-') {
			return { error: `Unknown option "${flag}".` };
		} else if (file === undefined) {
			file = a;
		} else {
			return { error: `One HAR file at a time: got "${file}" and "${a}".` };
		}
	}
	if (file === undefined) return { error: 'No HAR file given.' };
	return { file, format, roles };
}

export async function runLint(argv: string[], io: LintIo): Promise<number> {
	const args = parseArgs(argv);
	if ('help' in args) {
		io.stdout.write(`${LINT_HELP}\n`);
		return 0;
	}
	if ('error' in args) {
		io.stderr.write(`graph-calls lint: ${args.error}\n${LINT_HELP.split('\n')[0]}\n`);
		return 2;
	}
	let text: string;
	try {
		text = await readFile(args.file, 'utf8');
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
		io.stderr.write(`graph-calls lint: cannot read ${args.file}: ${reason}.\n`);
		return 2;
	}
	let findings;
	try {
		findings = lintTraffic(parseHar(text), { roles: args.roles });
	} catch (err) {
		if (!(err instanceof HarFormatError)) throw err;
		io.stderr.write(`graph-calls lint: ${args.file}: ${err.message}\n`);
		return 2;
	}
	io.stdout.write(args.format === 'json' ? formatJson(args.file, findings) : args.format === 'sarif' ? formatSarif(args.file, findings) : formatText(args.file, findings));
	return hasErrors(findings) ? 1 : 0;
}
