import type { ResultInfo } from '../schema/types';

/**
 * Plain explanations of the `resultInfo` codes a bot developer meets most, keyed "code/subcode".
 * Sources: Graph docs (resources/resultinfo, call-notifications, calling error codes).
 */
const KNOWN: Readonly<Record<string, string>> = {
	'200/5001': 'the call ended normally',
	'200/4521': 'the other person hung up (peer-to-peer call)',
	'200/540000': 'the phone (PSTN) caller or callee hung up',
	'200/560000': 'the phone (PSTN) caller or callee hung up',
	'200/7000': 'the call ended: the bot hung up',
	'200/7015': 'transfer completed',
	'408/1106': 'the incoming call was not answered in time (acceptance not acknowledged within 15 s)',
	'408/8537': 'keepAlive not sent in time',
	'480/10037': 'no callee endpoints: the target is offline or cannot take calls',
	'500/1005': 'bot media connectivity failure: the media platform could not reach the bot',
};

/** Calling error subcodes that mean the same whatever code comes with them. */
const BY_SUBCODE: Readonly<Record<number, string>> = {
	7503: 'application not registered: the bot or its Teams channel is missing',
	7504: 'insufficient enterprise tenant permissions: grant admin consent for the calling permissions',
	7505: 'request authorization tenant mismatch: the token is for another tenant than the call',
};

const BY_CODE: Readonly<Record<number, string>> = {
	200: 'completed',
	400: 'bad request',
	403: 'forbidden',
	404: 'not found',
	408: 'timed out',
	410: 'gone',
	480: 'temporarily unavailable',
	486: 'busy',
	487: 'cancelled',
	500: 'server error',
	503: 'service unavailable',
};

/**
 * "408/8537: keepAlive not sent in time": the codes first (they are what a search or a support ticket needs),
 * then what they mean. Falls back to the service's own message, then to the HTTP-like class of the code.
 */
export function explainResultInfo(info: ResultInfo | null | undefined): string | undefined {
	if (!info || (info.code == null && info.subcode == null && !info.message)) return undefined;
	const codes = `${info.code ?? '?'}/${info.subcode ?? '?'}`;
	const known = KNOWN[codes] ?? (info.subcode != null ? BY_SUBCODE[info.subcode] : undefined);
	if (known) return `${codes}: ${known}`;
	if (info.message) return `${codes}: ${info.message}`;
	const cls = info.code != null ? BY_CODE[info.code] : undefined;
	return cls ? `${codes}: ${cls}` : codes;
}

/** True for resultInfo codes that mean the call or operation failed rather than ended normally. */
export function isFailure(info: ResultInfo | null | undefined): boolean {
	return !!info && info.code != null && info.code >= 400;
}
