/**
 * `{{variable}}` resolution for request documents. Values come from, in order: the document's file variables
 * (`@name = value`), then the context (selected call/participant, active profile), then a few system variables.
 * Unknown names are reported with their position before anything is sent.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { FileVariable, HttpRequestBlock, ParsedHttpDocument, RequestDiagnostic } from './httpDocument';

/** The names the extension fills in from the selected tree node and the active profile. */
export const CONTEXT_VARIABLES = ['callId', 'participantId', 'operationId', 'callbackUri', 'tenantId', 'clientId', 'userId'] as const;
export type ContextVariable = (typeof CONTEXT_VARIABLES)[number];

/** Where each context variable comes from, for the "unknown variable" message. */
const CONTEXT_SOURCES: Record<ContextVariable, string> = {
	callId: 'select a call in the Calls view, or create one first',
	participantId: 'select a participant in the Calls view',
	operationId: 'select an operation in the Calls view',
	callbackUri: "set the profile's callback URL",
	tenantId: 'add or select a tenant profile',
	clientId: 'add or select a tenant profile',
	userId: 'set graphCalls.requests.variables.userId in the settings',
};

export type VariableValues = Readonly<Record<string, string | undefined>>;

export interface VariableReference {
	readonly name: string;
	readonly line: number;
	readonly column: number;
	readonly endColumn: number;
}

export interface ResolvedRequest {
	readonly name?: string;
	readonly method: string;
	readonly url: string;
	readonly headers: readonly { name: string; value: string }[];
	readonly body?: string;
}

const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const MAX_DEPTH = 10;

export function findVariableReferences(text: string, firstLine = 0): VariableReference[] {
	const refs: VariableReference[] = [];
	text.split(/\r?\n/).forEach((line, i) => {
		for (const m of line.matchAll(REFERENCE)) refs.push({ name: m[1], line: firstLine + i, column: m.index, endColumn: m.index + m[0].length });
	});
	return refs;
}

/** System variables REST Client users know. `$processEnv` and `$dotenv` are deliberately absent: a workspace file must not read secrets. */
function systemValue(name: string): string | undefined {
	if (name === '$guid') return randomUUID();
	if (name === '$timestamp') return String(Math.floor(Date.now() / 1000));
	if (name === '$datetime iso8601' || name === '$datetime') return new Date().toISOString();
	const r = /^\$randomInt\s+(-?\d+)\s+(-?\d+)$/.exec(name);
	if (r && Number(r[1]) < Number(r[2])) return String(randomInt(Number(r[1]), Number(r[2])));
	return undefined;
}

export class VariableResolver {
	private readonly file = new Map<string, string>();

	constructor(fileVariables: readonly FileVariable[], private readonly context: VariableValues) {
		for (const v of fileVariables) this.file.set(v.name, v.value);
	}

	/** The value of one name, or undefined when nothing defines it. */
	value(name: string, depth = 0): string | undefined {
		if (depth > MAX_DEPTH) return undefined;
		const fromFile = this.file.get(name);
		if (fromFile !== undefined) {
			const r = this.substitute(fromFile, depth + 1);
			return r.unknown.length ? undefined : r.text;
		}
		const fromContext = this.context[name];
		if (fromContext !== undefined && fromContext !== '') return fromContext;
		return systemValue(name);
	}

	/** Replaces every `{{name}}`; names without a value are left in place and listed. */
	substitute(text: string, depth = 0): { text: string; unknown: string[] } {
		const unknown: string[] = [];
		const out = text.replace(REFERENCE, (whole, name: string) => {
			const v = this.value(name, depth);
			if (v === undefined) {
				unknown.push(name);
				return whole;
			}
			return v;
		});
		return { text: out, unknown };
	}

	/** The request with every variable replaced, and the names that had no value. */
	resolve(block: HttpRequestBlock): { request: ResolvedRequest; unknown: string[] } {
		const unknown = new Set<string>();
		const sub = (s: string) => {
			const r = this.substitute(s);
			r.unknown.forEach((u) => unknown.add(u));
			return r.text;
		};
		const request: ResolvedRequest = {
			name: block.name,
			method: block.method,
			url: sub(block.url),
			headers: block.headers.map((h) => ({ name: h.name, value: sub(h.value) })),
			body: block.body === undefined ? undefined : sub(block.body),
		};
		return { request, unknown: [...unknown] };
	}
}

/** Diagnostics for every `{{name}}` in the document's requests that nothing defines, with what to do about it. */
export function unknownVariableDiagnostics(text: string, doc: ParsedHttpDocument, context: VariableValues): RequestDiagnostic[] {
	const lines = text.split(/\r?\n/);
	const resolver = new VariableResolver(doc.variables, context);
	const out: RequestDiagnostic[] = [];
	const ranges: [number, number][] = [...doc.requests.map((r): [number, number] => [r.requestLine, r.endLine]), ...doc.variables.map((v): [number, number] => [v.line, v.line])];
	for (const [from, to] of ranges) {
		for (const ref of findVariableReferences(lines.slice(from, to + 1).join('\n'), from)) {
			if (resolver.value(ref.name) !== undefined) continue;
			out.push({ line: ref.line, column: ref.column, endColumn: ref.endColumn, severity: 'error', message: `Line ${ref.line + 1}: ${describeUnknown(ref.name)}` });
		}
	}
	return out;
}

export function describeUnknown(name: string): string {
	if ((CONTEXT_VARIABLES as readonly string[]).includes(name)) return `{{${name}}} has no value: ${CONTEXT_SOURCES[name as ContextVariable]}, or define it in the document with \`@${name} = value\`.`;
	if (name.startsWith('$')) return `{{${name}}} is not a supported system variable (supported: $guid, $timestamp, $datetime iso8601, $randomInt min max).`;
	return `{{${name}}} is not defined: add \`@${name} = value\` to the document.`;
}
