// Small 127.0.0.1 servers the callbacks tests talk to: an OpenID configuration + JWKS publisher and a bot.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
	readonly url: string;
	close(): Promise<void>;
}

export async function listen(handler: http.RequestListener): Promise<TestServer> {
	const server = http.createServer(handler);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => {
			server.closeAllConnections();
			return new Promise((r) => server.close(() => r()));
		},
	};
}

/** Publishes `/v1/.well-known/OpenIdConfiguration` and its keys; `keys` can be swapped to simulate rollover. */
export async function startOpenIdServer(initialKeys: object[]): Promise<TestServer & { keys: object[]; hits: { config: number; jwks: number }; failing: boolean }> {
	const state = { keys: initialKeys, hits: { config: 0, jwks: 0 }, failing: false };
	let base = '';
	const srv = await listen((req, res) => {
		if (state.failing) return void res.writeHead(500).end('down');
		if (req.url === '/v1/.well-known/OpenIdConfiguration') {
			state.hits.config++;
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys` }));
		} else if (req.url === '/v1/keys') {
			state.hits.jwks++;
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
		} else {
			res.writeHead(404).end();
		}
	});
	base = srv.url;
	return Object.assign(state, srv);
}

export interface BotRequest {
	readonly headers: http.IncomingHttpHeaders;
	readonly body: string;
}

/** A stand-in for the developer's bot: records what it got and answers with `status`. */
export async function startTestBot(status = 200, delayMs = 0): Promise<TestServer & { received: BotRequest[] }> {
	const received: BotRequest[] = [];
	const srv = await listen((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			setTimeout(() => res.writeHead(status).end(), delayMs);
		});
	});
	return Object.assign(srv, { received });
}
