import type { TenantProfile } from '../auth/tenantProfile';

/** What callbackUriFor needs to know about the receiver: its local URL while it runs. */
export interface ReceiverAddress {
	/** e.g. http://127.0.0.1:PORT/api/calling; undefined while the receiver is stopped. */
	readonly url: string | undefined;
}

/** Thrown when no callbackUri can be built; the message says what to set. */
export class CallbackUrlMissingError extends Error {
	readonly explanation: string;
	constructor(message: string, explanation: string) {
		super(message);
		this.name = 'CallbackUrlMissingError';
		this.explanation = explanation;
	}
}

/**
 * The callbackUri to send in create and answer bodies for this profile.
 * - Emulator profile: the receiver's local URL (the emulator runs on this machine and posts to it directly).
 * - Real tenants: the profile's callbackUrl, else the `graphCalls.callbackUrl` setting (passed as `fallbackUrl`):
 *   a public https URL (a dev tunnel or ngrok) that forwards to the receiver. Graph cannot reach 127.0.0.1.
 */
export function callbackUriFor(
	profile: Pick<TenantProfile, 'name' | 'callbackUrl' | 'emulator'>,
	receiver: ReceiverAddress | undefined,
	fallbackUrl?: string,
): string {
	if (profile.emulator) {
		if (!receiver?.url) {
			throw new CallbackUrlMissingError(
				'The callback receiver is not running, so the emulator has nowhere to send notifications.',
				'Run "Graph Calls: Start Callback Receiver" and try again.',
			);
		}
		return receiver.url;
	}
	const configured = (profile.callbackUrl ?? '').trim() || (fallbackUrl ?? '').trim();
	if (!configured) {
		throw new CallbackUrlMissingError(
			`Profile "${profile.name}" has no callback URL, so Graph would have nowhere to send this call's notifications.`,
			'Start a public tunnel to the callback receiver (for example `devtunnel host -p <receiver port>` or `ngrok http <receiver port>`), ' +
				'then put its https URL in the profile or in the "graphCalls.callbackUrl" setting.',
		);
	}
	let url: URL;
	try {
		url = new URL(configured);
	} catch {
		throw new CallbackUrlMissingError(`The callback URL "${configured}" is not a valid URL.`, 'Set an absolute https URL such as https://abc123.devtunnels.ms/api/calling.');
	}
	if (url.protocol !== 'https:') {
		throw new CallbackUrlMissingError(`The callback URL "${configured}" is not https; Graph only posts notifications to https URLs.`, 'Use the https URL your tunnel prints.');
	}
	return configured;
}
