import type { Agent, Dispatcher } from 'undici';
import { undici } from '../lazyUndici';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { IDisposable } from '../lifecycle';

/**
 * msal-node's network module on undici with a dispatcher of its own: the profile's extra CA (the emulator's) is
 * trusted for this profile's sign-in requests only, and nothing touches the global dispatcher.
 * It resolves on 4xx/5xx, as msal expects, so msal can read the Entra error body.
 */
export class UndiciNetworkModule implements INetworkModule, IDisposable {
	private readonly agent: Agent;

	constructor(options: { caCertPem?: string; timeoutMs?: number } = {}) {
		this.timeoutMs = options.timeoutMs ?? 30_000;
		// With `ca` set, only that CA is trusted for these connections: right for the loopback emulator.
		this.agent = new (undici().Agent)({ connect: options.caCertPem ? { ca: options.caCertPem } : {}, keepAliveTimeout: 10_000 });
	}

	private readonly timeoutMs: number;

	get dispatcher(): Dispatcher {
		return this.agent;
	}

	sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
		return this.send<T>('GET', url, options, timeout);
	}

	sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
		return this.send<T>('POST', url, options);
	}

	private async send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
		const res = await undici().request(url, {
			method,
			headers: options?.headers,
			body: method === 'POST' ? (options?.body ?? '') : undefined,
			dispatcher: this.agent,
			signal: AbortSignal.timeout(timeout ?? this.timeoutMs),
		});
		const text = await res.body.text();
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(res.headers)) {
			if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
		}
		let body: unknown = {};
		if (text) {
			try {
				body = JSON.parse(text);
			} catch {
				throw new Error(`${new URL(url).host} answered ${method} ${new URL(url).pathname} with HTTP ${res.statusCode} and a body that is not JSON: a proxy may be in the way.`);
			}
		}
		return { status: res.statusCode, headers, body: body as T };
	}

	dispose(): void {
		void this.agent.close().catch(() => undefined);
	}
}
