import * as vscode from 'vscode';
import { graphHostOf, type TenantProfile } from '../../core/auth/tenantProfile';
import type { GraphClient, GraphResponse } from '../../core/graph/graphClient';
import { matchEndpoint, type EndpointMatch } from '../../core/schema/endpointMatch';
import { parseHttpDocument, type HttpRequestBlock, type ParsedHttpDocument } from '../../core/requests/httpDocument';
import { isForbiddenDocumentHeader, resolveRequestTarget } from '../../core/requests/requestTarget';
import { describeUnknown, VariableResolver, type ResolvedRequest, type VariableValues } from '../../core/requests/variables';
import type { CallStoreReader } from '../../core/calls/callStore';
import type { Configuration } from '../shared/configuration';
import type { NodeTarget } from '../shared/nodeTarget';
import { ActionableError } from '../shared/actionableError';
import type { UserInput } from '../shared/userInput';
import type { RequestHistory } from './requestHistory';
import type { ResponseViewer } from './responseViewer';

export const EMULATOR_DEFAULT_USER_ID = '0d5e1a6b-0001-4a00-8000-000000000001';

/** The tree node a command or the selection refers to. */
export type RequestNode = NodeTarget;

export interface RequestSenderDeps {
	/** GraphClients: the active profile and its client. */
	readonly clients: { active(): GraphClient; readonly activeProfile: TenantProfile | undefined };
	/** Hands Graph's answer to the call-command runner, which updates the calls it concerns; returns that call's id. */
	readonly feed?: (method: string, url: string, response: GraphResponse) => string | undefined;
	/** The calls we know, for `{{callId}}` when nothing is selected. */
	readonly calls?: CallStoreReader;
	readonly input: () => UserInput;
	readonly configuration: Configuration;
	readonly log: vscode.LogOutputChannel;
	readonly history: RequestHistory;
	readonly viewer: ResponseViewer;
	/** The selected node in the Calls view, when the tree exposes it. */
	readonly selectedNode?: () => RequestNode | undefined;
	/** The callbackUri for the profile (callback receiver or profile setting); may throw when there is none. */
	readonly callbackUri?: (profile: TenantProfile) => string | undefined;
}

export interface SendOutcome {
	readonly request: ResolvedRequest;
	readonly response: GraphResponse;
	readonly match?: EndpointMatch;
	readonly callId?: string;
	readonly sentWithoutToken: boolean;
}

/** Thrown for a document problem the user fixes in the editor; the message names the line. */
export class RequestDocumentError extends ActionableError {
	constructor(message: string, explanation?: string) {
		super(message, explanation);
		this.name = 'RequestDocumentError';
	}
}

/** Sends requests from `.http` documents with the active profile, under the token-host rule. */
export class RequestSender {
	/** The call created last from a document: `{{callId}}` falls back to it when nothing is selected. */
	lastCallId?: string;

	constructor(private readonly deps: RequestSenderDeps) {}

	/** Values for `{{variables}}`: settings, then the active profile, then the node (or the selection, or the last created call). */
	variableValues(node?: RequestNode): VariableValues {
		const values: Record<string, string> = {};
		const set = (k: string, v: unknown) => {
			if (typeof v === 'string' && v !== '') values[k] = v;
		};
		const configured = this.deps.configuration.current.requestVariables;
		for (const [k, v] of Object.entries(configured)) set(k, typeof v === 'number' ? String(v) : v);
		const profile = this.deps.clients.activeProfile;
		// The emulator's directory answers as Adele Vance (src/core/emulator/directory.ts): a userId that works out of the box.
		if (profile?.emulator && values.userId === undefined) set('userId', EMULATOR_DEFAULT_USER_ID);
		if (profile) {
			set('tenantId', profile.tenantId);
			set('clientId', profile.clientId);
			let callbackUri: string | undefined;
			try {
				callbackUri = this.deps.callbackUri?.(profile);
			} catch {
				// No callback URL yet: {{callbackUri}} is reported as unknown, with what to do.
			}
			set('callbackUri', callbackUri ?? profile.callbackUrl);
		}
		const selected = node ?? this.deps.selectedNode?.();
		set('callId', selected?.callId ?? this.lastCallId ?? this.onlyActiveCallId());
		set('participantId', selected?.participantId);
		set('operationId', selected?.operationId);
		return values;
	}

	/** With nothing selected and nothing created from a document, the one call still going (if there is exactly one). */
	private onlyActiveCallId(): string | undefined {
		const active = this.deps.calls?.list().filter((c) => !c.ended) ?? [];
		return active.length === 1 ? active[0].callId : undefined;
	}

