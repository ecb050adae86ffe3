import * as vscode from 'vscode';
import { docUrlFor, isAllowed, permissionsFor, type ApiVersionName } from '../../core/schema/endpoints';
import { matchEndpoint, type EndpointMatch } from '../../core/schema/endpointMatch';
import { parseHttpDocument, type HttpRequestBlock } from '../../core/requests/httpDocument';
import type { RolesSnapshot, RolesTracker } from './rolesTracker';

export const PERMISSION_DIAGNOSTIC_SOURCE = 'Graph Calls permissions';
export const MISSING_PERMISSION_CODE = 'missing-permission';

export function isHttpDocument(doc: vscode.TextDocument): boolean {
	return doc.languageId === 'http' || doc.fileName.toLowerCase().endsWith('.http') || doc.fileName.toLowerCase().endsWith('.rest');
}

/**
 * The Graph path of a request line's URL: `{{host}}/v1.0/communications/calls/{{callId}}` and
 * `https://graph.microsoft.com/beta/app/calls` both work; variables inside the path match any id.
 */
export function graphPathOf(url: string): string | undefined {
	const m = /\/(v1\.0|beta)\/.*$/i.exec(url) ?? /\/(communications|app)\/calls.*$/i.exec(url);
	return m ? m[0] : undefined;
}

export interface RequestPermission {
	readonly request: HttpRequestBlock;
	readonly match: EndpointMatch;
}

/** Every request in the text that is a calls endpoint, with its table row. */
export function requestPermissions(text: string, defaultVersion: ApiVersionName): RequestPermission[] {
	const out: RequestPermission[] = [];
	for (const request of parseHttpDocument(text).requests) {
		const path = graphPathOf(request.url);
		const match = path ? matchEndpoint(request.method || 'GET', path, defaultVersion) : undefined;
		if (match) out.push({ request, match });
	}
	return out;
}

