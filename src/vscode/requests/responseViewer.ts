import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { HTTP_LANGUAGE_ID } from './requestLanguage';

export const RESPONSE_SCHEME = 'graphcalls-response';
const MAX_KEPT = 20;

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

const STATUS_TEXT: Record<number, string> = {
	200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
	404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict', 429: 'Too Many Requests',
	500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The text shown for a response: a summary, the ids to quote in a support case, headers, pretty JSON. */
export function formatResponse(r: ShownResponse): string {
	const lines = [
		`# ${r.method} ${r.url}`,
		`# ${r.status} ${r.statusText ?? STATUS_TEXT[r.status] ?? ''} · ${Math.round(r.durationMs)} ms · profile ${r.profileName}${r.sentWithoutToken ? ' · sent WITHOUT the access token (not the profile\'s Graph host)' : ''}`,
	];
	if (r.requestId || r.clientRequestId) lines.push(`# request-id: ${r.requestId ?? '(none)'} · client-request-id: ${r.clientRequestId ?? '(none)'}`);
	lines.push('', `HTTP/1.1 ${r.status} ${r.statusText ?? STATUS_TEXT[r.status] ?? ''}`.trimEnd());
	for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
	if (r.body !== undefined && r.body !== '') {
		lines.push('');
		lines.push(typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2));
	}
	return lines.join('\n') + '\n';
}

/** Read-only documents beside the request, one per response (the last few are kept). */
export class ResponseViewer extends Disposable implements vscode.TextDocumentContentProvider {
	private readonly texts = new Map<string, string>();
	private counter = 0;
	private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
	readonly onDidChange = this._onDidChange.event;
	/** The last response shown, for the extension-host tests. */
	last?: { uri: vscode.Uri; response: ShownResponse };

	constructor() {
		super();
		this._register(vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, this));
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this.texts.get(uri.toString()) ?? '# This response is no longer kept: send the request again.\n';
	}

	async show(response: ShownResponse, column: vscode.ViewColumn = vscode.ViewColumn.Beside): Promise<vscode.TextEditor> {
		const n = ++this.counter;
		const name = `Response ${n} ${response.status} ${response.method} ${lastSegment(response.url)}.http`.replace(/[\\/:*?"<>|]/g, '_');
		const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${name}` });
		this.texts.set(uri.toString(), formatResponse(response));
		while (this.texts.size > MAX_KEPT) this.texts.delete(this.texts.keys().next().value!);
		this.last = { uri, response };
		const doc = await vscode.workspace.openTextDocument(uri);
		if (doc.languageId !== HTTP_LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(doc, HTTP_LANGUAGE_ID).then(undefined, () => undefined);
		return vscode.window.showTextDocument(doc, { viewColumn: column, preview: true, preserveFocus: true });
	}
}

function lastSegment(url: string): string {
	try {
		const segs = new URL(url).pathname.split('/').filter(Boolean);
		return segs[segs.length - 1] ?? '';
	} catch {
		return '';
	}
}
