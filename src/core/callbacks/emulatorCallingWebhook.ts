import { undici } from '../lazyUndici';
import type { EmulatorEndpoints } from '../auth/tenantProfile';

/**
 * Makes the emulator send the app's incoming calls (scenarios, the control API without a callbackUri) to the
 * receiver, as the bot's calling webhook in the Teams channel settings does for the real service.
 */
export async function pointEmulatorAtReceiver(emulator: EmulatorEndpoints, clientId: string, receiverUrl: string): Promise<void> {
	const agent = new (undici().Agent)({ connect: { ca: emulator.caCertPem } });
	try {
		const url = `${emulator.controlUrl.replace(/\/+$/, '')}/apps/${encodeURIComponent(clientId)}`;
		let res;
		try {
			res = await undici().request(url, { method: 'PATCH', dispatcher: agent, body: JSON.stringify({ callingWebhook: receiverUrl }), headers: { 'content-type': 'application/json' }, headersTimeout: 5000, bodyTimeout: 5000 });
		} catch (err) {
			throw new Error(`Could not reach the emulator's control API at ${url} (${(err as Error).message}); incoming calls without a callbackUri will not reach the receiver until it runs.`);
		}
		const text = await res.body.text();
		if (res.statusCode !== 200) throw new Error(`The emulator refused the receiver as calling webhook (HTTP ${res.statusCode}: ${text.slice(0, 200)}).`);
	} finally {
		void agent.close().catch(() => undefined);
	}
}
