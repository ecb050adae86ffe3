import * as vscode from 'vscode';
import type { CallEntry } from '../../core/calls/callStore';
import type { GraphRequestEvent } from '../../core/graph/requestEvent';
import type { CallHistoryRequest } from '../../core/scenarios';
import { scenarioEngine } from './scenarioEngine';

/** Case and dashes aside, the same call id (Graph's ids are GUID-like; the store compares them the same way). */
function sameId(a: string, b: string): boolean {
	const key = (s: string) => s.toLowerCase().replace(/-/g, '');
	return key(a) === key(b);
}

/** The requests of the session that were about this call: its create (by the id Graph gave it) and every request on it. */
export function requestsOfCall(callId: string, requests: readonly GraphRequestEvent[]): CallHistoryRequest[] {
	return requests.filter((r) => {
		if (r.action === 'call.create') {
			const id = (r.responseBody as { id?: unknown } | undefined)?.id;
			return typeof id === 'string' && sameId(id, callId);
		}
		const m = /\/communications\/calls\/([^/?#]+)/i.exec(r.path) ?? /\/communications\/calls\/([^/?#]+)/i.exec(r.url);
		return m !== null && sameId(decodeURIComponent(m[1]), callId);
	}).map((r) => ({ method: r.method, action: r.action, status: r.status, requestBody: r.requestBody, startedDateTime: r.startedDateTime }));
}

/**
 * Save Call as Scenario: the call the user made by hand (from the Calls view's store and the session's request log)
 * as a scenario file for their bot, saved where they choose and opened in an editor. Returns the file's URI.
 */
export async function saveCallAsScenario(entry: CallEntry, requests: readonly GraphRequestEvent[], ask: (defaultUri: vscode.Uri | undefined) => Promise<vscode.Uri>): Promise<vscode.Uri> {
	const { yaml, fileName } = scenarioEngine().scenarioFromCall({ call: entry.call, stateHistory: entry.stateHistory, requests: requestsOfCall(entry.callId, requests) });
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	const uri = await ask(folder && vscode.Uri.joinPath(folder, 'scenarios', fileName));
	await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(yaml));
	const doc = await vscode.workspace.openTextDocument(uri);
	await vscode.window.showTextDocument(doc, { preview: false });
	return uri;
}
