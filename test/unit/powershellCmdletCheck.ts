/**
 * Checks generated PowerShell against the cmdlets of the PowerShell SDK (test/fixtures/sdk-models/powershell-*.json,
 * from the SDK's help pages): the script parses without errors (tree-sitter's PowerShell grammar), imports the module
 * the cmdlet lives in, calls a cmdlet that exists, passes only parameters of one of its parameter sets and every
 * parameter that set requires, and gives -BodyParameter and -Headers a variable holding a hashtable.
 */
import * as path from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';

export interface PowershellParameter {
	readonly type: string;
	readonly required: boolean;
}

export interface PowershellCmdletEntry {
	readonly file: string;
	readonly commit: string | null;
	readonly module: string;
	readonly defaultParameterSet: string;
	readonly parameterSets: Readonly<Record<string, Readonly<Record<string, PowershellParameter>>>>;
	readonly examples: readonly string[];
}

export interface PowershellFixture {
	readonly source: { readonly repo: string };
	readonly cmdlets: Readonly<Record<string, PowershellCmdletEntry>>;
	/** The Graph docs' PowerShell snippets that call these cmdlets: the module each imports and its command line. */
	readonly graphDocsSnippets?: { readonly repo: string; readonly snippets: Readonly<Record<string, { readonly file: string; readonly commit: string | null; readonly module: string | null; readonly line: string }>> };
}

export interface PowershellCall {
	readonly cmdlet: string;
	/** Inside another command's argument, like `ConvertTo-Json` in `-Body ($params | ConvertTo-Json)`. */
	readonly nested: boolean;
	/** Parameter name -> the text of its argument ('' for a switch). */
	readonly args: ReadonlyMap<string, string>;
}

export interface PowershellCheck {
	readonly problems: string[];
	readonly imports: string[];
	readonly calls: PowershellCall[];
	/** The parameter set the call fits, when one does. */
	readonly set?: string;
}

/** tree-sitter's PowerShell grammar (the tree-sitter-powershell package's wasm) in web-tree-sitter. */
export async function powershellParser(root: string): Promise<Parser> {
	await Parser.init();
	const language = await Language.load(path.join(root, 'node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm'));
	const parser = new Parser();
	parser.setLanguage(language);
	return parser;
}

function descendants(node: Node, type: string): Node[] {
	return node.descendantsOfType(type).filter((n): n is Node => n !== null);
}

/** The first syntax error or missing node, with its line. */
function firstError(node: Node): string | undefined {
	if (node.isError || node.isMissing) return `line ${node.startPosition.row + 1}: ${node.isMissing ? 'missing' : 'unexpected'} ${JSON.stringify(node.text.slice(0, 40))}`;
	for (const child of node.children) {
		if (!child) continue;
		const found = child.hasError || child.isMissing ? firstError(child) : undefined;
		if (found) return found;
	}
	return undefined;
}

/** Each command of the script with its parameters and their arguments, and each `$name = value` assignment. */
export function parsePowershell(parser: Parser, code: string): { error?: string; calls: PowershellCall[]; assignments: Map<string, Node> } {
	const tree = parser.parse(code);
	if (!tree) return { error: 'no parse tree', calls: [], assignments: new Map() };
	const root = tree.rootNode;
	const calls: PowershellCall[] = [];
	for (const command of descendants(root, 'command')) {
		const name = command.childForFieldName('command_name')?.text ?? '';
		const elements = command.childForFieldName('command_elements');
		const parts = (elements?.namedChildren ?? []).filter((n): n is Node => n !== null && n.type !== 'command_argument_sep');
		const args = new Map<string, string>();
		for (let i = 0; i < parts.length; i++) {
			if (parts[i].type !== 'command_parameter') {
				args.set(`#${args.size}`, parts[i].text);
				continue;
			}
			const next = parts[i + 1];
			const hasValue = next !== undefined && next.type !== 'command_parameter';
			args.set(parts[i].text.replace(/^-/, '').replace(/:$/, ''), hasValue ? next.text : '');
			if (hasValue) i++;
		}
		let nested = false;
		for (let up = command.parent; up && !nested; up = up.parent) nested = up.type === 'command';
		calls.push({ cmdlet: name, nested, args });
	}
	const assignments = new Map<string, Node>();
	for (const a of descendants(root, 'assignment_expression')) {
		const left = a.child(0)?.text.trim();
		const value = a.childForFieldName('value');
		if (left && value) assignments.set(left.toLowerCase(), value);
	}
	return { error: root.hasError ? (firstError(root) ?? 'syntax error') : undefined, calls, assignments };
}

