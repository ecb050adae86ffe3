import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import type { AccessToken, TokenProvider, TokenRequestOptions } from '../../src/core/auth/tokenProvider';
import type { EmulatorHandle } from '../../src/core/emulator';
import { GraphClient, type GraphClientOptions, type GraphRequestEvent } from '../../src/core/graph/graphClient';
import type { CommsNotifications } from '../../src/core/schema/types';

/**
 * Client credentials against the emulator's token endpoint. It keeps its token until asked to refresh (like a
 * cache that does not know the token expired), so tests can prove the client's 401 -> forceRefresh path.
 */
export class EmulatorTokenProvider implements TokenProvider {
	private cached: AccessToken | undefined;
	readonly calls: TokenRequestOptions[] = [];
	private readonly agent: Agent;

	constructor(private readonly emu: EmulatorHandle) {
		this.agent = new Agent({ connect: { ca: emu.caCertPem } });
	}

	async getToken(options: TokenRequestOptions = {}): Promise<AccessToken> {
		this.calls.push(options);
		if (this.cached && !options.forceRefresh) return this.cached;
		const res = await request(`${this.emu.authority}/oauth2/v2.0/token`, {
			method: 'POST',
			dispatcher: this.agent,
			signal: options.signal,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.emu.clientId, client_secret: this.emu.clientSecret, scope: `${this.emu.baseUrl}/.default` }).toString(),
		});
		const body = (await res.body.json()) as { access_token?: string; expires_in?: number; error_description?: string };
		if (res.statusCode !== 200 || !body.access_token) throw new Error(`The emulator refused a token (${res.statusCode}): ${body.error_description ?? 'no description'}`);
		this.cached = { token: body.access_token, expiresOn: new Date(Date.now() + (body.expires_in ?? 3600) * 1000) };
		return this.cached;
	}

	close(): Promise<void> {
		return this.agent.close();
	}
}

export function emulatorClient(emu: EmulatorHandle, tokenProvider: TokenProvider, extra: Partial<GraphClientOptions> = {}): { client: GraphClient; events: GraphRequestEvent[] } {
	const client = new GraphClient({ profileName: 'Emulator', baseUrl: emu.graphBaseUrl, graphHost: emu.baseUrl, tokenProvider, caCertPem: emu.caCertPem, retry: { baseDelayMs: 50, maxDelayMs: 200 }, ...extra });
	const events: GraphRequestEvent[] = [];
	client.onDidRequest((e) => events.push(e));
	return { client, events };
}

/** A 127.0.0.1 callback receiver that acknowledges and records every notification. */
export class NotificationSink {
	readonly received: CommsNotifications[] = [];
	private readonly server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			try {
				this.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CommsNotifications);
			} catch {
				// Not JSON: nothing to record.
			}
			res.writeHead(202).end();
		});
	});
	url = '';

	async start(): Promise<this> {
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/calling`;
		return this;
	}

	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((r) => this.server.close(() => r()));
	}
}

/** Polls until `check` returns a value (not undefined/false), or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await check();
		if (v !== undefined && v !== false) return v;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}
