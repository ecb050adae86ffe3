/**
 * The one notification receiver of the integration tests: an HTTP server on 127.0.0.1 that stands in for the
 * bot's callback URL. It records every POST (headers, body, parsed notifications), can verify each POST's JWT
 * against the keys the emulator publishes (with jose), can hand each notification to the test as it arrives
 * (to feed a CallStore, say), and can be told to fail so retries can be observed.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from 'undici';
import { request } from 'undici';
import type { CommsNotification } from '../../../src/core/schema/types';

export interface ReceivedPost {
	readonly headers: IncomingHttpHeaders;
	/** The body as it arrived. */
	readonly body: string;
	/** The body's `value`; empty when the body is not JSON. */
	notifications: CommsNotification[];
	/** Verified claims, or why verification failed (only when the receiver verifies). */
	claims?: Record<string, unknown>;
	jwtError?: string;
	readonly at: number;
}

export interface WebhookReceiverOptions {
	/** Verify each POST's bearer token: the bot's app id as audience, keys from the OpenID configuration. */
	verify?: { audience: string; openIdConfigurationUrl: string; agent: Agent };
	/** The status of an accepted POST (default 202, as a bot answers Graph). */
	status?: number;
	/** Called with each notification as its POST arrives (before any token check), in arrival order. */
	onNotification?: (notification: CommsNotification) => void;
}

export class WebhookReceiver {
	readonly posts: ReceivedPost[] = [];
	/** Answer this many next POSTs with 503 (to see retries). */
	failNext = 0;
	/** The callback URL to give Graph (after start). */
	url = '';
	private server: Server | undefined;
	private waiters: { pred: (n: CommsNotification) => boolean; resolve: (n: CommsNotification) => void }[] = [];
	private verifyToken?: (token: string) => Promise<Record<string, unknown>>;

	constructor(private readonly options: WebhookReceiverOptions = {}) {}

	static start(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
		return new WebhookReceiver(options).start();
	}

	async start(): Promise<this> {
		if (this.options.verify) this.verifyToken = await jwtVerifier(this.options.verify);
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				if (this.failNext > 0) {
					this.failNext--;
					res.writeHead(503).end();
					return;
				}
				void this.accept(req.headers, Buffer.concat(chunks).toString('utf8')).then(() => res.writeHead(this.options.status ?? 202).end());
			});
		});
		this.server = server;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calling`;
		return this;
	}

	private async accept(headers: IncomingHttpHeaders, body: string): Promise<void> {
		const post: ReceivedPost = { headers, body, notifications: [], at: Date.now() };
		try {
			post.notifications = (JSON.parse(body) as { value?: CommsNotification[] }).value ?? [];
		} catch {
			// Not JSON: recorded with its body and no notifications.
		}
		for (const n of post.notifications) this.options.onNotification?.(n);
		if (this.verifyToken) {
			try {
				const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
				if (!token) throw new Error('no bearer token');
				post.claims = await this.verifyToken(token);
			} catch (err) {
				post.jwtError = (err as Error).message;
			}
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
			const timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; got ${this.notifications.length} notifications: ${this.notifications.map(describeNotification).join(' | ')}`)), timeoutMs);
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
		const server = this.server;
		if (!server) return Promise.resolve();
		return new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	}
}

/** Checks a notification token as a bot would: signed by a published key, issuer Bot Framework, audience the app. */
async function jwtVerifier(options: NonNullable<WebhookReceiverOptions['verify']>): Promise<(token: string) => Promise<Record<string, unknown>>> {
	const conf = await request(options.openIdConfigurationUrl, { dispatcher: options.agent });
	const { jwks_uri } = (await conf.body.json()) as { jwks_uri: string };
	const keys = await request(jwks_uri, { dispatcher: options.agent });
	const jwks = (await keys.body.json()) as { keys: unknown[] };
	// jose is ESM-only: load it with import() from this CommonJS test module.
	const { createLocalJWKSet, jwtVerify } = await import('jose');
	const keySet = createLocalJWKSet(jwks as never);
	return async (token) => (await jwtVerify(token, keySet, { issuer: 'https://api.botframework.com', audience: options.audience })).payload as Record<string, unknown>;
}

export function describeNotification(n: CommsNotification): string {
	const data = n.resourceData as { state?: string; status?: string } | unknown[] | undefined;
	const detail = Array.isArray(data) ? `${data.length} participants` : data?.state ?? data?.status ?? '';
	return `${n.changeType} ${n.resourceUrl.replace(/^\/communications\/calls\//, '')} ${detail}`;
}
