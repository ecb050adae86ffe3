/**
 * PowerShell with the Microsoft.Graph cmdlets, in the docs' snippet style. The cmdlet comes from the endpoint table;
 * its module and the parameter set used come from the PowerShell SDK's own help (powershellCmdletTable.ts). A request
 * no parameter set of the cmdlet can send (a query option it has no parameter for, a body it takes no -BodyParameter
 * for, a body that is not JSON) is written with Invoke-MgGraphRequest instead, which sends any request as it is.
 */
import type { CodeRequest } from './codeRequest';
import { extraHeaders } from './codeRequest';
import { idNames } from './graphModel';
import { POWERSHELL_CMDLETS } from './powershellCmdletTable';
import { powershellString } from './stringLiterals';

const BARE_KEY = /^[A-Za-z_][\w]*$/;

const str = (s: string): string => powershellString(s);

export function powershellLiteral(value: unknown, indent = ''): string {
	const inner = indent + '\t';
	if (value === null || value === undefined) return '$null';
	if (typeof value === 'boolean') return value ? '$true' : '$false';
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return str(value);
	if (Array.isArray(value)) {
		if (value.length === 0) return '@()';
		return `@(\n${value.map((v) => inner + powershellLiteral(v, inner)).join('\n')}\n${indent})`;
	}
	const entries = Object.entries(value as Record<string, unknown>);
	if (entries.length === 0) return '@{}';
	return `@{\n${entries.map(([k, v]) => `${inner}${BARE_KEY.test(k) ? k : str(k)} = ${powershellLiteral(v, inner)}`).join('\n')}\n${indent}}`;
}

/**
 * OData query options and the parameters the generated Get cmdlets take for them (their help pages: -Property "Select
 * properties to be returned", -ExpandProperty "Expand related entities", -Filter, -Search, -Sort "Order items by property
 * values", -Top "Show only the first n items", -Skip). `$count` has no parameter that sends it as it is.
 */
const QUERY_PARAMETERS: Readonly<Record<string, { readonly name: string; readonly kind: 'list' | 'text' | 'int' }>> = {
	$select: { name: 'Property', kind: 'list' },
	$expand: { name: 'ExpandProperty', kind: 'list' },
	$filter: { name: 'Filter', kind: 'text' },
	$search: { name: 'Search', kind: 'text' },
	$orderby: { name: 'Sort', kind: 'list' },
	$top: { name: 'Top', kind: 'int' },
	$skip: { name: 'Skip', kind: 'int' },
};

interface Argument {
	readonly name: string;
	/** PowerShell text of the value. */
	readonly value: string;
}

/** Splits `a,b(c,d),e` at the commas outside parentheses. */
function splitList(s: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '(') depth++;
		else if (s[i] === ')') depth--;
		else if (s[i] === ',' && depth === 0) {
			out.push(s.slice(start, i));
			start = i + 1;
		}
	}
	out.push(s.slice(start));
	return out.map((x) => x.trim()).filter(Boolean);
}

/** The query options as cmdlet arguments, or undefined when one has no parameter. */
function queryArguments(url: string): Argument[] | undefined {
	let params: URLSearchParams;
	try {
		params = new URL(url).searchParams;
	} catch {
		return undefined;
	}
	const out: Argument[] = [];
	for (const [key, value] of params) {
		const p = QUERY_PARAMETERS[key.toLowerCase()];
		if (!p || out.some((a) => a.name === p.name)) return undefined;
		if (p.kind === 'int') {
			if (!/^\d{1,9}$/.test(value)) return undefined;
			out.push({ name: p.name, value });
		} else if (p.kind === 'list') {
			const items = splitList(value);
			if (!items.length) return undefined;
			out.push({ name: p.name, value: items.map(str).join(',') });
		} else {
			out.push({ name: p.name, value: str(value) });
		}
	}
	return out;
}

/** Parameter names of a table entry (`!` marks a required one). */
const paramName = (p: string): string => p.replace(/^!/, '');

/** The cmdlet call for the request, or undefined when no parameter set of the cmdlet can send it. */
function cmdletCode(req: CodeRequest, cmdletName: string): string | undefined {
	const cmdlet = POWERSHELL_CMDLETS[cmdletName];
	if (!cmdlet || req.rawBody !== undefined) return undefined;
	// -BodyParameter takes a hashtable; a JSON array or scalar body has no cmdlet form.
	if (req.body !== undefined && (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body))) return undefined;
	const query = queryArguments(req.url);
	if (!query) return undefined;
	const ids: string[] = [];
	const args: Argument[] = [];
	for (const [param, value] of Object.entries(req.match!.params)) {
		const name = idNames(param).powershell;
		const variable = `$${name.charAt(0).toLowerCase()}${name.slice(1)}`;
		args.push({ name, value: variable });
		// Concrete ids become variables on top; unresolved {{placeholders}} are left for the reader to fill in.
		if (!/^\{\{.*\}\}$|^\{.*\}$/.test(value)) ids.push(`${variable} = ${str(value)}`);
	}
	args.push(...query);
	if (req.body !== undefined) args.push({ name: 'BodyParameter', value: '$params' });
	const headers = extraHeaders(req);
	if (headers.length) args.push({ name: 'Headers', value: '$headers' });
	const wanted = args.map((a) => a.name);
	const fits = Object.values(cmdlet.sets).some((set) => wanted.every((w) => set.some((p) => paramName(p) === w)) && set.filter((p) => p.startsWith('!')).every((p) => wanted.includes(paramName(p))));
	if (!fits) return undefined;
	const out = [`Import-Module ${cmdlet.module}`, ''];
	if (ids.length) out.push(...ids, '');
	if (req.body !== undefined) out.push(`$params = ${powershellLiteral(req.body)}`, '');
	if (headers.length) out.push(`$headers = ${powershellLiteral(Object.fromEntries(headers.map((h) => [h.name, h.value])))}`, '');
	out.push([cmdletName, ...args.map((a) => `-${a.name} ${a.value}`)].join(' '));
	return out.join('\n') + '\n';
}

/** Invoke-MgGraphRequest (Microsoft.Graph.Authentication) sends any request with the signed-in context. */
function graphRequestCode(req: CodeRequest): string {
	const params = req.body !== undefined ? powershellLiteral(req.body) : req.rawBody !== undefined ? str(req.rawBody) : undefined;
	const out = ['Import-Module Microsoft.Graph.Authentication', ''];
	if (params) out.push(`$params = ${params}`, '');
	const headers = extraHeaders(req);
	if (headers.length) out.push(`$headers = ${powershellLiteral(Object.fromEntries(headers.map((h) => [h.name, h.value])))}`, '');
	let line = `Invoke-MgGraphRequest -Method ${/^[A-Z]+$/.test(req.method) ? req.method : str(req.method)} -Uri ${str(req.url)}`;
	if (params) line += req.body !== undefined ? ' -Body ($params | ConvertTo-Json -Depth 10) -ContentType "application/json"' : ' -Body $params -ContentType "application/json"';
	if (headers.length) line += ' -Headers $headers';
	out.push(line);
	return out.join('\n') + '\n';
}

export function powershellCode(req: CodeRequest): string {
	const row = req.match?.row;
	const cmdlet = row ? (req.version === 'beta' ? row.cmdlets.beta : row.cmdlets.v1) : undefined;
	return (cmdlet && cmdletCode(req, cmdlet)) ?? graphRequestCode(req);
}
