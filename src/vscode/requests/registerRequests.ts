import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import type { Event } from '../../core/event';
import { Disposable } from '../../core/lifecycle';
import { CALL_EXAMPLES, newDocumentText, type CallExample } from '../../core/requests/callExamples';
import { CODE_LANGUAGES, generateCode, type CodeLanguage, type GenericRequest } from '../../core/requests/code';
import { parseHttpDocument, serialiseRequest } from '../../core/requests/httpDocument';
import { VariableResolver } from '../../core/requests/variables';
import { RequestCodeLensProvider } from './requestCodeLens';
import { RequestDiagnostics } from './requestDiagnostics';
import { RequestHistory, type HistoryEntry } from './requestHistory';
import { isRequestDocument, openRequestEditor, REQUEST_SELECTOR } from './requestLanguage';
import { blockAt, RequestDocumentError, RequestSender, type RequestNode, type RequestSenderDeps, type SendOutcome } from './requestSender';
import { ResponseViewer } from './responseViewer';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import type { Commands } from '../shared/commands';

export interface RequestCommandDeps extends Omit<RequestSenderDeps, 'history' | 'viewer'> {
	readonly memento: vscode.Memento;
	/** Fires when the active profile changes: CodeLens titles and variable diagnostics follow it. */
	readonly onDidChangeActiveProfile?: Event<TenantProfile | undefined>;
	readonly commands: Commands;
}

export interface CopyAsCodeOptions {
	readonly language?: CodeLanguage;
	/** Open the code in an editor instead of only copying it. */
	readonly open?: boolean;
}

/** Request documents: CodeLens, diagnostics, response viewer, history, and the graphCalls.request.* commands. */
export class RequestFeatures extends Disposable {
	readonly history: RequestHistory;
	readonly viewer: ResponseViewer;
	readonly sender: RequestSender;
	readonly diagnostics: RequestDiagnostics;

	constructor(private readonly deps: RequestCommandDeps) {
		super();
		this.history = this._register(new RequestHistory(deps.memento));
		this.viewer = this._register(new ResponseViewer());
		this.sender = new RequestSender({ ...deps, history: this.history, viewer: this.viewer });
		this.diagnostics = this._register(new RequestDiagnostics(() => this.sender.variableValues()));
		const lenses = this._register(new RequestCodeLensProvider(() => deps.clients.activeProfile?.name));
		this._register(vscode.languages.registerCodeLensProvider(REQUEST_SELECTOR, lenses));
		if (deps.onDidChangeActiveProfile) {
			this._register(deps.onDidChangeActiveProfile(() => {
				lenses.refresh();
				this.diagnostics.refreshAll();
			}));
		}
		this._register(deps.configuration.onDidChangeAny(['requestVariables'], () => this.diagnostics.refreshAll()));
		this._register(deps.commands.register('graphCalls.request.send', (uri?: unknown, line?: unknown, node?: unknown) => this.send(uri, line, node)));
		this._register(deps.commands.register('graphCalls.request.new', () => openRequestEditor(newDocumentText())));
		this._register(deps.commands.register('graphCalls.request.openAsRequest', (node?: unknown, action?: unknown) => this.openAsRequest(node, action)));
		this._register(deps.commands.register('graphCalls.request.copyAsCode', (source?: unknown, line?: unknown, options?: CopyAsCodeOptions) => this.copyAsCode(source, line, options)));
		this._register(deps.commands.register('graphCalls.request.history', () => this.showHistory()));
		this._register(deps.commands.register('graphCalls.request.resend', (entry?: unknown) => this.resend(entry)));
	}

	private get input(): UserInput {
		return this.deps.input();
	}

	private async send(uri: unknown, line: unknown, node: unknown): Promise<SendOutcome> {
		const { document, line: at } = await this.documentAndLine(uri, line);
		const outcome = await this.sender.sendFromDocument(document, at, asNode(node));
		this.diagnostics.refreshAll();
		return outcome;
	}

	/** The document and line from a CodeLens (uri, line), else the active `.http` editor and its cursor. */
	private async documentAndLine(uri: unknown, line: unknown): Promise<{ document: vscode.TextDocument; line: number | undefined }> {
		const editor = vscode.window.activeTextEditor;
		if (uri instanceof vscode.Uri) {
			// From a CodeLens the line comes along; from the editor title or context menu it is the cursor's.
			const cursor = editor && editor.document.uri.toString() === uri.toString() ? editor.selection.active.line : undefined;
			return { document: await vscode.workspace.openTextDocument(uri), line: typeof line === 'number' ? line : cursor };
		}
		if (editor && isRequestDocument(editor.document)) return { document: editor.document, line: editor.selection.active.line };
		throw new RequestDocumentError('Open a .http request document first.', 'Run "Graph Calls: New Request Document", or type gc- in a .http file for a snippet of any call action.');
	}

