/**
 * Input checks for call actions, shared by the InputBox `validateInput` callbacks and the typed functions in
 * calls.ts. Each returns undefined when the value is fine, or a message saying what is wrong and what to enter.
 */

export const LIMITS = {
	prompts: 20,
	recordSeconds: 120,
	redirectTargets: 25,
	invitees: 5,
	groupCallTargets: 5,
	redirectTimeoutMin: 15,
	redirectTimeoutMax: 90,
	dtmfTones: 30,
} as const;

export const TONES = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'] as const;
export type ToneName = (typeof TONES)[number];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = /^\+[1-9]\d{1,14}$/;

/** Thrown by calls.ts when an argument fails its check, before anything is sent. */
export class ValidationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ValidationError';
	}
}

export function checkGuid(value: string, what: string): string | undefined {
	return GUID.test(value.trim()) ? undefined : `${what} must be a GUID like 00000000-0000-0000-0000-000000000000; got "${value.trim().slice(0, 60)}".`;
}

export function checkE164(value: string): string | undefined {
	return E164.test(value.trim()) ? undefined : `Enter the phone number in E.164 form: + then country code and number, digits only, at most 15 (for example +14255550100).`;
}

/** https URLs only, except loopback http for the local emulator and a local callback receiver. */
export function checkHttpsUrl(value: string, what: string, options: { allowLoopbackHttp?: boolean } = {}): string | undefined {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return `${what} must be a full URL starting with https:// (for example https://contoso.example/audio/welcome.wav).`;
	}
	if (url.protocol === 'https:') return undefined;
	if (options.allowLoopbackHttp && url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]')) return undefined;
	return `${what} must use https:// (Graph only fetches and calls HTTPS URLs); got ${url.protocol}//.`;
}

/** Tones as typed by a user: "1 2 3 # *" or "tone1,tone2,pound". */
export function parseTones(value: string): { tones?: ToneName[]; error?: string } {
	const parts = value.split(/[\s,]+/).filter(Boolean);
	if (parts.length === 0) return { error: 'Enter at least one tone: digits 0-9, * and #, or names like tone1, star, pound.' };
	if (parts.length > LIMITS.dtmfTones) return { error: `Send at most ${LIMITS.dtmfTones} tones at a time; got ${parts.length}.` };
	const tones: ToneName[] = [];
	for (const raw of parts) {
		const p = raw.toLowerCase();
		// Users type digits and symbols; Graph wants names.
		const singles = /^[0-9*#]+$/.test(p) ? [...p].map((ch) => (ch === '*' ? 'star' : ch === '#' ? 'pound' : `tone${ch}`)) : [p];
		for (const t of singles) {
			if (!(TONES as readonly string[]).includes(t)) return { error: `"${raw}" is not a tone. Use digits 0-9, * and #, or tone0-tone9, star, pound, a-d, flash.` };
			tones.push(t as ToneName);
		}
	}
	if (tones.length > LIMITS.dtmfTones) return { error: `Send at most ${LIMITS.dtmfTones} tones at a time; got ${tones.length}.` };
	return { tones };
}

export function checkIntegerInRange(value: string | number, what: string, min: number, max: number): string | undefined {
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isInteger(n) || n < min || n > max) return `${what} must be a whole number from ${min} to ${max}; got "${value}".`;
	return undefined;
}

export function checkCount(count: number, what: string, min: number, max: number): string | undefined {
	if (count < min) return `Give at least ${min} ${what}.`;
	if (count > max) return `Graph accepts at most ${max} ${what}; got ${count}. Remove ${count - max}.`;
	return undefined;
}

/** Throws ValidationError with the first failing check's message. */
export function ensure(...results: (string | undefined)[]): void {
	const failed = results.find((r) => r !== undefined);
	if (failed !== undefined) throw new ValidationError(failed);
}
