import { checkForGraphFailure, doctorHint } from '../setup/failureChecks';
import type { DoctorCheckId } from '../setup/doctorChecks';
import type { CallAction } from '../schema/endpoints';
import { explainGraphError } from './graphErrorExplanations';

/** Graph's error body: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
interface GraphErrorBody {
	error?: {
		code?: string;
		message?: string;
		innerError?: { date?: string; 'request-id'?: string; 'client-request-id'?: string };
	};
}

export type GraphFailureKind = 'http' | 'timeout' | 'network';

export interface GraphErrorInit {
	readonly kind: GraphFailureKind;
	readonly method: string;
	/** Path below the version root (or the full URL when outside it); already redacted. */
	readonly path: string;
	readonly status?: number;
	readonly code?: string;
	readonly graphMessage?: string;
	readonly requestId?: string;
	readonly clientRequestId: string;
	readonly date?: string;
	readonly action?: CallAction;
	readonly retryAfterSeconds?: number;
	/** Why the client stopped retrying, when it retried. */
	readonly retryNote?: string;
	readonly explanation: string;
	readonly nextStep: string;
	/** The setup doctor check that finds the cause (403 with a missing role, 7503, 7504, 7505, 8506, a bad callbackUri). */
	readonly doctorCheck?: DoctorCheckId;
}

/**
 * A failed Graph request, with everything a bug report needs and a plain next step. Its `message` and
 * `explanation` are shown by the command wrapper; neither ever contains a token (bodies are redacted first).
 */
export class GraphError extends Error {
	readonly kind: GraphFailureKind;
	readonly method: string;
	readonly path: string;
	readonly status?: number;
	readonly code?: string;
	readonly graphMessage?: string;
	readonly requestId?: string;
	readonly clientRequestId: string;
	readonly date?: string;
	readonly action?: CallAction;
	readonly retryAfterSeconds?: number;
	readonly nextStep: string;
	/** Explanation and next step together: what the command wrapper appends to the message. */
	readonly explanation: string;
	/** The setup doctor check that finds the cause; the command wrapper then offers "Run Setup Doctor". */
	readonly doctorCheck?: DoctorCheckId;

	constructor(init: GraphErrorInit) {
		const what = init.kind === 'http'
			? `${init.status}${init.code ? ` ${init.code}` : ''}${init.graphMessage ? `: ${init.graphMessage}` : ''}`
			: init.graphMessage ?? init.kind;
		super(`${init.method} ${init.path} failed: ${what}`);
		this.name = 'GraphError';
		this.kind = init.kind;
		this.method = init.method;
		this.path = init.path;
		this.status = init.status;
		this.code = init.code;
		this.graphMessage = init.graphMessage;
		this.requestId = init.requestId;
		this.clientRequestId = init.clientRequestId;
		this.date = init.date;
		this.action = init.action;
		this.retryAfterSeconds = init.retryAfterSeconds;
		this.nextStep = init.nextStep;
		this.doctorCheck = init.doctorCheck;
		const ids = `[request-id ${init.requestId ?? 'none'}, client-request-id ${init.clientRequestId}${init.date ? `, ${init.date}` : ''}]`;
		this.explanation = `${init.explanation}${init.retryNote ? ` (${init.retryNote})` : ''} ${init.nextStep}${init.doctorCheck ? ` ${doctorHint(init.doctorCheck)}` : ''} ${ids}`;
	}

	/** Build from an HTTP answer whose body has already been redacted. */
	static fromResponse(args: {
		method: string;
		path: string;
		status: number;
		body: unknown;
		headers: Record<string, string>;
		clientRequestId: string;
		action?: CallAction;
		retryAfterMs?: number;
		retryNote?: string;
	}): GraphError {
		const err = (args.body && typeof args.body === 'object' ? (args.body as GraphErrorBody).error : undefined) ?? {};
		const inner = err.innerError ?? {};
		const retryAfterSeconds = args.retryAfterMs !== undefined ? Math.ceil(args.retryAfterMs / 1000) : undefined;
		const graphMessage = err.message ?? (typeof args.body === 'string' && args.body.length > 0 ? readableText(args.body) : undefined);
		const ex = explainGraphError({ status: args.status, code: err.code, message: graphMessage, action: args.action, retryAfterSeconds });
		return new GraphError({
			kind: 'http',
			method: args.method,
			path: args.path,
			status: args.status,
			code: err.code,
			graphMessage,
			requestId: inner['request-id'] ?? args.headers['request-id'],
			clientRequestId: inner['client-request-id'] ?? args.headers['client-request-id'] ?? args.clientRequestId,
			date: inner.date ?? args.headers['date'],
			action: args.action,
			retryAfterSeconds,
			retryNote: args.retryNote,
			explanation: ex.explanation,
			nextStep: ex.nextStep,
			doctorCheck: checkForGraphFailure({ status: args.status, code: err.code, message: graphMessage }),
		});
	}
}

/** A text body as one short line; an HTML page (a proxy's or gateway's, not Graph's) by its title, without markup. */
function readableText(body: string): string {
	if (!/^\s*(<!doctype html|<html)/i.test(body)) return body.slice(0, 300);
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
	const text = title || body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
	return `${text} (an HTML page from a proxy or gateway, not a Graph answer)`;
}

/** The user cancelled: named AbortError with "cancel" in the message so the command wrapper stays silent. */
export class RequestCancelledError extends Error {
	constructor(method: string, path: string) {
		super(`${method} ${path} was cancelled by the user`);
		this.name = 'AbortError';
	}
}