	private async openAsRequest(node: unknown, action: unknown): Promise<vscode.TextEditor> {
		const n = asNode(node);
		const example = typeof action === 'string' ? CALL_EXAMPLES.find((e) => e.id === action || e.action === action) : await this.pickExample(n, 'Open which request?');
		if (!example) throw new Error(`There is no request example for "${String(action)}": pick one of ${CALL_EXAMPLES.map((e) => e.id).join(', ')}.`);
		const text = `# ${example.title} (${example.action}). Send it with the CodeLens above the request line.\n` + fillNodeIds(serialiseRequest({ method: example.method, url: example.path, body: example.body }), n);
		return openRequestEditor(text);
	}

	private async pickExample(node: RequestNode | undefined, title: string): Promise<CallExample> {
		const items: QuickPickItemWithData<CallExample>[] = examplesFor(node).map((e) => ({ label: e.title, description: `${e.method} ${e.path}`, detail: e.prefix, data: e }));
		return (await this.input.showQuickPick(items, { title, matchOnDescription: true, step: 'request' })).data;
	}

	/** Code for a document request (uri + line), a tree node, a history entry or a logged request. */
	private async copyAsCode(source: unknown, line: unknown, options: CopyAsCodeOptions = {}): Promise<string> {
		const request = await this.requestForCode(source, line);
		const language = options.language ?? (await this.input.showQuickPick(
			CODE_LANGUAGES.map((l): QuickPickItemWithData<CodeLanguage> => ({ label: l.label, data: l.id })),
			{ title: `Copy ${request.method} ${shortPath(request.url)} as`, step: 'language' },
		)).data;
		const code = generateCode(language, request, this.deps.clients.activeProfile?.apiVersion ?? 'v1.0');
		await vscode.env.clipboard.writeText(code);
		const info = CODE_LANGUAGES.find((l) => l.id === language)!;
		if (options.open) {
			const doc = await vscode.workspace.openTextDocument({ language: info.languageId, content: code });
			await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
		} else {
			void this.deps.commands.report(`Copied the request as ${info.label}.`, 'Open in Editor').then(async (choice) => {
				if (choice) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: info.languageId, content: code }), vscode.ViewColumn.Beside);
			});
		}
		return code;
	}

	private async requestForCode(source: unknown, line: unknown): Promise<GenericRequest> {
		if (source instanceof vscode.Uri || (source === undefined && vscode.window.activeTextEditor && isRequestDocument(vscode.window.activeTextEditor.document))) {
			const { document, line: at } = await this.documentAndLine(source, line);
			const parsed = parseHttpDocument(document.getText());
			const block = blockAt(parsed, at);
			if (!block) throw new RequestDocumentError(`There is no request at line ${(at ?? 0) + 1}.`, 'Put the cursor inside a request, or use the "Copy as code" CodeLens above it.');
			// Unknown variables stay as {{name}}: the generators turn id placeholders into the SDKs' own.
			return new VariableResolver(parsed.variables, this.sender.variableValues()).resolve(block).request;
		}
		const entry = asHistoryRequest(source);
		if (entry) return entry;
		const node = asNode(source);
		if (node) {
			const example = typeof line === 'string' ? CALL_EXAMPLES.find((e) => e.id === line || e.action === line) : await this.pickExample(node, 'Copy which request as code?');
			if (!example) throw new Error(`There is no request example for "${String(line)}".`);
			const values = { ...this.sender.variableValues(node) };
			const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (w, name: string) => values[name] ?? w);
			return { method: example.method, url: fill(example.path), body: example.body ? JSON.parse(fill(JSON.stringify(example.body))) : undefined };
		}
		const profile = this.deps.clients.activeProfile;
		const recent = profile ? this.history.list(profile.id) : [];
		if (!recent.length) throw new RequestDocumentError('There is no request to turn into code.', 'Open a .http document and put the cursor in a request, or send one first.');
		return (await this.pickHistory(recent, 'Copy which request as code?')).request;
	}

	private async showHistory(): Promise<unknown> {
		const profile = this.deps.clients.activeProfile;
		if (!profile) throw new RequestDocumentError('No profile is active, so there is no request history to show.', 'Use the local emulator or add a tenant profile.');
		const entries = this.history.list(profile.id);
		if (!entries.length) {
			void this.deps.commands.report(`No requests sent from documents with profile "${profile.name}" yet.`);
			return undefined;
		}
		const entry = await this.pickHistory(entries, `Requests sent with ${profile.name}`);
		const choice = await this.input.showQuickPick(
			[{ label: 'Open in Editor', data: 'open' }, { label: 'Send Again', data: 'resend' }, { label: 'Copy as Code', data: 'code' }] as QuickPickItemWithData<string>[],
			{ title: `${entry.request.method} ${shortPath(entry.request.url)}`, step: 'historyAction' },
		);
		if (choice.data === 'resend') return this.sender.send(entry.request);
		if (choice.data === 'code') return this.copyAsCode(entry, undefined);
		return openRequestEditor(serialiseRequest({ name: entry.request.name, method: entry.request.method, url: entry.request.url, headers: entry.request.headers, body: entry.request.body }));
	}

	private async pickHistory(entries: readonly HistoryEntry[], title: string): Promise<HistoryEntry> {
		const items = entries.map((e): QuickPickItemWithData<HistoryEntry> => ({
			label: `${e.status ?? '—'} ${e.request.method} ${shortPath(e.request.url)}`,
			description: new Date(e.at).toLocaleTimeString(),
			detail: e.request.name,
			data: e,
		}));
		return (await this.input.showQuickPick(items, { title, step: 'history' })).data;
	}

	private async resend(entry: unknown): Promise<SendOutcome> {
		const given = asHistoryRequest(entry);
		if (given) return this.sender.send({ method: given.method, url: given.url, headers: headerList(given.headers), body: typeof given.body === 'string' ? given.body : given.body === undefined ? undefined : JSON.stringify(given.body) });
		const profile = this.deps.clients.activeProfile;
		const last = profile ? this.history.list(profile.id)[0] : undefined;
		if (!last) throw new RequestDocumentError('No request has been sent from a document with this profile yet.', 'Send one with the "Send with" CodeLens first.');
		return this.sender.send(last.request);
	}
}

