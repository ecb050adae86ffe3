import * as vscode from 'vscode';
import type { CallStore, CallStoreReader } from '../../core/calls/callStore';
import { applyResponse } from '../../core/calls/responseFeed';
import { getCall, listParticipants, type ActionOptions, type GraphSender } from '../../core/graph/calls';
import type { GraphRequest, GraphResponse } from '../../core/graph/graphClient';
import { GraphError } from '../../core/graph/graphError';
import type { CallResource, OperationResource } from '../../core/schema/types';
import type { Configuration } from '../shared/configuration';
import type { Commands } from '../shared/commands';
import type { GraphClients } from '../profiles/graphClients';

/**
 * Every call and participant action goes through here: it sends with a cancellable progress notification, and it
 * alone feeds the CallStore from Graph's answers (request documents hand their answers to `feed` too). A 404 for
 * a call marks that call ended before the error reaches the user.
 */
export class CallCommandRunner {
	constructor(private readonly deps: {
		readonly clients: GraphClients;
		readonly store: CallStore;
		readonly commands: Commands;
		readonly configuration: Configuration;
	}) {}

	get store(): CallStoreReader {
		return this.deps.store;
	}

	/**
	 * Runs Graph work with progress; every answer it gets is fed into the store. With `callId`, a 404 means that
	 * call is gone: it is marked ended and the error is rethrown.
	 */
	async send<T>(title: string, work: (client: GraphSender, o: ActionOptions) => Promise<T>, callId?: string): Promise<T> {
		const client = this.feeding(this.deps.clients.active());
		try {
			return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
				const ac = new AbortController();
				const sub = token.onCancellationRequested(() => ac.abort());
				try {
					return await work(client, { signal: ac.signal, timeoutMs: this.deps.configuration.current.requestTimeoutMs });
				} finally {
					sub.dispose();
				}
			});
		} catch (err) {
			if (callId !== undefined && err instanceof GraphError && err.status === 404) this.markGone(callId);
			throw err;
		}
	}

	/** Applies a successful answer to `method url` to the store; returns the call it concerned. */
	feed(method: string, urlOrPath: string, response: Pick<GraphResponse, 'status' | 'headers' | 'body'>): string | undefined {
		return applyResponse(this.deps.store, method, urlOrPath, response, this.deps.clients.activeProfile?.apiVersion);
	}

	markGone(callId: string): void {
		this.deps.store.applyEnded(callId, undefined, 'poll');
	}

	/** A participant Graph no longer knows (404) while the call goes on. */
	participantGone(callId: string, participantId: string): void {
		this.deps.store.removeParticipants(callId, [participantId]);
	}

	/**
	 * Tracks a call created elsewhere: GETs it under any spelling of its id, then keeps it (and its roster, when
	 * Graph lists one) under the id the service answers to. A 404 reaches the caller.
	 */
	async trackExisting(typedId: string): Promise<CallResource> {
		const client = this.deps.clients.active();
		const call = await vscode.window.withProgress({ location: { viewId: 'graphCalls.calls' } }, () => getByAnySpelling(client, typedId));
		const id = call.id || typedId;
		this.deps.store.track(id);
		this.deps.store.applyCall({ ...call, id }, 'poll');
		try {
			const roster = (await listParticipants(client, id)).body?.value;
			if (roster) this.deps.store.applyParticipants(id, roster, 'poll');
		} catch {
			// The call is tracked; its roster follows with the next poll or notification.
		}
		return { ...call, id };
	}

	/** An incoming call the emulator rings the bot with: shown as a notification would show it. */
	noteIncoming(call: CallResource): void {
		this.deps.store.applyCall(call, 'notification');
	}

	/** Tells the user how the command went (an information message; the command's outcome). */
	report<T>(message: string, value?: T): T | undefined {
		void this.deps.commands.report(message);
		return value;
	}

	/** How an operation answer stands, for the report. */
	operationMessage(what: string, r: GraphResponse<OperationResource | undefined | void>): string {
		const op = r.body && typeof r.body === 'object' ? (r.body as OperationResource) : undefined;
		if (!op) return `${what}: accepted (${r.status}).`;
		const result = op.resultInfo ? `, result ${op.resultInfo.code}/${op.resultInfo.subcode}${op.resultInfo.message ? ` ${op.resultInfo.message}` : ''}` : '';
		const status = String(op.status ?? '');
		const follow = status === 'running' || status === 'notStarted' ? '; a notification reports when it finishes' : '';
		return `${what}: operation ${op.status ?? 'accepted'}${result}${follow} (operation ${op.id ?? 'without id'}).`;
	}

	private feeding(client: GraphSender): GraphSender {
		return {
			request: async <T>(req: GraphRequest): Promise<GraphResponse<T>> => {
				const response = await client.request<T>(req);
				const url = req.url ?? req.path;
				if (url) this.feed(req.method, url, response);
				return response;
			},
		};
	}
}

/**
 * GET the call as typed; notifications spell ids upper-case without dashes, so a 404 for 32 hex digits is retried
 * in the dashed lower-case form the API uses. No GUID validation: other shapes are sent as they are.
 */
async function getByAnySpelling(client: GraphSender, id: string): Promise<CallResource> {
	try {
		return (await getCall(client, id)).body;
	} catch (err) {
		const hex = /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : undefined;
		if (!(err instanceof GraphError && err.status === 404) || !hex) throw err;
		const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
		return (await getCall(client, dashed)).body;
	}
}
