/** curl for a POSIX shell. The token is read from $ACCESS_TOKEN, never written into the command. */
import type { CodeRequest } from './codeRequest';
import { printfFormat, shellWord } from './stringLiterals';

const quote = shellWord;

export function curlCode(req: CodeRequest): string {
	const lines = [`curl -X ${/^[A-Z]+$/.test(req.method) ? req.method : quote(req.method)} ${quote(req.url)}`, `  -H "Authorization: Bearer $ACCESS_TOKEN"`];
	const body = req.body !== undefined ? JSON.stringify(req.body, null, 2) : req.rawBody;
	const headers = [...req.headers];
	if (body !== undefined && !headers.some((h) => h.name.toLowerCase() === 'content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
	for (const h of headers) lines.push(`  -H ${quote(`${h.name}: ${h.value}`)}`);
	// An argument cannot carry NUL: such a body goes in on stdin, written by printf.
	if (body !== undefined && body.includes('\0')) {
		lines.push('  --data-binary @-');
		return `printf ${printfFormat(body)} |\n${lines.join(' \\\n')}\n`;
	}
	if (body !== undefined) lines.push(`  --data-raw ${quote(body)}`);
	return lines.join(' \\\n') + '\n';
}
