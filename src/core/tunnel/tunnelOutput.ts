import type { TunnelProvider } from './tunnelProviders';

/** Why a tunnel program gave up, as far as its output says. */
export type TunnelFailureReason = 'notSignedIn' | 'badAuthtoken' | 'sessionLimit' | 'service';

/** What one line of a tunnel program's output means. */
export type TunnelOutputEvent =
	/** The public origin (https://host, no path), checked against the provider's domains. */
	| { readonly kind: 'url'; readonly url: string }
	/** A URL was printed where the public URL belongs but it is not the provider's: never used. */
	| { readonly kind: 'foreignUrl'; readonly text: string }
	| { readonly kind: 'ready'; readonly tunnelId?: string }
	/** ngrok's local agent API, e.g. 127.0.0.1:4040. */
	| { readonly kind: 'webAddr'; readonly addr: string }
	| { readonly kind: 'disconnected' }
	| { readonly kind: 'reconnected' }
	/** The tunnel is up but the local port refused the forwarded connection. */
	| { readonly kind: 'localRefused' }
	| { readonly kind: 'failure'; readonly reason: TunnelFailureReason; readonly message: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * The origin of a public tunnel URL, or undefined when `text` is not one the provider could have handed out:
 * https only, no credentials, the default port, no query or fragment, and a host name under one of the provider's
 * domains made of plain DNS labels. A program's output is text anyone with a hostile port name or a compromised
 * update could shape, and this URL becomes the callbackUri Graph posts call data to.
 */
export function publicTunnelOrigin(text: string, provider: Pick<TunnelProvider, 'domains'>): string | undefined {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return undefined;
	}
	if (url.protocol !== 'https:' || url.username || url.password || url.port || url.search || url.hash) return undefined;
	if (url.pathname !== '/' && url.pathname !== '') return undefined;
	const host = url.hostname.toLowerCase();
	if (host.length > 253) return undefined;
	const domain = provider.domains.find((d) => host.endsWith(`.${d}`));
	if (!domain) return undefined;
	const labels = host.slice(0, -(domain.length + 1)).split('.');
	if (!labels.length || !labels.every((l) => LABEL.test(l))) return undefined;
	return `https://${host}`;
}

