/** C# for the Microsoft Graph .NET SDK v5 (Kiota request builders), in the style of the docs' C# tab. */
import type { CodeRequest } from './codeRequest';
import { extraHeaders } from './codeRequest';
import { csharpRawString, csharpString } from './stringLiterals';
import { bodyClass, classOf, csharpProperty, enumMember, idNames, pathSegments, pascal, propertyType, returnsResult, untypedOf, type ModelClass, type TypeRef } from './graphModel';

const str = (s: string): string => csharpString(s);
/** JSON names that map onto a C# property or enum member as they are; anything else stays a string key or value. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENUM_MEMBER = /^[A-Za-z][A-Za-z0-9]*$/;

function primitive(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return str(value);
	return String(value);
}

function listItemType(type: TypeRef, value: readonly unknown[]): string {
	if (type.kind === 'list') {
		if (type.item.kind === 'object') return type.item.name;
		if (type.item.kind === 'enum') return `${type.item.name}?`;
		// The SDK's collections of primitives: List<string>, List<int?>, ...
		if (type.item.kind === 'primitive' && type.item.name) return type.item.name === 'string' ? 'string' : `${type.item.name}?`;
	}
	if (value.every((v) => typeof v === 'string')) return 'string';
	if (value.every((v) => typeof v === 'boolean')) return 'bool?';
	if (value.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'int?';
	return 'object';
}

class CsharpWriter {
	usesModels = false;

	value(value: unknown, type: TypeRef, indent: string): string {
		if (Array.isArray(value)) return this.list(value, type, indent);
		if (value && typeof value === 'object') return this.object(value as Record<string, unknown>, classOf(value, type), indent);
		if (type.kind === 'enum' && typeof value === 'string' && ENUM_MEMBER.test(value)) {
			this.usesModels = true;
			return `${type.name}.${enumMember(value)}`;
		}
		return primitive(value);
	}

	list(value: readonly unknown[], type: TypeRef, indent: string): string {
		const inner = indent + '\t';
		const itemType: TypeRef = type.kind === 'list' ? type.item : { kind: 'primitive' };
		const declared = listItemType(type, value);
		if (type.kind === 'list' && type.item.kind !== 'primitive') this.usesModels = true;
		const items = value.map((v) => `${inner}${type.kind === 'list' ? this.value(v, itemType, inner) : this.untyped(v, inner)},`);
		return `new List<${declared}>\n${indent}{\n${items.join('\n')}${items.length ? '\n' : ''}${indent}}`;
	}

	/** A value in AdditionalData: a model when its @odata.type names one, else plain JSON. */
	untyped(value: unknown, indent: string): string {
		return this.value(value, untypedOf(value), indent);
	}

	/** A typed object initialiser; properties the class lacks go to AdditionalData. Without a class: an anonymous object. */
	object(value: Record<string, unknown>, cls: ModelClass | undefined, indent: string): string {
		const inner = indent + '\t';
		const lines: string[] = [];
		const additional: [string, unknown][] = [];
		if (!cls && Object.keys(value).some((k) => !PLAIN_NAME.test(k))) return this.dictionary(value, indent);
		for (const [k, v] of Object.entries(value)) {
			const type = cls ? propertyType(cls, k, v) : untypedOf(v);
			if (cls && (!type || (k !== '@odata.type' && !PLAIN_NAME.test(k)))) {
				additional.push([k, v]);
				continue;
			}
			lines.push(`${inner}${csharpProperty(k)} = ${this.value(v, type ?? untypedOf(v), inner)},`);
		}
		if (additional.length) {
			const i2 = inner + '\t';
			const i3 = i2 + '\t';
			const entries = additional.map(([k, v]) => `${i2}{\n${i3}${str(k)} , ${this.untyped(v, i3)}\n${i2}},`);
			lines.push(`${inner}AdditionalData = new Dictionary<string, object>\n${inner}{\n${entries.join('\n')}\n${inner}},`);
		}
		if (cls) this.usesModels = true;
		return `${cls ? `new ${cls.name}` : 'new'}\n${indent}{\n${lines.join('\n')}${lines.length ? '\n' : ''}${indent}}`;
	}

	/** An object whose keys are no C# names: a dictionary keeps every key exactly. */
	dictionary(value: Record<string, unknown>, indent: string): string {
		const inner = indent + '\t';
		const i2 = inner + '\t';
		const entries = Object.entries(value).map(([k, v]) => `${inner}{\n${i2}${str(k)} , ${this.untyped(v, i2)}\n${inner}},`);
		return `new Dictionary<string, object>\n${indent}{\n${entries.join('\n')}\n${indent}}`;
	}
}