	/** Parses, resolves and sends the request at `line` of the document. */
	async sendFromDocument(document: vscode.TextDocument, line: number | undefined, node?: RequestNode): Promise<SendOutcome> {
		const text = document.getText();
		const parsed = parseHttpDocument(text);
		const block = blockAt(parsed, line);
		if (!block) {
			throw new RequestDocumentError(
				parsed.requests.length === 0 ? 'This document has no request to send.' : `There is no request at line ${(line ?? 0) + 1}.`,
				'Write a request such as `GET /communications/calls/{{callId}}`, put the cursor in it, or use the "Send with" CodeLens above it.',
			);
		}
		const errors = parsed.diagnostics.filter((d) => d.severity === 'error' && d.line >= block.startLine && d.line <= block.endLine);
		if (errors.length) throw new RequestDocumentError(`The request on line ${block.requestLine + 1} has problems: ${errors.map((e) => e.message).join(' ')}`, 'Fix them (see the Problems view) and send again.');
		const { request, unknown } = new VariableResolver(parsed.variables, this.variableValues(node)).resolve(block);
		if (unknown.length) throw new RequestDocumentError(`The request on line ${block.requestLine + 1} cannot be sent yet: ${unknown.map(describeUnknown).join(' ')}`);
		return this.send(request);
	}

	/** Sends a resolved request (from a document or the history). */
	async send(request: ResolvedRequest): Promise<SendOutcome> {
		const client = this.deps.clients.active();
		const profile = this.deps.clients.activeProfile!;
		const target = resolveRequestTarget(request.url, graphHostOf(profile), profile.apiVersion);
		const input = this.deps.input();
		const shown = `${request.method} ${target.url.href}`;
		if (!vscode.workspace.isTrusted) {
			const body = request.body ? `\n\nBody:\n${bodyPreview(request.body)}` : '\n\nNo body.';
			await input.showWarningMessage(`This workspace is not trusted. Send this request with profile "${profile.name}"?`, { modal: true, detail: `${shown}${body}\n\nRequests in an untrusted folder may have been written by someone else. Read the request before sending it.` }, 'Send');
		}
		if (!target.mayAttachToken) {
			await input.showWarningMessage(
				`This request goes to ${target.url.origin}, not to the Graph host of profile "${profile.name}" (${graphHostOf(profile)}).`,
				{ modal: true, detail: "It will be sent WITHOUT the profile's access token: a request document can never send the token anywhere else." },
				'Send Without Token',
			);
			this.deps.log.warn(`request document: ${shown} is not the profile's Graph host; sent without the access token`);
		}
		const headers: Record<string, string> = {};
		for (const h of request.headers) {
			if (isForbiddenDocumentHeader(h.name)) {
				this.deps.log.warn(`request document: header ${h.name} ignored (the extension sets it).`);
				continue;
			}
			headers[h.name] = h.value;
		}
		const match = target.mayAttachToken ? matchEndpoint(request.method, target.url.href, profile.apiVersion) : undefined;
		const response = await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Notification, title: `Sending ${request.method} ${client.displayPath(target.url.href)}`, cancellable: true },
			(_progress, token) => {
				const abort = new AbortController();
				const sub = token.onCancellationRequested(() => abort.abort());
				return client.request({ method: request.method, url: target.url.href, headers, body: request.body, signal: abort.signal, acceptAnyStatus: true, action: match?.row.action }).finally(() => sub.dispose());
			},
		);
		let callId: string | undefined;
		if (this.deps.feed) {
			callId = this.deps.feed(request.method, target.url.href, response);
			if (callId && match?.row.action === 'call.create') this.lastCallId = callId;
		}
		await this.deps.history.add(profile.id, { request: { ...request, headers: Object.entries(headers).map(([name, value]) => ({ name, value })) }, status: response.status, durationMs: response.durationMs });
		await this.deps.viewer.show({
			profileName: profile.name,
			method: request.method,
			url: target.url.href,
			status: response.status,
			durationMs: response.durationMs,
			headers: response.headers,
			body: response.body,
			requestId: response.requestId,
			clientRequestId: response.clientRequestId,
			sentWithoutToken: !target.mayAttachToken,
		});
		return { request, response, match, callId, sentWithoutToken: !target.mayAttachToken };
	}
}

/** The start of a body for a confirmation: enough to see what is sent, never a wall of text. */
export function bodyPreview(body: string, max = 400): string {
	const text = body.trim();
	return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** The request containing `line`; without a line, the only request. */
export function blockAt(doc: ParsedHttpDocument, line: number | undefined): HttpRequestBlock | undefined {
	if (line === undefined) return doc.requests.length === 1 ? doc.requests[0] : undefined;
	return doc.requests.find((r) => line >= r.startLine && line <= r.endLine);
}
