/** JavaScript with the Microsoft Graph JS client (`@microsoft/microsoft-graph-client`), in the docs' snippet style. */
import type { CodeRequest } from './codeRequest';
import { extraHeaders } from './codeRequest';
import { javascriptBodyName, javascriptResultName } from './graphModel';
import { javascriptString } from './stringLiterals';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const str = (s: string): string => javascriptString(s);

export function javascriptLiteral(value: unknown, indent = ''): string {
	const inner = indent + '  ';
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return str(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		return `[\n${value.map((v) => inner + javascriptLiteral(v, inner)).join(',\n')}\n${indent}]`;
	}
	const entries = Object.entries(value as Record<string, unknown>);
	if (entries.length === 0) return '{}';
	return `{\n${entries.map(([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : str(k)}: ${javascriptLiteral(v, inner)}`).join(',\n')}\n${indent}}`;
}

export function javascriptCode(req: CodeRequest): string {
	const out = ['const options = {', '\tauthProvider,', '};', '', 'const client = Client.init(options);', ''];
	const row = req.match?.row;
	const bodyName = row ? javascriptBodyName(row) : 'body';
	const body = req.body !== undefined ? javascriptLiteral(req.body) : req.rawBody !== undefined ? str(req.rawBody) : undefined;
	if (body !== undefined) out.push(`const ${bodyName} = ${body};`, '');
	const chain: string[] = [];
	if (req.version === 'beta') chain.push(`.version('beta')`);
	for (const h of extraHeaders(req)) chain.push(`.header(${str(h.name)}, ${str(h.value)})`);
	const isGraph = !!row;
	const target = isGraph ? req.relativeUrl : req.url;
	let call: string;
	let prefix = 'await ';
	switch (req.method) {
		case 'GET':
			call = '.get()';
			prefix = `let ${row ? javascriptResultName(row) : 'result'} = await `;
			break;
		case 'DELETE':
			call = '.delete()';
			break;
		case 'PATCH':
			call = body !== undefined ? `.update(${bodyName})` : '.update({})';
			break;
		case 'PUT':
			call = body !== undefined ? `.put(${bodyName})` : '.put({})';
			break;
		default:
			call = body !== undefined ? `.post(${bodyName})` : '.post()';
	}
	chain.push(call);
	out.push(`${prefix}client.api(${str(target)})`);
	out.push(...chain.map((c) => `\t${c}`));
	out[out.length - 1] += ';';
	return out.join('\n') + '\n';
}
