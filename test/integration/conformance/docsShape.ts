/**
 * Compares what the emulator sent with what a Graph docs example shows: the same @odata.type, the same property names,
 * the same JSON value types. Ids, times, URLs and other example-specific values are not compared; the few values that
 * say what happened (state, status, changeType, direction) are, case-insensitively, since the docs spell enum values
 * both ways ("Running" in participant-invite.md, "running" elsewhere).
 */
import * as assert from 'node:assert/strict';
import type { GraphReply } from '../support/emulatorAuth';

/** Properties whose value is the step itself, not example data. */
const STEP_VALUES = new Set(['@odata.type', 'state', 'status', 'changeType', 'direction']);
/** identitySet members: which kind of identity appears is example data (a user in the docs, a user or a bot here). */
const IDENTITY_KINDS = new Set(['user', 'application', 'applicationInstance', 'device', 'phone', 'guest', 'encrypted', 'acsUser', 'spoolUser', 'onPremises', 'azureCommunicationServicesUser', 'assertedIdentity']);
/** resultInfo.code and .subcode are Int32 (resultinfo.md); call-delete.md quotes them as strings. */
const NUMERIC = new Set(['code', 'subcode']);

export interface ShapeOptions {
	/** Documented properties the emulator may leave out or fill with its own kind of value, each with the reason (path as "a.b[].c"). */
	absent?: Record<string, string>;
}

/** Every difference, as "path: what"; empty when the shapes agree. */
export function shapeDifferences(docs: unknown, actual: unknown, options: ShapeOptions = {}, at = '$'): string[] {
	const out: string[] = [];
	compare(docs, actual, at, out, options);
	return out;
}

function kind(v: unknown): string {
	return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function compare(docs: unknown, actual: unknown, at: string, out: string[], options: ShapeOptions): void {
	if (docs === null) return; // Documented as null: the property must exist (checked by the parent); its value is the example's.
	const dk = kind(docs);
	const ak = kind(actual);
	if (dk === 'string' && ak === 'number' && NUMERIC.has(lastKey(at)) && /^\d+$/.test(docs as string)) return;
	// A documented string the emulator has no value for (a caller's region, a stream's label) may be null; it must be there.
	if (dk === 'string' && ak === 'null' && !STEP_VALUES.has(lastKey(at))) return;
	if (dk !== ak) {
		out.push(`${at}: docs show ${dk} ${JSON.stringify(docs)?.slice(0, 60)}, emulator sent ${ak} ${JSON.stringify(actual)?.slice(0, 60)}`);
		return;
	}
	if (dk === 'array') {
		const d = docs as unknown[];
		const a = actual as unknown[];
		if (d.length > 0 && a.length === 0) out.push(`${at}: docs show ${d.length} element(s), emulator sent none`);
		a.forEach((el, i) => d.length && compare(d[Math.min(i, d.length - 1)], el, `${at}[${i}]`, out, options));
		return;
	}
	if (dk !== 'object') {
		if (STEP_VALUES.has(lastKey(at)) && String(docs).toLowerCase() !== String(actual).toLowerCase()) out.push(`${at}: docs show ${JSON.stringify(docs)}, emulator sent ${JSON.stringify(actual)}`);
		return;
	}
	const d = docs as Record<string, unknown>;
	const a = actual as Record<string, unknown>;
	const identitySet = d['@odata.type'] === '#microsoft.graph.identitySet' || lastKey(at) === 'identity' || lastKey(at) === 'organizer';
	for (const [key, value] of Object.entries(d)) {
		const path = `${at}.${key}`;
		if (identitySet && IDENTITY_KINDS.has(key)) continue;
		const reason = options.absent?.[normalise(path)];
		if (reason) continue;
		if (!(key in a)) {
			out.push(`${path}: documented, not sent`);
			continue;
		}
		compare(value, a[key], path, out, options);
	}
	if (identitySet && !Object.keys(a).some((k) => IDENTITY_KINDS.has(k) && a[k] && typeof a[k] === 'object')) out.push(`${at}: an identitySet without any identity`);
}

function lastKey(at: string): string {
	return /\.([^.[\]]+)$/.exec(at)?.[1] ?? '';
}

/** "$.value[3].info" -> "value[].info", the form ShapeOptions.absent names paths in. */
export function normalise(path: string): string {
	return path.replace(/^\$\.?/, '').replace(/\[\d+\]/g, '[]');
}

/** Graph's error shape: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
export function assertGraphError(r: GraphReply, what: string): void {
	assert.equal(r.status, 400, `${what}: expected 400, got ${r.status} ${JSON.stringify(r.body)}`);
	assert.equal(typeof r.body?.error?.code, 'string', `${what}: error.code`);
	assert.equal(typeof r.body.error.message, 'string', `${what}: error.message`);
	assert.equal(typeof r.body.error.innerError?.['request-id'], 'string', `${what}: error.innerError.request-id`);
	assert.equal(typeof r.body.error.innerError?.date, 'string', `${what}: error.innerError.date`);
	assert.equal(typeof r.body.error.innerError?.['client-request-id'], 'string', `${what}: error.innerError.client-request-id`);
}