function urlsIn(text: string): string[] {
	return text.split(/[\s,]+/).filter((t) => /^[a-z][a-z0-9+.-]*:\/\//i.test(t)).map((t) => t.replace(/[.;]+$/, ''));
}

/** Strips what a program's output may carry that must never reach a log: an echoed authtoken. */
export function scrubTunnelOutput(line: string, secrets: readonly string[] = []): string {
	let out = line.replace(ANSI, '').replace(/(authtoken:?\s*)\S+/gi, '$1[redacted]');
	for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
	return out;
}

const DEVTUNNEL_SIGNED_OUT = /Unauthorized|not permitted|Anonymous does not have|not logged in|Login token expired|user login/i;

/** One line of `devtunnel host` output. */
export function parseDevtunnelLine(raw: string, provider: Pick<TunnelProvider, 'domains'>): TunnelOutputEvent | undefined {
	const line = raw.replace(ANSI, '').trim();
	if (!line) return undefined;
	// "Connect via browser: URL[, URL]" (current CLIs) or "Hosting port N at URL" (older ones). The inspect URL is
	// on its own line and never read.
	const m = /^Connect via browser:\s*(.*)$/i.exec(line) ?? /^Hosting port:?\s*\d+\s+at\s+(.*)$/i.exec(line);
	if (m) {
		const candidates = urlsIn(m[1]);
		// A URL with an explicit port (https://ID.REGION.devtunnels.ms:PORT) is refused by publicTunnelOrigin: the
		// standard-port form is the one webhooks accept.
		for (const c of candidates) {
			const origin = publicTunnelOrigin(c, provider);
			if (origin) return { kind: 'url', url: origin };
		}
		const foreign = candidates.find((c) => { try { return !/\.devtunnels\.ms$/i.test(new URL(c).hostname); } catch { return true; } });
		return foreign ? { kind: 'foreignUrl', text: foreign.slice(0, 200) } : undefined;
	}
	const ready = /^Ready to accept connections for tunnel:\s*(\S+)/i.exec(line);
	if (ready) return { kind: 'ready', tunnelId: ready[1] };
	if (/Connection to host tunnel relay closed/i.test(line)) return { kind: 'disconnected' };
	if (/Connection to host tunnel relay restored/i.test(line)) return { kind: 'reconnected' };
	if (/PortForwardingService connection\s+to .* failed/i.test(line)) return { kind: 'localRefused' };
	if (DEVTUNNEL_SIGNED_OUT.test(line)) {
		return { kind: 'failure', reason: 'notSignedIn', message: `devtunnel is not signed in (${line.slice(0, 300)}). Sign in once with "devtunnel user login" (add -g for a GitHub account, -d for a device code), then start the public callback again.` };
	}
	if (/^Tunnel service error|^Error:/i.test(line)) return { kind: 'failure', reason: 'service', message: `devtunnel failed: ${line.slice(0, 300)}` };
	return undefined;
}

const NGROK_FAILURES: Record<string, { reason: TunnelFailureReason; fix: string }> = {
	'4018': { reason: 'notSignedIn', fix: 'ngrok needs an authtoken: run "Graph Calls: Set ngrok Authtoken" or `ngrok config add-authtoken <token>` (https://dashboard.ngrok.com/get-started/your-authtoken).' },
	'105': { reason: 'badAuthtoken', fix: 'The ngrok authtoken is malformed: copy it again from https://dashboard.ngrok.com/get-started/your-authtoken and run "Graph Calls: Set ngrok Authtoken".' },
	'107': { reason: 'badAuthtoken', fix: 'The ngrok authtoken was revoked or reset: copy the current one from https://dashboard.ngrok.com/get-started/your-authtoken and run "Graph Calls: Set ngrok Authtoken".' },
	'108': { reason: 'sessionLimit', fix: 'Your ngrok account allows one agent session at a time and another ngrok is running: stop it, or start the public callback there.' },
};

/** One line of `ngrok http PORT --log stdout --log-format json` output (plain lines are scanned for error codes). */
export function parseNgrokLine(raw: string, provider: Pick<TunnelProvider, 'domains'>): TunnelOutputEvent | undefined {
	const line = raw.replace(ANSI, '').trim();
	if (!line) return undefined;
	let rec: Record<string, unknown> | undefined;
	if (line.startsWith('{')) {
		try {
			const parsed: unknown = JSON.parse(line);
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) rec = parsed as Record<string, unknown>;
		} catch {
			rec = undefined;
		}
	}
	const text = (k: string) => (rec && typeof rec[k] === 'string' ? (rec[k] as string) : '');
	const code = /ERR_NGROK_(\d+)/.exec(line)?.[1];
	if (code) {
		const known = NGROK_FAILURES[code];
		const what = (text('err') || line).replace(/\s+/g, ' ').slice(0, 300);
		return { kind: 'failure', reason: known?.reason ?? 'service', message: known ? `ngrok stopped with ERR_NGROK_${code}. ${known.fix}` : `ngrok failed with ERR_NGROK_${code}: ${what} (https://ngrok.com/docs/errors/err_ngrok_${code}).` };
	}
	if (!rec) return /^ERROR:/.test(line) ? { kind: 'failure', reason: 'service', message: `ngrok failed: ${line.slice(0, 300)}` } : undefined;
	const msg = text('msg');
	if (msg === 'starting web service' && /^[\w.[\]:-]+:\d+$/.test(text('addr'))) return { kind: 'webAddr', addr: text('addr') };
	if (msg === 'started tunnel' && text('url')) {
		const origin = publicTunnelOrigin(text('url'), provider);
		return origin ? { kind: 'url', url: origin } : { kind: 'foreignUrl', text: text('url').slice(0, 200) };
	}
	if ((text('lvl') === 'eror' || text('lvl') === 'crit') && text('err')) {
		if (/dial tcp .*connection refused/i.test(text('err')) && /upstream|local|forward/i.test(msg + text('obj'))) return { kind: 'localRefused' };
		if (/session closed|reconnect/i.test(msg)) return { kind: 'disconnected' };
	}
	if (msg === 'tunnel session started' || msg === 'client session established') return { kind: 'reconnected' };
	return undefined;
}

/** The line parser for a provider. */
export function tunnelLineParser(provider: TunnelProvider): (line: string) => TunnelOutputEvent | undefined {
	return provider.id === 'devtunnel' ? (line) => parseDevtunnelLine(line, provider) : (line) => parseNgrokLine(line, provider);
}