export function csharpCode(req: CodeRequest): string {
	const row = req.match?.row;
	if (!row || req.rawBody !== undefined) return csharpHttpClient(req);
	const root = req.version === 'beta' ? 'Microsoft.Graph.Beta' : 'Microsoft.Graph';
	const w = new CsharpWriter();
	const usings = new Set<string>();
	const out: string[] = ['// Code snippets are only available for the latest version. Current version is 5.x', ''];
	const body: string[] = [];
	const cls = bodyClass(row);
	if (req.body !== undefined && cls) {
		if (cls.segments.length) usings.add(`using ${root}.${cls.segments.map(pascal).join('.')};`);
		body.push(`var requestBody = ${w.object(req.body as Record<string, unknown>, cls, '')};`, '');
	}
	if (w.usesModels) usings.add(`using ${root}.Models;`);
	if (usings.size) out.push('// Dependencies', ...[...usings].sort(), '');
	out.push(...body);
	let chain = 'graphClient';
	for (const seg of pathSegments(row)) {
		if (seg.param) {
			const value = req.match!.params[seg.param];
			chain += `[${str(/^\{\{.*\}\}$/.test(value) ? `{${idNames(seg.param).csharp}}` : value)}]`;
		} else {
			chain += `.${pascal(seg.name)}`;
		}
	}
	const arg = req.body !== undefined && cls ? 'requestBody' : '';
	const verb = pascal(req.method.toLowerCase());
	const headers = extraHeaders(req);
	const config = headers.length ? `${arg ? ', ' : ''}(requestConfiguration) =>\n{\n${headers.map((h) => `\trequestConfiguration.Headers.Add(${str(h.name)}, ${str(h.value)});`).join('\n')}\n}` : '';
	out.push('// To initialize your graphClient, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=csharp');
	out.push(`${returnsResult(row) ? 'var result = ' : ''}await ${chain}.${verb}Async(${arg}${config});`);
	return out.join('\n') + '\n';
}

/** No request builder for this URL (or a body that is not JSON): plain HttpClient, token from the caller. */
function csharpHttpClient(req: CodeRequest): string {
	const out = [
		'using System.Net.Http;',
		'using System.Net.Http.Headers;',
		'using System.Text;',
		'',
		'// No Graph SDK request builder matches this request: plain HttpClient. Get accessToken from your credential; never hard-code it.',
		'using var http = new HttpClient();',
		`using var request = new HttpRequestMessage(new HttpMethod(${str(req.method)}), ${str(req.url)});`,
		'request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);',
	];
	for (const h of extraHeaders(req)) out.push(`request.Headers.TryAddWithoutValidation(${str(h.name)}, ${str(h.value)});`);
	const body = req.body !== undefined ? JSON.stringify(req.body, null, 2) : req.rawBody;
	if (body !== undefined) out.push(`request.Content = new StringContent(\n\t${csharpRawString(body, '\t') ?? str(body)},\n\tEncoding.UTF8,\n\t"application/json");`);
	out.push('using var response = await http.SendAsync(request);', 'response.EnsureSuccessStatusCode();');
	return out.join('\n') + '\n';
}
