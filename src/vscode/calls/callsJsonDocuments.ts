import { resourceJsonText } from './callsJsonText';
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import type { CallStore } from '../../core/calls/callStore';
import { idKey } from '../../core/calls/mergeRules';
import type { CallsTreeModel, NodeTarget } from './callsTreeModel';

/** Read-only documents showing the latest resource behind a tree node; they update as the call changes. */
export const CALLS_JSON_SCHEME = 'graph-calls';

/** graph-calls:/calls/<callId>.json, …/participants/<id>.json, …/operations/<id>.json */
export function jsonUriOf(target: NodeTarget): vscode.Uri {
	const call = encodeURIComponent(target.callId);
	const path = target.participantId
		? `/calls/${call}/participants/${encodeURIComponent(target.participantId)}.json`
		: target.operationId
			? `/calls/${call}/operations/${encodeURIComponent(target.operationId)}.json`
			: `/calls/${call}.json`;
	return vscode.Uri.from({ scheme: CALLS_JSON_SCHEME, path });
}

export function targetOfUri(uri: vscode.Uri): NodeTarget | undefined {
	const m = /^\/calls\/([^/]+?)(?:\/(participants|operations)\/([^/]+?))?\.json$/.exec(uri.path);
	if (!m) return undefined;
	const callId = decodeURIComponent(m[1]);
	if (m[2] === 'participants') return { callId, participantId: decodeURIComponent(m[3]) };
	if (m[2] === 'operations') return { callId, operationId: decodeURIComponent(m[3]) };
	return { callId };
}

export class CallsJsonDocuments extends Disposable implements vscode.TextDocumentContentProvider {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
	readonly onDidChange = this._onDidChange.event;

	constructor(
		private readonly model: CallsTreeModel,
		store: CallStore,
	) {
		super();
		this._register(vscode.workspace.registerTextDocumentContentProvider(CALLS_JSON_SCHEME, this));
		// Redraw the open documents of the call that changed (or all of them after a reset).
		this._register(store.onDidChange((e) => {
			for (const doc of vscode.workspace.textDocuments) {
				if (doc.uri.scheme !== CALLS_JSON_SCHEME) continue;
				const t = targetOfUri(doc.uri);
				if (t && (e.callId === undefined || idKey(t.callId) === idKey(e.callId))) this._onDidChange.fire(doc.uri);
			}
		}));
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		const target = targetOfUri(uri);
		const resource = target && this.model.resourceOf(target);
		if (resource === undefined) {
			return `// ${uri.path}: not in the Calls view any more (forgotten, cleared, or another profile is active).\n// Track the call again by id to see it.\n`;
		}
		return resourceJsonText(resource);
	}

	async open(target: NodeTarget): Promise<vscode.TextEditor> {
		const doc = await vscode.workspace.openTextDocument(jsonUriOf(target));
		const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
		return vscode.window.showTextDocument(json, { preview: true });
	}
}
