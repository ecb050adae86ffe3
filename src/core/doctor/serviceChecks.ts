/**
 * The checks that ask Graph itself: a GET of a call id nobody has. A healthy setup gets 404 (the calling service
 * took the request and found no such call); a missing bot registration, missing consent or a tenant mismatch gets
 * 403 with 7503, 7504 or 7505 first. The same answer's Date header tells the clock's skew.
 */
import { cannotCheck, fail, pass, type CheckResult } from './doctorModel';
import { checkForGraphFailure } from '../setup/failureChecks';

export interface ProbeAnswer {
	readonly status: number;
	readonly headers: Readonly<Record<string, string>>;
	readonly body: unknown;
	/** Local time (ms) when the request was sent and when the answer arrived. */
	readonly sentAt: number;
	readonly receivedAt: number;
}

export type ProbeOutcome = { readonly answer: ProbeAnswer } | { readonly error: string };

/** A call id that exists nowhere: the probe's target. */
export const PROBE_CALL_ID = '00000000-0000-0000-0000-0000d0c70000';

function graphError(body: unknown): { code?: string; message?: string } {
	const e = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
	return { code: typeof e?.code === 'string' ? e.code : undefined, message: typeof e?.message === 'string' ? e.message : undefined };
}

const FIXES: Readonly<Record<string, string>> = {
	'7503': 'Create an Azure Bot whose Microsoft App ID is this client id, add the Microsoft Teams channel, turn on Calling with the calling webhook set to the callback URL, and wait a few minutes for it to take effect.',
	'7504': 'Have an administrator of the tenant grant admin consent to the app\'s Calls.* application permissions (Entra admin center > App registrations > API permissions > Grant admin consent).',
	'7505': 'Get the token from the tenant the calls belong to, and send that tenant as tenantId in the call\'s body.',
};

export function callingServiceCheck(probe: ProbeOutcome | undefined): CheckResult {
	if (!probe) return cannotCheck('callingService', 'No token, so Graph was not asked.', 'Fix the "Token" check first.');
	if ('error' in probe) return cannotCheck('callingService', `Graph could not be reached: ${probe.error}`, 'Check the network (and proxy) to the Graph host, then run the doctor again.');
	const { status, body } = probe.answer;
	if (status === 404 || (status >= 200 && status < 300)) {
		return pass('callingService', `GET /communications/calls/${PROBE_CALL_ID} was taken by the calling service (HTTP ${status}): the app is known to it.`);
	}
	const { code, message } = graphError(body);
	const calling = ['7503', '7504', '7505'].find((c) => code === c || (message ?? '').includes(c));
	if (calling) {
		const check = checkForGraphFailure({ status, code, message });
		return fail('callingService', `Graph answered ${status} with ${calling}: ${readable(message) ?? code ?? ''} (see the "${check === 'botChannel' ? 'Azure Bot Teams channel' : check === 'consent' ? 'Admin consent' : 'Tenant'}" check).`, FIXES[calling]);
	}
	if (status === 403) return fail('callingService', `Graph refused the request (403${code ? ` ${code}` : ''}): ${readable(message) ?? 'no message'}.`, 'See the "Application roles" and "Admin consent" checks.');
	return cannotCheck('callingService', `Graph answered ${status}${code ? ` ${code}` : ''}${message ? `: ${readable(message)}` : ''}, which says nothing about the setup.`, 'Run the doctor again in a minute.');
}

/** Graph sometimes nests the calling service's own JSON in error.message: show its message. */
function readable(message: string | undefined): string | undefined {
	if (!message) return undefined;
	if (message.startsWith('{')) {
		try {
			const inner = JSON.parse(message) as { message?: unknown; errorCode?: unknown };
			if (typeof inner.message === 'string') return `${inner.message}${inner.errorCode ? ` (errorCode ${String(inner.errorCode)})` : ''}`;
		} catch {
			// not JSON after all: show it as it is
		}
	}
	return message;
}

/** Entra accepts tokens a few minutes either side of their validity window; beyond that, signing in and callbacks fail. */
export const MAX_SKEW_SECONDS = 300;

/**
 * The local clock against the Date header of an answer from the service. The header has a one-second resolution and
 * was written somewhere between sending and receiving, so the skew is measured from the midpoint and anything within
 * the round trip plus a second counts as none.
 */
export function clockCheck(probe: ProbeOutcome | undefined): CheckResult {
	if (!probe || 'error' in probe) return cannotCheck('clock', 'No answer from Graph to read a Date header from.', 'Fix the "Token" check first, or compare the clock with an NTP server by hand.');
	const date = probe.answer.headers['date'];
	const serverMs = date ? Date.parse(date) : NaN;
	if (Number.isNaN(serverMs)) return cannotCheck('clock', 'Graph\'s answer has no readable Date header.', 'Compare the clock with an NTP server by hand.');
	const { sentAt, receivedAt } = probe.answer;
	const midpoint = (sentAt + receivedAt) / 2;
	const tolerance = (receivedAt - sentAt) / 2 + 1000;
	const skewMs = midpoint - serverMs;
	const skew = Math.abs(skewMs) <= tolerance ? 0 : Math.round(skewMs / 1000);
	const side = skew > 0 ? 'ahead of' : 'behind';
	if (Math.abs(skew) > MAX_SKEW_SECONDS) {
		return fail('clock', `This machine's clock is ${Math.abs(skew)} s ${side} the service's (Date: ${date}): tokens look not yet valid or expired.`, 'Turn on automatic time synchronisation (NTP) on this machine, then run the doctor again.');
	}
	return pass('clock', skew === 0 ? 'This machine\'s clock agrees with the service\'s (within the round trip).' : `This machine's clock is ${Math.abs(skew)} s ${side} the service's: within the ${MAX_SKEW_SECONDS} s tokens tolerate.`);
}
