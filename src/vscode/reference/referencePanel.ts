import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ENDPOINTS, docUrlFor, endpointFor, type ApiVersionName, type CallAction } from '../../core/schema/endpoints';
import { exportCsv, exportJson } from '../../core/permissions/referenceExport';
import { referenceExamples } from '../../core/permissions/referenceExamples';
import { buildReferenceModel, statusByAction, type ReferenceModel } from '../../core/permissions/referenceModel';
import { exampleFor } from '../../core/requests/callExamples';
import { serialiseRequest } from '../../core/requests/httpDocument';
import type { UserInput } from '../shared/userInput';
import type { RolesSnapshot, RolesTracker } from './rolesTracker';

export const REFERENCE_VIEW_TYPE = 'graphCalls.permissionReference';

/** Messages the webview sends (media/reference/reference.js). */
type FromWebview =
	| { type: 'ready' }
	| { type: 'query'; query: string }
	| { type: 'refresh' }
	| { type: 'exportJson' }
	| { type: 'exportCsv' }
	| { type: 'copyDocUrl'; action: string; version: string }
	| { type: 'openAsRequest'; action: string; version: string }
	| { type: 'copyCode'; code: string };

export interface ReferencePanelDeps {
	readonly extensionUri: vscode.Uri;
	readonly roles: RolesTracker;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
}

export type ExportFormat = 'json' | 'csv';

/**
 * The "Graph Calls: Permission Reference" webview. It holds the query and the model; the page only renders
 * what it is sent and posts the user's actions back.
 */
export class ReferencePanel implements vscode.Disposable {
	private panel: vscode.WebviewPanel | undefined;
	private query = '';
	private _model: ReferenceModel = buildReferenceModel();
	private readonly disposables: vscode.Disposable[] = [];
	private readonly _onDidUpdate = new vscode.EventEmitter<ReferenceModel>();
	/** Fires after each model the page is sent. */
	readonly onDidUpdate = this._onDidUpdate.event;

	constructor(private readonly deps: ReferencePanelDeps) {
		this.disposables.push(deps.roles.onDidChange(() => this.update()));
	}

	get model(): ReferenceModel {
		return this._model;
	}

	get isOpen(): boolean {
		return this.panel !== undefined;
	}

	get snapshot(): RolesSnapshot | undefined {
		return this.deps.roles.current;
	}

	async show(): Promise<void> {
		if (this.panel) {
			this.panel.reveal();
		} else {
			const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'reference');
			const panel = vscode.window.createWebviewPanel(REFERENCE_VIEW_TYPE, 'Graph Calls Permission Reference', vscode.ViewColumn.Active, {
				enableScripts: true,
				localResourceRoots: [media],
			});
			panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'graph-calls.svg');
			panel.webview.html = this.html(panel.webview, media);
			panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
			panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m), undefined, this.disposables);
			this.panel = panel;
		}
		this.update();
		// Ask for the active profile's roles in the background; the page shows "checking" meanwhile.
		void this.deps.roles.get();
	}

	/** Sets the filter (what typing in the search box does) and returns the new model. */
	setQuery(query: string): ReferenceModel {
		this.query = query;
		return this.update();
	}

	/** Reads the roles from a fresh token, so a permission just granted or removed shows. */
	async refresh(): Promise<ReferenceModel> {
		await this.deps.roles.refresh({ fresh: true });
		return this.update();
	}

	private update(): ReferenceModel {
		const snap = this.deps.roles.current;
		this._model = buildReferenceModel({ query: this.query, roles: snap?.roles, profileName: snap?.profileName, examplesFor: referenceExamples });
		void this.panel?.webview.postMessage({ type: 'model', model: this._model, query: this.query, profile: this.profileLine(snap) });
		this._onDidUpdate.fire(this._model);
		return this._model;
	}

	private profileLine(snap: RolesSnapshot | undefined): { text: string; kind: 'ok' | 'warn' | 'none' } {
		if (!snap) return { text: 'No roles yet: with a profile active, each method is marked granted or missing from its token\'s roles.', kind: 'none' };
		if (snap.error) return { text: snap.error, kind: 'warn' };
		const roles = snap.roles ?? [];
		return { text: `Profile "${snap.profileName}" token roles: ${roles.length ? roles.join(', ') : 'none (no application permission has admin consent)'}.`, kind: roles.length ? 'ok' : 'warn' };
	}

	/** Writes the filtered table (with granted/missing when known) to a file the user picks. */
	async export(format: ExportFormat): Promise<vscode.Uri> {
		const m = this._model;
		const content = this.exportText(format);
		const uri = await this.deps.input().showSaveDialog({
			title: `Export permission reference as ${format.toUpperCase()}`,
			defaultUri: vscode.Uri.file(`graph-calls-permissions.${format}`),
			filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
		});
		await vscode.workspace.fs.writeFile(uri, Buffer.from(content, 'utf8'));
		this.deps.log.info(`Exported ${m.rows.length} permission reference rows as ${format.toUpperCase()} to ${uri.fsPath}.`);
		return uri;
	}

	exportText(format: ExportFormat): string {
		const m = this._model;
		const data = { rows: m.rows, status: statusByAction(m.rows, m.roles), profileName: m.profileName, query: m.query };
		return format === 'json' ? exportJson(data) : exportCsv(data);
	}

	async copyDocUrl(action: CallAction, version: ApiVersionName): Promise<string> {
		const url = docUrlFor(endpointFor(action), version);
		await vscode.env.clipboard.writeText(url);
		vscode.window.setStatusBarMessage(`Copied ${url}`, 3000);
		return url;
	}

	/** Opens the method as a request document: the request-documents command when present, else an untitled .http. */
	async openAsRequest(action: CallAction, version: ApiVersionName): Promise<vscode.TextDocument | undefined> {
		const commands = await vscode.commands.getCommands(true);
		// The request-documents command opens the documented example (beta-only actions carry their /beta path).
		if (commands.includes('graphCalls.request.openAsRequest') && exampleFor(action) && (version === 'v1.0' || !endpointFor(action).versions.includes('v1.0'))) {
			const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('graphCalls.request.openAsRequest', undefined, action);
			return editor?.document ?? vscode.window.activeTextEditor?.document;
		}
		const doc = await vscode.workspace.openTextDocument({ language: 'http', content: requestText(action, version) });
		await vscode.window.showTextDocument(doc, { preview: false });
		return doc;
	}

	private async onMessage(m: FromWebview): Promise<void> {
		try {
			switch (m.type) {
				case 'ready':
					this.update();
					break;
				case 'query':
					this.setQuery(String(m.query ?? ''));
					break;
				case 'refresh':
					await this.refresh();
					break;
				case 'exportJson':
					await this.export('json');
					break;
				case 'exportCsv':
					await this.export('csv');
					break;
				case 'copyDocUrl':
					await this.copyDocUrl(knownAction(m.action), knownVersion(m.version));
					break;
				case 'openAsRequest':
					await this.openAsRequest(knownAction(m.action), knownVersion(m.version));
					break;
				case 'copyCode':
					await vscode.env.clipboard.writeText(String(m.code ?? ''));
					vscode.window.setStatusBarMessage('Copied the code example.', 3000);
					break;
			}
		} catch (err) {
			// Buttons in the page are not commands: report failures the way the command wrapper would.
			if (err instanceof Error && err.name === 'UserCancelledError') return;
			const message = err instanceof Error ? err.message : String(err);
			this.deps.log.error(`Permission reference: ${m.type} failed: ${message}`);
			void vscode.window.showErrorMessage(`Permission reference: ${message}`, 'Show Log').then((c) => c && this.deps.log.show(true));
		}
	}

	private html(webview: vscode.Webview, media: vscode.Uri): string {
		const nonce = randomBytes(16).toString('base64');
		const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString();
		const csp = [
			"default-src 'none'",
			`style-src ${webview.cspSource}`,
			`font-src ${webview.cspSource}`,
			`img-src ${webview.cspSource}`,
			`script-src 'nonce-${nonce}'`,
		].join('; ');
		return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('reference.css')}">
