import { explainCallingCode as explainAuthCallingCode } from '../auth/authErrors';
import { endpointFor, type CallAction } from '../schema/endpoints';

/** A plain explanation of a Graph failure and the next thing the user can do about it. */
export interface Explanation {
	readonly explanation: string;
	readonly nextStep: string;
}

export interface ExplainInput {
	readonly status: number;
	readonly code?: string;
	readonly message?: string;
	readonly action?: CallAction;
	readonly retryAfterSeconds?: number;
}

/** Calling error codes Graph puts in `error.code` or in the message text. 7503-7505 are explained by the auth area. */
const KEEPALIVE_TIMEOUT: Explanation = {
	explanation: 'The call ended with 8537: no keepAlive reached Graph within 45 minutes.',
	nextStep: 'Send keepAlive every 15 minutes while a call is up (Graph Calls: Keep Alive), and create a new call.',
};
const CALLING_CODE_NAMES = ['7503', '7504', '7505', '8537'];

/** 7503/7504/7505/8537 wherever Graph put them: the code, or the message text. */
export function findCallingCode(code: string | undefined, message: string | undefined): string | undefined {
	for (const c of CALLING_CODE_NAMES) {
		if (code === c || (message !== undefined && new RegExp(`\\b${c}\\b`).test(message))) return c;
	}
	return undefined;
}

export function explainCallingCode(code: string): Explanation | undefined {
	if (code === '8537') return KEEPALIVE_TIMEOUT;
	const e = explainAuthCallingCode(code);
	return e ? { explanation: e.message, nextStep: e.nextStep } : undefined;
}

export function explainGraphError(e: ExplainInput): Explanation {
	const calling = findCallingCode(e.code, e.message);
	const known = calling ? explainCallingCode(calling) : undefined;
	if (known) return known;
	switch (e.status) {
		case 401:
			return {
				explanation: 'Graph rejected the access token (401), even after getting a fresh one.',
				nextStep: 'Check the profile\'s tenant id, client id and secret or certificate, and that the token is for this cloud\'s Graph host.',
			};
		case 403: {
			const permissions = e.action ? endpointFor(e.action).leastPrivileged : [];
			const named = permissions.length ? ` It needs one of these application permissions: ${permissions.join(', ')}.` : '';
			return {
				explanation: `Graph refused the request (403): the application lacks the permission for it.${named}`,
				nextStep: 'Add the permission to the app registration, grant admin consent, then refresh the token by trying again after a minute.',
			};
		}
		case 404:
			if (e.action === 'call.keepAlive') {
				return {
					explanation: 'The call is gone (404 on keepAlive): it ended, possibly with 8537 because no keepAlive arrived in 45 minutes.',
					nextStep: 'Remove the call from the Calls view and create a new one.',
				};
			}
			return {
				explanation: e.action?.startsWith('call.') || e.action?.startsWith('participant.') || e.action === 'operation.get'
					? 'Graph does not know this call, participant or operation (404): the call has probably ended.'
					: 'Graph has no such resource (404).',
				nextStep: 'Refresh the call (Graph Calls: Get Call) or remove it from the Calls view.',
			};
		case 429:
		case 503:
		case 504: {
			const wait = e.retryAfterSeconds !== undefined ? ` Graph asked to wait ${e.retryAfterSeconds} s.` : '';
			return {
				explanation: e.status === 429
					? `Graph is throttling this application (429) and the retries ran out.${wait}`
					: `Graph is temporarily unavailable (${e.status}) and the retries ran out.${wait}`,
				nextStep: 'Wait a little and run the command again; the calls API allows 50,000 requests per 15 s per app and tenant.',
			};
		}
		case 400:
			return {
				explanation: 'Graph rejected the request body or parameters (400).',
				nextStep: 'Read the message above and the request in the Graph Calls log (Show Log), fix the input and try again.',
			};
		case 409:
			return {
				explanation: 'The call is not in a state that allows this action (409).',
				nextStep: 'Refresh the call to see its state, then pick an action that fits it.',
			};
		default:
			return {
				explanation: `Graph answered ${e.status}.`,
				nextStep: 'Open the Graph Calls log (Show Log) for the request and response, and try again.',
			};
	}
}
