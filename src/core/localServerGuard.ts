import { hostname, networkInterfaces } from 'node:os';

/**
 * What a server on the developer's machine answers to. Loopback is no boundary against the browser: a web page can
 * point its own name at 127.0.0.1 (DNS rebinding) and then read what the server answers, so every local server
 * checks the Host header against the names it really serves, and refuses to listen beyond loopback unless asked.
 */

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** True for addresses only this machine can reach: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackAddress(host: string): boolean {
	const h = host.toLowerCase().replace(/^\[|\]$/g, '');
	return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** 0.0.0.0 and :: listen on every interface. */
export function isUnspecifiedAddress(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '');
	return h === '0.0.0.0' || h === '::' || h === '';
}

/** Thrown when a server is asked to listen beyond loopback without the option that allows it. */
export class RemoteBindRefusedError extends Error {
	constructor(host: string, how: string) {
		super(`Refusing to listen on ${host}: that address is reachable from other machines, and this server has no authentication. ` +
			`Listen on 127.0.0.1 (the default), or ${how} if you really mean to expose it.`);
		this.name = 'RemoteBindRefusedError';
	}
}

/** How a host name looks in a Host header or URL: IPv6 addresses in brackets. */
function bracketed(address: string): string {
	return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** Splits a Host header into its name (lower case, IPv6 in brackets) and port; undefined when it is malformed. */
function parseHost(value: string): { name: string; port: number | undefined } | undefined {
	const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
	if (!m) return undefined;
	return { name: m[1].toLowerCase(), port: m[2] === undefined ? undefined : Number(m[2]) };
}

export interface HostGuardOptions {
	/** The address the server is bound to (as passed to listen). */
	readonly boundAddress: string;
	readonly port: number;
	readonly scheme: 'http' | 'https';
	/** Names the server is also reachable as through a forwarder (a tunnel's public host); any port. */
	readonly publicHosts?: () => readonly string[];
}

/** The Host and Origin rules of one listening server. */
export class HostGuard {
	private readonly names: Set<string>;

	constructor(private readonly options: HostGuardOptions) {
		this.names = new Set(LOOPBACK_NAMES);
		const bound = options.boundAddress;
		if (isUnspecifiedAddress(bound)) {
			// Listening everywhere (allowed explicitly): the machine's own addresses and name are its names too.
			for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) this.names.add(bracketed(i.address.toLowerCase()));
			this.names.add(hostname().toLowerCase());
		} else {
			this.names.add(bracketed(bound.toLowerCase()));
		}
	}

	/** Undefined when the Host header names this server; otherwise why it does not. */
	refuseHost(host: string | undefined): string | undefined {
		const what = `${this.options.scheme}://127.0.0.1:${this.options.port} (or localhost, [::1]${isLoopbackAddress(this.options.boundAddress) || isUnspecifiedAddress(this.options.boundAddress) ? '' : `, ${bracketed(this.options.boundAddress)}`})`;
		if (!host) return `The request has no Host header; this server answers only to ${what}.`;
		const parsed = parseHost(host);
		if (parsed) {
			const publicHosts = this.options.publicHosts?.().map((h) => parseHost(h)?.name) ?? [];
			if (publicHosts.includes(parsed.name)) return undefined;
			const port = parsed.port ?? (this.options.scheme === 'https' ? 443 : 80);
			if (this.names.has(parsed.name) && port === this.options.port) return undefined;
		}
		return `The Host header "${host.slice(0, 200)}" is not an address this server serves: it answers only to ${what}. ` +
			'A web page can point its own name at 127.0.0.1 (DNS rebinding), so requests for any other name are refused.';
	}

	/** Undefined when there is no Origin or it is this server itself; otherwise why the origin is refused. */
	refuseOrigin(origin: string | undefined): string | undefined {
		if (origin === undefined) return undefined;
		let url: URL | undefined;
		try {
			url = origin === 'null' ? undefined : new URL(origin);
		} catch {
			url = undefined;
		}
		if (url && url.protocol === `${this.options.scheme}:` && !this.refuseHost(url.host)) return undefined;
		return `Requests from the web origin "${origin.slice(0, 200)}" are refused: the control API takes requests from tools on this machine, not from web pages.`;
	}
}