<title>Graph Calls Permission Reference</title>
</head>
<body>
<header class="toolbar" role="search">
	<div class="search">
		<span class="codicon codicon-search" aria-hidden="true"></span>
		<input id="query" type="search" placeholder="Type to filter by permission, method, path or cmdlet (method:post path:participants)" aria-label="Filter by permission, method, path or cmdlet" autocomplete="off" spellcheck="false">
	</div>
	<div class="actions">
		<button id="refresh" type="button" title="Read the roles again from a fresh token"><span class="codicon codicon-refresh" aria-hidden="true"></span>Refresh</button>
		<button id="exportJson" type="button"><span class="codicon codicon-json" aria-hidden="true"></span>Export JSON</button>
		<button id="exportCsv" type="button"><span class="codicon codicon-table" aria-hidden="true"></span>Export CSV</button>
	</div>
	<p id="profile" class="profile" role="status" aria-live="polite"></p>
	<p id="count" class="count" aria-live="polite"></p>
</header>
<main id="sections" aria-label="Permissions"></main>
<script nonce="${nonce}" src="${asset('reference.js')}"></script>
</body>
</html>`;
	}

	dispose(): void {
		this.panel?.dispose();
		for (const d of this.disposables.splice(0)) d.dispose();
		this._onDidUpdate.dispose();
	}
}

function knownAction(a: string): CallAction {
	const row = ENDPOINTS.find((r) => r.action === a);
	if (!row) throw new Error(`Unknown action "${a}": reload the permission reference.`);
	return row.action;
}

function knownVersion(v: string): ApiVersionName {
	return v === 'beta' ? 'beta' : 'v1.0';
}

/** The documented request for an action as `.http` text, with {{variables}} for ids. */
export function requestText(action: CallAction, version: ApiVersionName): string {
	const row = endpointFor(action);
	const example = exampleFor(action);
	const path = (example?.path.replace(/^\/beta(?=\/)/, '') ?? row.path.replace(/\{(\w+)\}/g, '{{$1}}'));
	return serialiseRequest({
		comment: `${row.summary}\nNeeds (application): ${row.leastPrivileged.join(' or ')}${row.higherPrivileged.length ? ` (higher: ${row.higherPrivileged.join(', ')})` : ''}\nDocs: ${docUrlFor(row, version)}`,
		method: row.method,
		url: `/${version}${path}`,
		body: example?.body,
	});
}
