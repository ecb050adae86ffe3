/**
 * The emulator's webhook POSTs, run on a worker thread of their own.
 *
 * Under load the emulator's event loop spends each turn answering dozens of Graph requests; a notification POST
 * made there waited behind them twice (to be written, then for its acknowledgement to be read), which put its
 * arrival tens of milliseconds after the state change. On its own thread a POST goes out as soon as the state
 * change hands it over and its acknowledgement is read at once.
 *
 * `runDeliveryWorker` is started as the worker's whole script (`new Worker(\`(${runDeliveryWorker})()\`, {eval})`),
 * so that the emulator works the same from the compiled sources, the bundled extension and command line, and any
 * bundle a test makes, with no second file to ship beside each. Its body must therefore stand alone: no imports,
 * no module-level helpers, only Node's built-in modules through `require` (hence node:http here, not undici).
 */

/** Settings the worker gets once, as its workerData. */
export interface DeliverySettings {
	/** Attempts per POST including the first. */
	readonly attempts: number;
	/** First retry delay in emulated ms, doubled each time. */
	readonly retryBaseMs: number;
	/** How long the receiver has to answer, real ms. */
	readonly ackTimeoutMs: number;
	/** Most notifications one POST carries. */
	readonly maxBatch: number;
}

/** One send() worth of notifications, handed to the worker. */
export interface DeliveryJob {
	readonly id: number;
	/** The ordered queue it joins: jobs of one lane are posted one at a time, in order. */
	readonly lane: string;
	readonly callbackUri: string;
	readonly appId: string;
	readonly tenantId: string;
	/** The bearer token the POST carries (signed on the emulator's thread, where the key is). */
	readonly token: string;
	/** The notifications as JSON array members, without the brackets, so batches are joined without parsing. */
	readonly json: string;
	readonly count: number;
	/** Emulated ms per real ms, for retry delays. */
	readonly speed: number;
}

/** What the worker reports after each POST attempt. */
export interface DeliveryAttempt {
	/** The jobs this POST carried, in order. */
	readonly ids: number[];
	readonly callbackUri: string;
	readonly attempt: number;
	readonly status?: number;
	readonly error?: string;
	readonly at: string;
	readonly durationMs: number;
	readonly delivered: boolean;
	/** No more attempts follow for these jobs. */
	readonly final: boolean;
}

export function runDeliveryWorker(): void {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
	const http = require('node:http') as typeof import('node:http');
	const https = require('node:https') as typeof import('node:https');
	const { randomUUID } = require('node:crypto') as typeof import('node:crypto');
	/* eslint-enable @typescript-eslint/no-require-imports */
	const settings = workerData as DeliverySettings;
	const port = parentPort!;
	const agents = {
		'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
		'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
	};
	const lanes = new Map<string, DeliveryJob[]>();
	let speed = 1;

	interface Answer {
		status?: number;
		location?: string;
		error?: string;
	}

	const post = (callbackUri: string, body: string, token: string): Promise<Answer> => new Promise((resolve) => {
		let url: URL;
		try {
			url = new URL(callbackUri);
		} catch {
			resolve({ error: `Invalid callback URL: ${callbackUri}` });
			return;
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			resolve({ error: `Callback URL must be http or https: ${callbackUri}` });
			return;
		}
		let settled = false;
		const settle = (answer: Answer): void => {
			if (settled) return;
			settled = true;
			clearTimeout(deadline);
			resolve(answer);
		};
		const lib = url.protocol === 'https:' ? https : http;
		const req = lib.request(url, {
			method: 'POST',
			agent: agents[url.protocol],
			headers: {
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(body),
				authorization: `Bearer ${token}`,
				'client-request-id': randomUUID(),
				'user-agent': 'GraphCallsEmulator/1.0',
			},
		}, (res) => {
			const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
			res.on('error', (err) => settle({ error: err.message }));
			res.on('end', () => settle({ status: res.statusCode, location }));
			res.resume();
		});
		// The service gives a callback a few seconds to acknowledge, then counts the POST as failed.
		const deadline = setTimeout(() => {
			settle({ error: `The callback did not answer within ${settings.ackTimeoutMs} ms.` });
			req.destroy();
		}, settings.ackTimeoutMs);
		req.on('error', (err) => settle({ error: err.message }));
		req.end(body);
	});

	const deliver = async (jobs: DeliveryJob[], callbackUri: string, attempt: number, redirected: boolean): Promise<void> => {
		const body = `{"@odata.type":"#microsoft.graph.commsNotifications","value":[${jobs.map((j) => j.json).join(',')}]}`;
		const started = performance.now();
		const answer = await post(callbackUri, body, jobs[0].token);
		const { status, error } = answer;
		const delivered = status !== undefined && status >= 200 && status < 300;
		// 302/307 + Location: the receiver sends us to another region; follow it once, as the service does.
		const redirectTo = !redirected && (status === 302 || status === 307) && answer.location ? new URL(answer.location, callbackUri).toString() : undefined;
		const retryable = !delivered && (status === undefined || status === 408 || status === 429 || status >= 500);
		const retry = !redirectTo && retryable && attempt < settings.attempts;
		const report: DeliveryAttempt = { ids: jobs.map((j) => j.id), callbackUri, attempt, status, error, at: new Date().toISOString(), durationMs: performance.now() - started, delivered, final: !redirectTo && !retry };
		port.postMessage(report);
		if (redirectTo) return deliver(jobs, redirectTo, attempt, true);
		if (retry) {
			// Retry in place, so the callback still sees this lane's events in order.
			await new Promise((r) => setTimeout(r, (settings.retryBaseMs * 2 ** (attempt - 1)) / speed));
			return deliver(jobs, callbackUri, attempt + 1, redirected);
		}
	};

	const pump = async (lane: string, queue: DeliveryJob[]): Promise<void> => {
		while (queue.length) {
			const batch = [queue.shift()!];
			let count = batch[0].count;
			// Like the service, send what has piled up for one callback in one POST (a longer `value` array).
			while (queue.length && queue[0].appId === batch[0].appId && queue[0].tenantId === batch[0].tenantId && count + queue[0].count <= settings.maxBatch) {
				count += queue[0].count;
				batch.push(queue.shift()!);
			}
			await deliver(batch, batch[0].callbackUri, 1, false);
		}
		lanes.delete(lane);
	};

	port.on('message', (job: DeliveryJob) => {
		speed = job.speed;
		const queue = lanes.get(job.lane);
		if (queue) {
			queue.push(job);
			return;
		}
		const fresh = [job];
		lanes.set(job.lane, fresh);
		void pump(job.lane, fresh);
	});
}
