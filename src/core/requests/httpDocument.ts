/**
 * Parser and serialiser for `.http` request documents in the syntax REST Client users know:
 * `METHOD URL [HTTP/1.1]`, headers, a blank line, a body, `###` between requests, `# @name`, `@var = value`.
 * The parser never throws: anything it cannot understand becomes a diagnostic with a line number.
 */

/** Lines and columns are 0-based (like VS Code); messages say "line N" 1-based for people. */
export interface RequestDiagnostic {
	readonly line: number;
	readonly column: number;
	readonly endColumn: number;
	readonly severity: 'error' | 'warning';
	readonly message: string;
}

export interface HttpHeader {
	readonly name: string;
	readonly value: string;
	readonly line: number;
}

export interface HttpRequestBlock {
	/** From `# @name x` or `// @name x`. */
	readonly name?: string;
	readonly method: string;
	/** As written, variables unresolved; continuation lines (`?a=1`, `&b=2`) are joined. */
	readonly url: string;
	readonly headers: readonly HttpHeader[];
	/** Body text as written (trailing blank lines removed), or undefined when there is none. */
	readonly body?: string;
	/** Line of `METHOD URL`: where the CodeLens goes. */
	readonly requestLine: number;
	readonly bodyStartLine?: number;
	/** First and last line of the block, `###` excluded. */
	readonly startLine: number;
	readonly endLine: number;
}

export interface FileVariable {
	readonly name: string;
	readonly value: string;
	readonly line: number;
}

