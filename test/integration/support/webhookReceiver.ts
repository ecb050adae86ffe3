/**
 * A small notification receiver for integration tests: an HTTP server on 127.0.0.1 that records every
 * commsNotifications POST, verifies its JWT against the keys the emulator publishes (with jose), and can be told
 * to fail so retries can be observed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from 'undici';
import { request } from 'undici';
import type { CommsNotification } from '../../../src/core/schema/types';

export interface ReceivedPost {
	notifications: CommsNotification[];
	/** Verified claims, or the verification error. */
	claims?: Record<string, unknown>;
	jwtError?: string;
	at: number;
}

export class WebhookReceiver {
	readonly posts: ReceivedPost[] = [];
	/** Answer this many next POSTs with 503 (to see retries). */
	failNext = 0;
	private server!: Server;
	private waiters: { pred: (n: CommsNotification) => boolean; resolve: (n: CommsNotification) => void }[] = [];
	private verify?: (token: string) => Promise<Record<string, unknown>>;
	url = '';

	/** `audience` is the bot's app id; keys come from the emulator's OpenID configuration. */
	constructor(private readonly audience: string, private readonly openIdConfigurationUrl: string, private readonly agent: Agent) {}

	async start(): Promise<this> {
		const conf = await request(this.openIdConfigurationUrl, { dispatcher: this.agent });
		const { jwks_uri } = (await conf.body.json()) as { jwks_uri: string };
		const keys = await request(jwks_uri, { dispatcher: this.agent });
		const jwks = (await keys.body.json()) as { keys: unknown[] };
		// jose is ESM-only: load it with import() from this CommonJS test module.
		const { createLocalJWKSet, jwtVerify } = await import('jose');
		const keySet = createLocalJWKSet(jwks as never);
		this.verify = async (token) => (await jwtVerify(token, keySet, { issuer: 'https://api.botframework.com', audience: this.audience })).payload as Record<string, unknown>;
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				if (this.failNext > 0) {
					this.failNext--;
					res.writeHead(503).end();
					return;
				}
				void this.accept(req.headers.authorization, Buffer.concat(chunks).toString('utf8')).then(() => res.writeHead(202).end());
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
		return this;
	}

	private async accept(authorization: string | undefined, body: string): Promise<void> {
		const post: ReceivedPost = { notifications: [], at: Date.now() };
		try {
			post.notifications = (JSON.parse(body) as { value: CommsNotification[] }).value;
		} catch {
			post.jwtError = 'body is not JSON';
		}
		try {
			const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
			if (!token) throw new Error('no bearer token');
			post.claims = await this.verify!(token);
		} catch (err) {
			post.jwtError = (err as Error).message;
		}
		this.posts.push(post);
		for (const n of post.notifications) {
			for (const w of [...this.waiters]) {
				if (w.pred(n)) {
					this.waiters.splice(this.waiters.indexOf(w), 1);
					w.resolve(n);
				}
			}
		}
	}

	get notifications(): CommsNotification[] {
		return this.posts.flatMap((p) => p.notifications);
	}

	/** Notifications about one call (its resource, participants and operations). */
	forCall(callId: string): CommsNotification[] {
		return this.notifications.filter((n) => n.resourceUrl.includes(callId));
	}

	/** Resolves with the first notification (already received or future) that matches. */
	waitFor(pred: (n: CommsNotification) => boolean, timeoutMs = 10000, what = 'notification'): Promise<CommsNotification> {
		const seen = this.notifications.find(pred);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; got ${this.notifications.length} notifications: ${this.notifications.map(describe).join(' | ')}`)), timeoutMs);
			this.waiters.push({ pred, resolve: (n) => { clearTimeout(timer); resolve(n); } });
		});
	}

	/** Waits for a call notification in the given state. */
	waitForState(callId: string, state: string, timeoutMs = 10000): Promise<CommsNotification> {
		return this.waitFor((n) => n.resourceUrl === `/communications/calls/${callId}` && (n.resourceData as { state?: string })?.state === state, timeoutMs, `call ${callId} ${state}`);
	}

	clear(): void {
		this.posts.length = 0;
	}

	stop(): Promise<void> {
		return new Promise((resolve) => {
			this.server.closeAllConnections?.();
			this.server.close(() => resolve());
		});
	}
}

export function describe(n: CommsNotification): string {
	const data = n.resourceData as { state?: string; status?: string } | unknown[] | undefined;
	const detail = Array.isArray(data) ? `${data.length} participants` : data?.state ?? data?.status ?? '';
	return `${n.changeType} ${n.resourceUrl.replace(/^\/communications\/calls\//, '')} ${detail}`;
}
