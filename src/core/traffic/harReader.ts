/**
 * Reads a HAR file: any HAR 1.2 a browser, Dev Proxy or this product writes. Only what lint and the timeline use
 * is checked, and every problem names where it is (`log.entries[3].request.url`), so a hand-edited file can be
 * fixed. Entries without `_direction` (a browser's or Dev Proxy's) count as requests the bot made.
 */
import type { HarDirection, HarEntry } from './har';
import type { PersonAction, TrafficLog } from './trafficRecord';

export class HarFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HarFormatError';
	}
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
	return !!v && typeof v === 'object' && !Array.isArray(v);
}

function fail(where: string, what: string): never {
	throw new HarFormatError(`Not a valid HAR file: ${where} ${what}.`);
}

function checkEntry(e: unknown, i: number): HarEntry {
	const at = `log.entries[${i}]`;
	if (!isObject(e)) fail(at, 'is not an object');
	if (typeof e.startedDateTime !== 'string' || Number.isNaN(Date.parse(e.startedDateTime))) fail(`${at}.startedDateTime`, 'is not an ISO date-time');
	if (e.time !== undefined && (typeof e.time !== 'number' || !Number.isFinite(e.time))) fail(`${at}.time`, 'is not a number');
	const req = e.request;
	if (!isObject(req)) fail(`${at}.request`, 'is missing');
	if (typeof req.method !== 'string' || !req.method) fail(`${at}.request.method`, 'is missing');
	if (typeof req.url !== 'string') fail(`${at}.request.url`, 'is missing');
	const res = e.response;
	if (!isObject(res)) fail(`${at}.response`, 'is missing');
	if (typeof res.status !== 'number') fail(`${at}.response.status`, 'is not a number');
	if (req.postData !== undefined && (!isObject(req.postData) || (req.postData.text !== undefined && typeof req.postData.text !== 'string'))) fail(`${at}.request.postData`, 'is not an object with a text string');
	if (res.content !== undefined && (!isObject(res.content) || (res.content.text !== undefined && typeof res.content.text !== 'string'))) fail(`${at}.response.content`, 'is not an object with a text string');
	const dir = e._direction;
	if (dir !== undefined && dir !== 'out' && dir !== 'in') fail(`${at}._direction`, 'is neither "out" nor "in"');
	if (!Array.isArray(req.headers)) req.headers = [];
	if (!Array.isArray(res.headers)) res.headers = [];
	if (typeof e.time !== 'number') e.time = 0;
	return e as unknown as HarEntry;
}

/** Parses and checks HAR text. Throws HarFormatError with the reason. */
export function parseHar(text: string): TrafficLog {
	let doc: unknown;
	try {
		doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (err) {
		throw new HarFormatError(`Not a valid HAR file: it is not JSON (${err instanceof Error ? err.message : String(err)}).`);
	}
	if (!isObject(doc)) fail('the top level', 'is not an object');
	const log = doc.log;
	if (!isObject(log)) fail('"log"', 'is missing');
	if (typeof log.version !== 'string') fail('log.version', 'is missing');
	if (!/^1\.\d+$/.test(log.version)) fail('log.version', `is "${log.version}", expected 1.x`);
	if (!Array.isArray(log.entries)) fail('log.entries', 'is not an array');
	log.entries.forEach(checkEntry);
	if (log._roles !== undefined && !(Array.isArray(log._roles) && log._roles.every((r) => typeof r === 'string'))) fail('log._roles', 'is not a list of strings');
	if (log._actions !== undefined && !(Array.isArray(log._actions) && log._actions.every((a) => isObject(a) && typeof a.time === 'string' && typeof a.action === 'string'))) fail('log._actions', 'is not a list of { time, actor, action }');
	if (!isObject(log.creator)) log.creator = { name: 'unknown', version: '' };
	return doc as unknown as TrafficLog;
}

export function directionOf(e: HarEntry): HarDirection {
	return e._direction ?? 'out';
}

export type { PersonAction };