/** Markdown for a hover: the permission the request needs and whether the active profile's token has it. */
export function hoverMarkdown(match: EndpointMatch, snap: RolesSnapshot | undefined): string {
	const row = match.row;
	const need = row.leastPrivileged.map((p) => `\`${p}\``).join(' or ');
	const higher = row.higherPrivileged.length ? ` (higher privileged: ${row.higherPrivileged.map((p) => `\`${p}\``).join(', ')})` : '';
	const lines = [`**${row.method} ${row.path}**: ${row.summary}`, '', `Needs the application permission ${need}${higher}. Delegated access is not supported.`];
	if (row.noRequestCheck) lines.push('', 'The docs say this permission is checked when the call is created; any calls permission lets this request through.');
	lines.push('');
	if (!snap) lines.push('Active profile: none, or its roles are not known yet.');
	else if (snap.error) lines.push(`Active profile "${snap.profileName}": ${snap.error}`);
	else {
		const roles = snap.roles ?? [];
		const granted = permissionsFor(row.action).filter((p) => roles.includes(p));
		lines.push(
			isAllowed(row.action, roles)
				? `$(pass-filled) Granted: the token of "${snap.profileName}" has ${granted.map((p) => `\`${p}\``).join(', ') || 'a calls permission'}.`
				: `$(error) Missing: the token of "${snap.profileName}" has ${roles.length ? roles.map((p) => `\`${p}\``).join(', ') : 'no roles'}. Add ${need} in the app registration and grant admin consent.`,
		);
	}
	const cmdlet = match.version === 'beta' ? row.cmdlets.beta : row.cmdlets.v1;
	lines.push('', `[Documentation](${docUrlFor(row, match.version)})${cmdlet ? ` · PowerShell: \`${cmdlet}\`` : ''} · [Permission reference](command:graphCalls.reference.open)`);
	return lines.join('\n');
}

/** The warning for a request the active profile's token may not make; undefined when allowed or unknown. */
export function missingPermissionMessage(match: EndpointMatch, snap: RolesSnapshot | undefined): string | undefined {
	if (!snap?.roles || isAllowed(match.row.action, snap.roles)) return undefined;
	return `The token of profile "${snap.profileName}" lacks the permission for ${match.row.method} ${match.row.path} (${match.row.action}): add ${match.row.leastPrivileged.join(' or ')} as an application permission in the app registration and grant admin consent, then refresh the token.`;
}

/**
 * Hover and diagnostics for `.http` documents: which permission a request needs, and a warning on requests the
 * active profile's token cannot make. Roles come from the RolesTracker; documents are re-checked when they change.
 */
export class HttpPermissionHints implements vscode.Disposable {
	readonly diagnostics = vscode.languages.createDiagnosticCollection('graphCallsPermissions');
	private readonly disposables: vscode.Disposable[] = [this.diagnostics];
	private readonly timers = new Map<string, NodeJS.Timeout>();

	constructor(private readonly roles: RolesTracker, private readonly defaultVersion: () => ApiVersionName) {
		const selector: vscode.DocumentSelector = [{ language: 'http' }, { pattern: '**/*.http' }];
		this.disposables.push(
			vscode.languages.registerHoverProvider(selector, { provideHover: (doc, pos) => this.hover(doc, pos) }),
			vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0, true)),
			vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 300, true)),
			vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
			roles.onDidChange(() => this.checkAll()),
		);
		// Documents already open at activation use known roles only: activation must not ask for a token.
		for (const d of vscode.workspace.textDocuments) this.schedule(d, 0, false);
	}

	private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
		const hit = requestPermissions(doc.getText(), this.defaultVersion()).find((r) => r.request.requestLine === pos.line);
		if (!hit) return undefined;
		// Hovering is a good moment to learn the roles, bounded so the hover never hangs on a slow token endpoint; but
		// never in Restricted Mode, where hovering over a stranger's document must not make the profile sign in.
		const snap = this.roles.current ?? (vscode.workspace.isTrusted ? await Promise.race([this.roles.get(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 3000))]) : undefined);
		const md = new vscode.MarkdownString(hoverMarkdown(hit.match, snap), true);
		md.isTrusted = { enabledCommands: ['graphCalls.reference.open'] };
		const line = doc.lineAt(pos.line);
		return new vscode.Hover(md, new vscode.Range(pos.line, line.firstNonWhitespaceCharacterIndex, pos.line, line.text.length));
	}

	private schedule(doc: vscode.TextDocument, delayMs: number, mayFetchRoles: boolean): void {
		if (!isHttpDocument(doc)) return;
		const key = doc.uri.toString();
		clearTimeout(this.timers.get(key));
		this.timers.set(key, setTimeout(() => {
			this.timers.delete(key);
			void this.check(doc, { mayFetchRoles });
		}, delayMs));
	}

	/** Re-checks one document now; resolves with its diagnostics. Asks for a token only when allowed to and needed. */
	async check(doc: vscode.TextDocument, options: { mayFetchRoles: boolean } = { mayFetchRoles: true }): Promise<readonly vscode.Diagnostic[]> {
		if (!isHttpDocument(doc) || doc.isClosed) return [];
		const found = requestPermissions(doc.getText(), this.defaultVersion());
		// Only ask for a token when the document has calls requests in it.
		const snap = found.length ? this.roles.current ?? (options.mayFetchRoles && vscode.workspace.isTrusted ? await this.roles.get() : undefined) : undefined;
		const list: vscode.Diagnostic[] = [];
		for (const { request, match } of found) {
			const message = missingPermissionMessage(match, snap);
			if (!message) continue;
			const line = doc.lineAt(request.requestLine);
			const d = new vscode.Diagnostic(new vscode.Range(request.requestLine, line.firstNonWhitespaceCharacterIndex, request.requestLine, line.text.length), message, vscode.DiagnosticSeverity.Warning);
			d.source = PERMISSION_DIAGNOSTIC_SOURCE;
			d.code = MISSING_PERMISSION_CODE;
			list.push(d);
		}
		if (!doc.isClosed) this.diagnostics.set(doc.uri, list);
		return list;
	}

	private checkAll(): void {
		for (const d of vscode.workspace.textDocuments) this.schedule(d, 0, false);
	}

	dispose(): void {
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
		for (const d of this.disposables.splice(0)) d.dispose();
	}
}