export interface ParsedHttpDocument {
	readonly requests: readonly HttpRequestBlock[];
	readonly variables: readonly FileVariable[];
	readonly diagnostics: readonly RequestDiagnostic[];
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const SEPARATOR = /^\s*###/;
const COMMENT = /^\s*(#|\/\/)/;
const NAME_COMMENT = /^\s*(?:#|\/\/)\s*@name\s+([^\s]+)\s*$/;
const FILE_VARIABLE = /^\s*@([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;
const REQUEST_LINE = /^\s*(?:([A-Za-z]+)\s+)?(\S.*?)(?:\s+HTTP\/[\d.]+)?\s*$/;
const HEADER = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/;
const QUERY_CONTINUATION = /^\s*[?&]\S*\s*$/;

function diag(line: number, text: string, message: string, severity: 'error' | 'warning' = 'error'): RequestDiagnostic {
	const start = text.length - text.trimStart().length;
	return { line, column: start, endColumn: Math.max(start + 1, text.trimEnd().length), severity, message: `Line ${line + 1}: ${message}` };
}

export function parseHttpDocument(text: string): ParsedHttpDocument {
	const lines = text.split(/\r?\n/);
	const requests: HttpRequestBlock[] = [];
	const variables: FileVariable[] = [];
	const diagnostics: RequestDiagnostic[] = [];
	let start = 0;
	for (let i = 0; i <= lines.length; i++) {
		if (i === lines.length || SEPARATOR.test(lines[i])) {
			if (i > start || i === lines.length) parseBlock(lines, start, i - 1, requests, variables, diagnostics);
			start = i + 1;
		}
	}
	const seen = new Map<string, number>();
	for (const v of variables) {
		if (seen.has(v.name)) diagnostics.push(diag(v.line, lines[v.line], `variable @${v.name} is already defined on line ${seen.get(v.name)! + 1}; the later value wins.`, 'warning'));
		seen.set(v.name, v.line);
	}
	return { requests, variables, diagnostics };
}

function parseBlock(lines: readonly string[], first: number, last: number, requests: HttpRequestBlock[], variables: FileVariable[], diagnostics: RequestDiagnostic[]): void {
	let name: string | undefined;
	let i = first;
	// Preamble: blank lines, comments, `# @name`, file variables.
	for (; i <= last; i++) {
		const line = lines[i];
		if (line.trim() === '') continue;
		const named = NAME_COMMENT.exec(line);
		if (named) {
			name = named[1];
			continue;
		}
		if (COMMENT.test(line)) continue;
		const variable = FILE_VARIABLE.exec(line);
		if (variable) {
			variables.push({ name: variable[1], value: variable[2], line: i });
			continue;
		}
		if (line.trimStart().startsWith('@')) {
			diagnostics.push(diag(i, line, 'a file variable needs the form `@name = value`.'));
			continue;
		}
		break;
	}
	if (i > last) {
		if (name) diagnostics.push(diag(first, lines[first] ?? '', `request "${name}" has a name but no request line; add one such as \`GET /communications/calls/{{callId}}\`.`, 'warning'));
		return;
	}

	const requestLine = i;
	const m = REQUEST_LINE.exec(lines[i]);
	const method = m?.[1]?.toUpperCase() ?? (m ? 'GET' : undefined);
	if (!m || !method || !(HTTP_METHODS as readonly string[]).includes(method) || !looksLikeUrl(m[2])) {
		const reason = m?.[1] && !(HTTP_METHODS as readonly string[]).includes(m[1].toUpperCase())
			? `"${m[1]}" is not an HTTP method; use one of ${HTTP_METHODS.join(', ')}.`
			: 'expected a request line such as `POST /communications/calls/{{callId}}/playPrompt` (method, then an absolute URL or a path starting with /).';
		diagnostics.push(diag(i, lines[i], reason));
		// Skip to the next separator: guessing where this request ends would only add noise.
		return;
	}
	let url = m[2];
	i++;
	for (; i <= last && QUERY_CONTINUATION.test(lines[i]); i++) url += lines[i].trim();

	const headers: HttpHeader[] = [];
	for (; i <= last; i++) {
		const line = lines[i];
		if (line.trim() === '') break;
		if (COMMENT.test(line) && !HEADER.test(line)) continue;
		const h = HEADER.exec(line);
		if (!h) {
			diagnostics.push(diag(i, line, `"${line.trim()}" is not a header (\`Name: value\`). Put a blank line between the headers and the body.`));
			continue;
		}
		headers.push({ name: h[1], value: h[2], line: i });
	}
	// The body runs from after the blank line to the end of the block, without trailing blank or comment-only lines.
	let bodyEnd = last;
	while (bodyEnd > i && (lines[bodyEnd].trim() === '' || COMMENT.test(lines[bodyEnd]))) bodyEnd--;
	let bodyStart = i + 1;
	while (bodyStart <= bodyEnd && lines[bodyStart].trim() === '') bodyStart++;
	let body: string | undefined;
	if (bodyStart <= bodyEnd) {
		body = lines.slice(bodyStart, bodyEnd + 1).join('\n');
		const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
		if (!contentType || /json/i.test(contentType)) {
			const problem = jsonProblem(body);
			if (problem) {
				const line = bodyStart + problem.line;
				diagnostics.push({ line, column: problem.column, endColumn: problem.column + 1, severity: 'error', message: `Line ${line + 1}: the JSON body is not valid: ${problem.message}` });
			}
		}
		if (method === 'GET' || method === 'DELETE') {
			diagnostics.push(diag(bodyStart, lines[bodyStart], `a ${method} request has no body in the Graph calls API; it will be sent without one.`, 'warning'));
			body = undefined;
		}
	}
	requests.push({ name, method, url, headers, body, requestLine, bodyStartLine: body !== undefined ? bodyStart : undefined, startLine: first, endLine: last });
}

function looksLikeUrl(s: string): boolean {
	return s.startsWith('/') || /^https?:\/\//i.test(s) || s.startsWith('{{');
}

/**
 * Where a JSON body is broken, as a 0-based line and column inside the body. `{{variables}}` count as valid:
 * inside a string as letters, elsewhere as a number.
 */
export function jsonProblem(body: string): { line: number; column: number; message: string } | undefined {
	const masked = maskVariables(body);
	try {
		JSON.parse(masked);
		return undefined;
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		const pos = /position (\d+)/.exec(message);
		const offset = pos ? Number(pos[1]) : masked.length;
		const before = body.slice(0, offset).split('\n');
		return { line: before.length - 1, column: before[before.length - 1].length, message: cleanJsonMessage(message) };
	}
}

/** V8's JSON errors quote a slice of the input (`Unexpected token '}', ..."\n  "b"... is not valid JSON`): keep the reason only. */
function cleanJsonMessage(message: string): string {
	return message
		.replace(/ in JSON at position \d+[\s\S]*$/, '')
		.replace(/,\s*(?:\.\.\.)?"[\s\S]*$/, '')
		.trim();
}

function maskVariables(body: string): string {
	let out = '';
	let inString = false;
	for (let i = 0; i < body.length; i++) {
		const c = body[i];
		if (c === '{' && body[i + 1] === '{') {
			const end = body.indexOf('}}', i + 2);
			if (end > 0) {
				const len = end + 2 - i;
				out += inString ? 'x'.repeat(len) : '1' + '0'.repeat(len - 1);
				i = end + 1;
				continue;
			}
		}
		if (inString && c === '\\') {
			out += c + (body[i + 1] ?? '');
			i++;
			continue;
		}
		if (c === '"') inString = !inString;
		out += c;
	}
	return out;
}

/** A request to write as `.http` text. */
export interface SerialisableRequest {
	readonly name?: string;
	readonly comment?: string;
	readonly method: string;
	readonly url: string;
	readonly headers?: Readonly<Record<string, string>> | readonly { name: string; value: string }[];
	/** A string is written as is; anything else as pretty JSON. */
	readonly body?: unknown;
}

export function serialiseRequest(req: SerialisableRequest): string {
	const out: string[] = [];
	if (req.comment) for (const line of req.comment.split('\n')) out.push(`# ${line}`);
	if (req.name) out.push(`# @name ${req.name}`);
	out.push(`${req.method.toUpperCase()} ${req.url}`);
	const headers = Array.isArray(req.headers) ? req.headers : Object.entries(req.headers ?? {}).map(([name, value]) => ({ name, value }));
	const hasBody = req.body !== undefined && req.body !== null && req.body !== '';
	if (hasBody && !headers.some((h) => h.name.toLowerCase() === 'content-type')) out.push('Content-Type: application/json');
	for (const h of headers) out.push(`${h.name}: ${h.value}`);
	if (hasBody) {
		out.push('');
		out.push(typeof req.body === 'string' ? req.body : JSON.stringify(req.body, null, 2));
	}
	return out.join('\n') + '\n';
}

/** Several requests joined with `###`, with optional file variables on top. */
export function serialiseDocument(requests: readonly SerialisableRequest[], variables: Readonly<Record<string, string>> = {}): string {
	const head = Object.entries(variables).map(([k, v]) => `@${k} = ${v}`).join('\n');
	const body = requests.map(serialiseRequest).join('\n###\n\n');
	return head ? `${head}\n\n###\n\n${body}` : body;
}