function asNode(v: unknown): RequestNode | undefined {
	if (v && typeof v === 'object' && typeof (v as RequestNode).callId === 'string' && !(v instanceof vscode.Uri)) {
		const n = v as RequestNode;
		return { callId: n.callId, participantId: n.participantId, operationId: n.operationId };
	}
	return undefined;
}

/** A history entry, a history entry's request, or a logged request event (method, url, requestHeaders, requestBody). */
function asHistoryRequest(v: unknown): GenericRequest | undefined {
	if (!v || typeof v !== 'object') return undefined;
	const o = v as Record<string, unknown>;
	if (o.request && typeof o.request === 'object') return asHistoryRequest(o.request);
	if (typeof o.method !== 'string' || typeof o.url !== 'string') return undefined;
	const headers = (o.headers ?? o.requestHeaders) as GenericRequest['headers'];
	return { method: o.method, url: o.url, headers, body: o.body ?? o.requestBody };
}

function headerList(h: GenericRequest['headers']): { name: string; value: string }[] {
	if (!h) return [];
	return Array.isArray(h) ? [...h] : Object.entries(h).map(([name, value]) => ({ name, value: String(value) }));
}

/** Examples that fit the node: participant actions for a participant, the operation for an operation, else call actions. */
export function examplesFor(node: RequestNode | undefined): CallExample[] {
	if (!node) return [...CALL_EXAMPLES];
	const needsParticipant = (e: CallExample) => e.path.includes('{{participantId}}');
	const isCallAction = (e: CallExample) => e.path.includes('{{callId}}') && !needsParticipant(e) && !e.path.includes('{{operationId}}');
	const first = node.operationId ? CALL_EXAMPLES.filter((e) => e.path.includes('{{operationId}}')) : node.participantId ? CALL_EXAMPLES.filter(needsParticipant) : [];
	return [...first, ...CALL_EXAMPLES.filter(isCallAction)];
}

function fillNodeIds(text: string, node: RequestNode | undefined): string {
	if (!node) return text;
	return text
		.replace(/\{\{callId\}\}/g, node.callId)
		.replace(/\{\{participantId\}\}/g, node.participantId ?? '{{participantId}}')
		.replace(/\{\{operationId\}\}/g, node.operationId ?? '{{operationId}}');
}

function shortPath(url: string): string {
	return url.replace(/^https?:\/\/[^/]+/, '').replace(/^\/(v1\.0|beta)(?=\/)/, '');
}

export function registerRequestCommands(deps: RequestCommandDeps): RequestFeatures {
	return new RequestFeatures(deps);
}
