/** The text of the response editor: a summary, the ids to quote in a support case, headers, pretty JSON. */

export interface ShownResponse {
	readonly profileName: string;
	readonly method: string;
	readonly url: string;
	readonly status: number;
	readonly statusText?: string;
	readonly durationMs: number;
	readonly headers: Readonly<Record<string, string>>;
	readonly body: unknown;
	readonly requestId?: string;
	readonly clientRequestId?: string;
	readonly sentWithoutToken?: boolean;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
	200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
	404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict', 429: 'Too Many Requests',
	500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function formatResponse(r: ShownResponse): string {
	const reason = r.statusText ?? STATUS_TEXT[r.status] ?? '';
	const lines = [
		`# ${r.method} ${r.url}`,
		`# ${r.status} ${reason} · ${Math.round(r.durationMs)} ms · profile ${r.profileName}${r.sentWithoutToken ? " · sent WITHOUT the access token (not the profile's Graph host)" : ''}`,
	];
	if (r.requestId || r.clientRequestId) lines.push(`# request-id: ${r.requestId ?? '(none)'} · client-request-id: ${r.clientRequestId ?? '(none)'}`);
	lines.push('', `HTTP/1.1 ${r.status} ${reason}`.trimEnd());
	for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
	if (r.body !== undefined && r.body !== '') {
		lines.push('');
		lines.push(typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2));
	}
	return lines.join('\n') + '\n';
}
