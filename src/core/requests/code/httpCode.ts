/** The request as `.http` text, as on the docs pages' HTTP tab (absolute URL, JSON body). */
import { serialiseRequest } from '../httpDocument';
import type { CodeRequest } from './codeRequest';

export function httpCode(req: CodeRequest): string {
	const headers = [...req.headers];
	const body = req.body !== undefined ? JSON.stringify(req.body, null, 2) : req.rawBody;
	if (body !== undefined && !headers.some((h) => h.name.toLowerCase() === 'content-type')) headers.unshift({ name: 'Content-Type', value: 'application/json' });
	return serialiseRequest({ method: req.method, url: req.url, headers, body });
}
