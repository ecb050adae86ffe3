/** PowerShell with the Microsoft.Graph cmdlets (cmdlet names from the endpoint table), in the docs' snippet style. */
import type { CodeRequest } from './codeRequest';
import { extraHeaders } from './codeRequest';
import { idNames } from './graphModel';
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

export function powershellCode(req: CodeRequest): string {
	const row = req.match?.row;
	const cmdlet = row ? (req.version === 'beta' ? row.cmdlets.beta : row.cmdlets.v1) : undefined;
	const hasBody = req.body !== undefined || req.rawBody !== undefined;
	const params = req.body !== undefined ? powershellLiteral(req.body) : req.rawBody !== undefined ? str(req.rawBody) : undefined;
	if (!row || !cmdlet) {
		// No cmdlet for this URL: Invoke-MgGraphRequest sends any request with the signed-in context.
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
	const module = req.version === 'beta' ? 'Microsoft.Graph.Beta.CloudCommunications' : 'Microsoft.Graph.CloudCommunications';
	const out = [`Import-Module ${module}`, ''];
	const args: string[] = [];
	const ids: string[] = [];
	for (const [param, value] of Object.entries(req.match!.params)) {
		const name = idNames(param).powershell;
		const variable = `$${name.charAt(0).toLowerCase()}${name.slice(1)}`;
		args.push(`-${name} ${variable}`);
		// Concrete ids become variables on top; unresolved {{placeholders}} are left for the reader to fill in.
		if (!/^\{\{.*\}\}$|^\{.*\}$/.test(value)) ids.push(`${variable} = ${str(value)}`);
	}
	if (ids.length) out.push(...ids, '');
	if (hasBody) {
		out.push(`$params = ${params}`, '');
		args.push('-BodyParameter $params');
	}
	out.push([cmdlet, ...args].join(' '));
	return out.join('\n') + '\n';
}
