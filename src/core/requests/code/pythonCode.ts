/** Python for the Microsoft Graph Python SDK (msgraph-sdk), in the style of the docs' Python tab. */
import type { CodeRequest } from './codeRequest';
import { extraHeaders } from './codeRequest';
import { pythonString } from './stringLiterals';
import { bodyClass, classOf, enumMember, idNames, pathSegments, propertyType, pythonProperty, returnsResult, snake, untypedOf, type ModelClass, type TypeRef } from './graphModel';

const str = (s: string): string => pythonString(s);

/** Kiota appends `_` to a member that is a Python keyword (RejectReason.None_ for `none`). */
const PYTHON_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const pythonEnumMember = (value: string): string => (PYTHON_KEYWORDS.has(enumMember(value)) ? `${enumMember(value)}_` : enumMember(value));

function primitive(value: unknown): string {
	if (value === null || value === undefined) return 'None';
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (typeof value === 'string') return str(value);
	return String(value);
}

class PythonWriter {
	readonly imports = new Set<string>();

	constructor(private readonly pkg: string) {}

	model(name: string): string {
		this.imports.add(`from ${this.pkg}.generated.models.${snake(name)} import ${name}`);
		return name;
	}

	value(value: unknown, type: TypeRef, indent: string): string {
		const inner = indent + '\t';
		if (Array.isArray(value)) {
			const item: TypeRef = type.kind === 'list' ? type.item : { kind: 'primitive' };
			if (value.length === 0) return '[]';
			return `[\n${value.map((v) => `${inner}${type.kind === 'list' ? this.value(v, item, inner) : this.value(v, untypedOf(v), inner)},`).join('\n')}\n${indent}]`;
		}
		if (value && typeof value === 'object') {
			const cls = classOf(value, type);
			return cls ? this.object(value as Record<string, unknown>, cls, indent) : this.dict(value as Record<string, unknown>, indent);
		}
		if (type.kind === 'enum' && typeof value === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(value)) return `${this.model(type.name)}.${pythonEnumMember(value)}`;
		return primitive(value);
	}

	/** `Class(prop = value, ...)`; properties the class lacks go to additional_data. */
	object(value: Record<string, unknown>, cls: ModelClass, indent: string, name = this.model(cls.name)): string {
		const inner = indent + '\t';
		const lines: string[] = [];
		const additional: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) {
			const type = propertyType(cls, k, v);
			// Names that are no Python identifier as they are stay exact as additional_data keys.
			if (!type || (k !== '@odata.type' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) {
				additional[k] = v;
				continue;
			}
			lines.push(`${inner}${pythonProperty(k)} = ${this.value(v, type, inner)},`);
		}
		if (Object.keys(additional).length) lines.push(`${inner}additional_data = ${this.dict(additional, inner)},`);
		return `${name}(\n${lines.join('\n')}${lines.length ? '\n' : ''}${indent})`;
	}

	/** A dict of plain JSON; a value whose @odata.type names a model is written as that model. */
	dict(value: Record<string, unknown>, indent: string): string {
		const inner = indent + '\t';
		const entries = Object.entries(value);
		if (entries.length === 0) return '{}';
		return `{\n${entries.map(([k, v]) => `${inner}${str(k)} : ${this.value(v, untypedOf(v), inner)},`).join('\n')}\n${indent}}`;
	}
}

export function pythonCode(req: CodeRequest): string {
	const row = req.match?.row;
	if (!row || req.rawBody !== undefined) return pythonHttpx(req);
	const pkg = req.version === 'beta' ? 'msgraph_beta' : 'msgraph';
	const w = new PythonWriter(pkg);
	const body: string[] = [];
	const cls = bodyClass(row);
	let bodyImport: string | undefined;
	if (req.body !== undefined && cls) {
		if (cls.segments.length) {
			bodyImport = `from ${pkg}.generated.${cls.segments.map(snake).join('.')}.${snake(cls.name)} import ${cls.name}`;
			body.push(`request_body = ${w.object(req.body as Record<string, unknown>, cls, '', cls.name)}`, '');
		} else {
			body.push(`request_body = ${w.object(req.body as Record<string, unknown>, cls, '')}`, '');
		}
	}
	const out = ['# Code snippets are only available for the latest version. Current version is 1.x', `from ${pkg} import GraphServiceClient`];
	if (bodyImport) out.push(bodyImport);
	out.push(...[...w.imports].sort());
	const headers = extraHeaders(req);
	if (headers.length) out.push('from kiota_abstractions.base_request_configuration import RequestConfiguration');
	out.push('# To initialize your graph_client, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=python');
	out.push(...body);
	let chain = 'graph_client';
	for (const seg of pathSegments(row)) {
		if (seg.param) {
			const value = req.match!.params[seg.param];
			const names = idNames(seg.param);
			chain += `.by_${names.python}(${/^\{\{.*\}\}$/.test(value) ? `'${names.python.replace(/_/g, '-')}'` : pythonString(value, "'")})`;
		} else {
			chain += `.${snake(seg.name)}`;
		}
	}
	const args: string[] = [];
	if (req.body !== undefined && cls) args.push('request_body');
	if (headers.length) {
		out.push('request_configuration = RequestConfiguration()');
		for (const h of headers) out.push(`request_configuration.headers.add(${str(h.name)}, ${str(h.value)})`);
		out.push('');
		args.push('request_configuration = request_configuration');
	}
	out.push(`${returnsResult(row) ? 'result = ' : ''}await ${chain}.${req.method.toLowerCase()}(${args.join(', ')})`);
	return out.join('\n') + '\n';
}

/** No request builder for this URL (or a body that is not JSON): httpx, token from the caller. */
function pythonHttpx(req: CodeRequest): string {
	const w = new PythonWriter('msgraph');
	const out = ['import httpx', '', '# No msgraph-sdk request builder matches this request: plain HTTP. Get access_token from your credential; never hard-code it.'];
	const headers: Record<string, string> = { Authorization: '__TOKEN__' };
	for (const h of extraHeaders(req)) headers[h.name] = h.value;
	const headerText = w.dict(headers, '').replace('"__TOKEN__"', 'f"Bearer {access_token}"');
	out.push(`headers = ${headerText}`);
	const args = [str(req.method), str(req.url), 'headers = headers'];
	if (req.body !== undefined) {
		out.push(`body = ${w.dict({ value: req.body }, '').replace(/^\{\n\t"value" : /, '').replace(/,\n\}$/, '').replace(/\n\t/g, '\n')}`);
		args.push('json = body');
	} else if (req.rawBody !== undefined) {
		out.push(`body = ${str(req.rawBody)}`);
		args.push('content = body');
	}
	out.push(`response = httpx.request(${args.join(', ')})`, 'response.raise_for_status()');
	return out.join('\n') + '\n';
}