/** Whether an assignment's value is a hashtable literal, `@{ ... }`. */
function isHashtable(value: Node): boolean {
	let n: Node | null = value;
	// The grammar wraps a literal in a chain of single-child expression nodes.
	while (n && n.type !== 'hash_literal_expression' && n.namedChildCount === 1) n = n.namedChild(0);
	return n?.type === 'hash_literal_expression';
}

/**
 * Checks one generated script: one Import-Module and one call; the call's cmdlet is in `fixture` (or, for
 * Invoke-MgGraphRequest, in `authentication`), the imported module is the cmdlet's, and its parameters fit a set.
 */
export function checkPowershell(parser: Parser, code: string, fixture: PowershellFixture, authentication: PowershellFixture): PowershellCheck {
	const problems: string[] = [];
	const parsed = parsePowershell(parser, code);
	if (parsed.error) problems.push(`does not parse: ${parsed.error}`);
	const imports = parsed.calls.filter((c) => c.cmdlet === 'Import-Module').map((c) => c.args.get('#0') ?? '');
	// Commands inside an argument are PowerShell's own (ConvertTo-Json), not the SDK's.
	const calls = parsed.calls.filter((c) => c.cmdlet !== 'Import-Module' && !c.nested);
	if (imports.length !== 1) problems.push(`${imports.length} Import-Module lines`);
	if (calls.length !== 1) problems.push(`${calls.length} cmdlet calls`);
	const call = calls[0];
	if (!call) return { problems, imports, calls };
	const entry = fixture.cmdlets[call.cmdlet] ?? (call.cmdlet === 'Invoke-MgGraphRequest' ? authentication.cmdlets[call.cmdlet] : undefined);
	if (!entry) {
		problems.push(`${call.cmdlet} is no cmdlet of the SDK's help pages`);
		return { problems, imports, calls };
	}
	if (imports.length === 1 && imports[0] !== entry.module) problems.push(`imports ${imports[0]}, but ${call.cmdlet} is in ${entry.module}`);
	const given = [...call.args.keys()].filter((k) => !k.startsWith('#'));
	const positional = [...call.args.keys()].filter((k) => k.startsWith('#'));
	if (positional.length) problems.push(`${call.cmdlet}: positional arguments ${positional.map((k) => call.args.get(k)).join(', ')}`);
	const set = Object.entries(entry.parameterSets).find(([, ps]) => given.every((g) => ps[g]) && Object.entries(ps).every(([p, v]) => !v.required || given.includes(p)))?.[0];
	if (!set) problems.push(`${call.cmdlet}: no parameter set takes exactly ${given.map((g) => `-${g}`).join(' ') || 'no parameters'} (sets: ${Object.keys(entry.parameterSets).join(', ')})`);
	for (const [name, value] of call.args) {
		if (name.startsWith('#')) continue;
		const declared = set ? entry.parameterSets[set][name] : undefined;
		if (declared && declared.type !== 'switch' && value === '') problems.push(`-${name} has no value`);
		if (name === 'BodyParameter' || name === 'Headers') {
			const assigned = parsed.assignments.get(value.toLowerCase());
			if (!assigned || !isHashtable(assigned)) problems.push(`-${name} ${value} is not a variable holding a hashtable`);
		}
	}
	return { problems, imports, calls, set };
}
