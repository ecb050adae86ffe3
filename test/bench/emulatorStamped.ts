/**
 * The emulator in a process of its own, as dist/emulator.js runs it, plus a wall-clock stamp for every notification
 * at the moment the emulator's state change hands it to the webhook dispatcher. The bench (emulatorProcess.js)
 * matches the stamps with the receiver's arrival times: stamps stay in memory and are sent over IPC only when asked
 * for, so the measured process does no extra I/O while it is under load.
 */
import { startEmulator } from '../../src/core/emulator';
import type { CommsNotification } from '../../src/core/schema/types';

/** Wall-clock ms with sub-ms precision, comparable between processes on one machine. */
const now = (): number => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
	const stateDir = process.argv[process.argv.indexOf('--state-dir') + 1];
	const handle = await startEmulator({ port: 0, stateDir });
	const stamps: [string, number][] = [];
	const webhooks = handle.emulator.webhooks;
	const send = webhooks.send.bind(webhooks);
	webhooks.send = (uri: string, appId: string, tenantId: string, notifications: CommsNotification[]) => {
		const t = now();
		for (const n of notifications) stamps.push([keyOf(n), t]);
		send(uri, appId, tenantId, notifications);
	};
	process.on('message', (m: string) => {
		// Everything queued has been delivered (or given up on) before the stamps go out, so slow deliveries count.
		if (m === 'stamps') void webhooks.idle().then(() => process.send!({ stamps: stamps.splice(0) }));
	});
	process.on('disconnect', () => void handle.stop().then(() => process.exit(0)));
	process.stdout.write(`${JSON.stringify({ event: 'ready', graphBaseUrl: handle.graphBaseUrl, authority: handle.authority, tenantId: handle.tenantId, clientId: handle.clientId, clientSecret: handle.clientSecret, caCertFile: handle.caCertFile })}\n`);
}

/** The same key the receiver side computes: resource, change, type and state or status. */
export function keyOf(n: CommsNotification): string {
	const data = (n.resourceData ?? {}) as { '@odata.type'?: string; state?: string; status?: string };
	return `${n.resourceUrl}|${n.changeType}|${data['@odata.type'] ?? ''}|${data.state ?? data.status ?? ''}`.toLowerCase();
}

if (require.main === module) {
	main().catch((err) => {
		process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
		process.exit(1);
	});
}
