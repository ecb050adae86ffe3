import type { Modality } from '@microsoft/microsoft-graph-types';
import { badRequest } from './http';

/** The modalities a call may request or accept (the package's Modality without unknownFutureValue). */
export const MODALITIES: readonly Modality[] = ['audio', 'video', 'videoBasedScreenSharing', 'data'];

/**
 * `value?.[k1]?.[k2]...` over a client's JSON: the body is untyped until checked, and reading a missing or
 * non-object member gives undefined, never an exception.
 */
export function at(value: unknown, ...keys: string[]): unknown {
	let v = value;
	for (const k of keys) {
		if (v === null || v === undefined) return undefined;
		v = (v as Record<string, unknown>)[k];
	}
	return v;
}

/** https anywhere; http only on loopback (real Graph requires https). Returns the URI. */
export function requireCallbackUri(value: unknown): string {
	if (typeof value !== 'string' || !value) throw badRequest('callbackUri is required: the https URL where Graph should POST notifications for this call.');
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw badRequest(`callbackUri "${value}" is not a valid absolute URL.`);
	}
	if (url.protocol === 'https:') return value;
	if (url.protocol === 'http:' && isLoopback(url.hostname)) return value;
	throw badRequest(`callbackUri must use https (the service rejects http). The emulator also accepts http on loopback only (127.0.0.1, localhost, [::1]); "${value}" is neither.`);
}

export function isLoopback(hostname: string): boolean {
	return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\./.test(hostname);
}

export function requireMediaConfig(value: unknown): void {
	const type = at(value, '@odata.type');
	if (type !== '#microsoft.graph.serviceHostedMediaConfig' && type !== '#microsoft.graph.appHostedMediaConfig') {
		throw badRequest('mediaConfig is required with "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" (or appHostedMediaConfig with a blob for app-hosted media).');
	}
}

/** `allowed.includes(value)`, narrowing the client's value to the allowed names. */
export function isOneOf<T>(value: unknown, allowed: readonly T[]): value is T {
	return (allowed as readonly unknown[]).includes(value);
}
