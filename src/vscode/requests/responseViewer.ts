import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { formatResponse, type ShownResponse } from '../../core/requests/responseText';
import { HTTP_LANGUAGE_ID } from './requestLanguage';

export type { ShownResponse };

export const RESPONSE_SCHEME = 'graphcalls-response';
const MAX_KEPT = 20;

/** Read-only documents beside the request, one per response (the last few are kept). */
export class ResponseViewer extends Disposable implements vscode.TextDocumentContentProvider {
	private readonly texts = new Map<string, string>();
	private counter = 0;
	private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
	readonly onDidChange = this._onDidChange.event;

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
