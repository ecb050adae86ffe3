/**
 * A minimal Microsoft Graph calling bot with no Graph SDK. Configuration comes from the environment (see
 * config.ts and examples/README.md); Graph posts notifications to http://127.0.0.1:$BOT_PORT/api/calling.
 * It prints "listening on <url>" once it takes calls and exits cleanly on SIGTERM or SIGINT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackAuthError, CallbackTokenValidator } from './callbackAuth';
import { readConfig } from './config';
import { GraphClient } from './graphClient';
import { Ivr } from './ivr';
import { logEvent } from './log';

const MAX_BODY = 1024 * 1024;

async function main(): Promise<void> {
	const config = readConfig();
	const graph = new GraphClient(config);
	const validator = new CallbackTokenValidator(config.callbackOpenIdConfiguration, config.clientId, config.tenantId, graph.agent);
	// The callbackUri sent with answer is known once the server listens (BOT_PORT=0 picks a free port).
	let callbackUrl = config.callbackUrl ?? '';
	const ivr = new Ivr(config, graph, () => callbackUrl);

	const server = createServer((req, res) => {
		onRequest(req, res).catch((err) => {
			logEvent('error', { message: (err as Error).message });
			if (!res.headersSent) reply(res, 500, 'Internal error.');
		});
	});
	async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const path = (req.url ?? '').split('?')[0];
		if (path !== '/api/calling') return reply(res, 404, 'Graph callbacks go to /api/calling.');
		if (req.method !== 'POST') return reply(res, 405, 'POST only.');
		let body: Buffer;
		try {
			body = await readBody(req);
		} catch (err) {
			return reply(res, 413, (err as Error).message);
		}
		try {
			await validator.validate(req.headers.authorization);
		} catch (err) {
			if (!(err instanceof CallbackAuthError)) throw err;
			logEvent('callback.rejected', { reason: err.message, from: req.socket.remoteAddress });
			// The calling docs: a notification whose token does not validate gets 403.
			return reply(res, 403, 'Forbidden');
		}
		let parsed: { value?: unknown[] };
		try {
			parsed = JSON.parse(body.toString('utf8'));
		} catch {
			return reply(res, 400, 'Not JSON.');
		}
		if (!parsed || !Array.isArray(parsed.value)) return reply(res, 400, 'Expected a commsNotifications body with value[].');
		ivr.accept(parsed as { value: never[] });
		reply(res, 202, '');
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, '127.0.0.1', resolve);
	});
	const port = (server.address() as AddressInfo).port;
	const localUrl = `http://127.0.0.1:${port}/api/calling`;
	callbackUrl ||= localUrl;
	logEvent('config', { graph: config.graphBaseUrl, clockRate: config.clockRate, transferTarget: config.transferTarget, keepAliveMinutes: config.keepAliveMinutes });
	process.stdout.write(`listening on ${localUrl}\n`);
	// Token and callback keys now, so the first answer (15 s window, less on an accelerated clock) does not wait for
	// three extra requests; if Graph is not reachable yet, they load on first use.
	void Promise.all([graph.prefetch(), validator.prefetch()]).then(
		() => logEvent('prefetched'),
		(err) => logEvent('prefetch.failed', { message: (err as Error).message }),
	);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		logEvent('stopping', { signal, activeCalls: ivr.activeCalls });
		ivr.dispose();
		server.close();
		server.closeAllConnections();
		void graph.close().finally(() => process.exit(0));
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY) {
				reject(new Error('Body too large.'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function reply(res: ServerResponse, status: number, text: string): void {
	res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

main().catch((err) => {
	process.stderr.write(`bot failed to start: ${(err as Error).message}\n`);
	process.exit(1);
});
