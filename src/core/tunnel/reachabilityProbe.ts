import { randomBytes } from 'node:crypto';
import { promises as dns } from 'node:dns';
import * as https from 'node:https';
import { isIP } from 'node:net';
import * as tls from 'node:tls';

/** The request header that carries a probe's nonce; the receiver answers it only for a nonce it was told to expect. */
export const PROBE_HEADER = 'x-graph-calls-probe';

/** Where a probe stopped. */
export type ReachabilityFailure =
	| 'invalidUrl'
	/** The host name does not resolve. */
	| 'dns'
	/** No TCP connection (refused, unreachable, reset before TLS). */
	| 'tcp'
	/** The TLS handshake or the certificate failed. */
	| 'tls'
	/** The tunnel service answered that this tunnel is offline or unknown. */
	| 'tunnelNotRunning'
	/** The tunnel is up but nothing answered on the local port (502/504 style). */
	| 'receiverNotListening'
	/** The receiver refused the public host name (421). */
	| 'hostRefused'
	/** The probe reached the receiver, but not at its callback path. */
	| 'wrongPath'
	/** Something answered, but not the callback receiver. */
	| 'notReceiver'
	| 'timeout';

export interface ReachabilityResult {
	readonly ok: boolean;
	readonly url: string;
	/** Where it stopped; undefined when ok. */
	readonly failure?: ReachabilityFailure;
	/** True when the receiver itself saw the probe arrive; false when only an HTTP answer came back. */
	readonly verified: boolean;
	/** From the start of the lookup to the end of the answer. */
	readonly roundTripMs?: number;
	readonly timings?: { readonly dnsMs?: number; readonly connectMs?: number; readonly tlsMs?: number; readonly responseMs?: number };
	/** The HTTP status of the answer, when one came. */
	readonly status?: number;
	/** The path the probe arrived at, when the receiver saw it. */
	readonly arrivedPath?: string;
	/** What happened, in one or two sentences. */
	readonly message: string;
	/** What to do about it. */
	readonly fix?: string;
}

/** The probe the setup doctor is given: one public callback URL in, one result out. Never throws. */
export type ReachabilityProbe = (url: string) => Promise<ReachabilityResult>;

/** Where the probe was seen to arrive. */
export interface ProbeArrival {
	readonly path: string;
	readonly host: string;
}

/** The receiver's side of a probe (CallbackReceiver implements it). */
export interface ProbeTarget {
	/** The receiver's callback path, e.g. /api/calling. */
	readonly callbackPath: string;
	/** Registers a nonce: the receiver answers a probe carrying it, once, and resolves `arrived`. */
	expectProbe(nonce: string): { readonly arrived: Promise<ProbeArrival>; dispose(): void };
}

/** Maps a host and port to where to connect, like curl's --connect-to; the default is the system resolver, same port. */
export type HostResolver = (hostname: string, port: number) => Promise<{ readonly address: string; readonly port: number }>;

export const systemResolver: HostResolver = async (hostname, port) => ({ address: (await dns.lookup(hostname)).address, port });

export interface ReachabilityProbeOptions {
	/** The local receiver the URL should lead to. Without it the result is unverified: any non-tunnel answer counts. */
	readonly receiver?: ProbeTarget;
	readonly resolve?: HostResolver;
	/** PEM certificates trusted in addition to the system's roots (a corporate TLS-inspecting proxy's CA). */
	readonly ca?: readonly string[];
	/** Default 10 s. */
	readonly timeoutMs?: number;
}

/** A probe bound to its options, for the setup doctor. */
export function createReachabilityProbe(options: ReachabilityProbeOptions = {}): ReachabilityProbe {
	return (url) => probeCallbackReachability(url, options);
}

type Phase = 'dns' | 'tcp' | 'tls' | 'http';

/**
 * Sends one POST with a fresh nonce through the public callback URL and reports how far it got: the round trip when
 * the receiver saw it, or the stage where it stopped. Never throws.
 */
export async function probeCallbackReachability(url: string, options: ReachabilityProbeOptions = {}): Promise<ReachabilityResult> {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return { ok: false, url, verified: false, failure: 'invalidUrl', message: `"${url.slice(0, 200)}" is not a URL.`, fix: 'Use the https URL of your tunnel followed by the receiver\'s path, e.g. https://abc-3978.usw2.devtunnels.ms/api/calling.' };
	}
	if (target.protocol !== 'https:') {
		return { ok: false, url, verified: false, failure: 'invalidUrl', message: `${target.origin} is not https; Graph only posts notifications to https URLs.`, fix: 'Use the https URL your tunnel prints.' };
	}
	const hostname = target.hostname.replace(/^\[|\]$/g, '');
	const port = Number(target.port || 443);
	const timeoutMs = options.timeoutMs ?? 10_000;
	const nonce = randomBytes(18).toString('base64url');
	const expectation = options.receiver?.expectProbe(nonce);
	const started = performance.now();
	const timings: { dnsMs?: number; connectMs?: number; tlsMs?: number; responseMs?: number } = {};
	const since = () => Math.round(performance.now() - started);
	let phase: Phase = 'dns';
	const deadline = AbortSignal.timeout(timeoutMs);
	try {
		let address: string;
		let connectPort: number;
		try {
			const to = await withDeadline((options.resolve ?? systemResolver)(hostname, port), deadline);
			address = to.address;
			connectPort = to.port;
			timings.dnsMs = since();
		} catch (err) {
			if (deadline.aborted) return timedOut(url, 'dns', timeoutMs, timings);
			const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
			return { ok: false, url, verified: false, failure: 'dns', timings, message: `The name ${hostname} does not resolve (${code}).`, fix: 'Check the host name: a tunnel\'s name stops resolving once the tunnel is deleted. Start the public callback again to get a current URL.' };
		}
		phase = 'tcp';
		const answer = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
			const req = https.request({
				host: address,
				port: connectPort,
				servername: isIP(hostname) ? undefined : hostname,
				method: 'POST',
				path: `${target.pathname}${target.search}`,
				headers: { host: target.host, 'content-type': 'application/json', 'content-length': 2, [PROBE_HEADER]: nonce, 'user-agent': 'GraphCallsWorkbench-ReachabilityProbe', 'ngrok-skip-browser-warning': '1' },
				ca: options.ca?.length ? [...tls.rootCertificates, ...options.ca] : undefined,
				agent: false,
				signal: deadline,
			}, (res) => {
				phase = 'http';
				timings.responseMs = since();
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (c: Buffer) => {
					size += c.length;
					if (size <= 8192) chunks.push(c);
				});
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, 8192) }));
				res.on('error', reject);
			});
			req.on('socket', (socket) => {
				socket.once('connect', () => {
					timings.connectMs = since();
					phase = 'tls';
				});
				socket.once('secureConnect', () => {
					timings.tlsMs = since();
					phase = 'http';
				});
			});
			req.on('error', reject);
			req.end('{}');
		});
		const roundTripMs = since();
		const arrival = expectation ? await Promise.race([expectation.arrived, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100).unref())]) : undefined;
		return classifyAnswer(url, target, answer, nonce, arrival, options.receiver, roundTripMs, timings);
	} catch (err) {
		if (deadline.aborted) return timedOut(url, phase, timeoutMs, timings);
		return classifyError(url, hostname, port, phase, err as NodeJS.ErrnoException, timings);
	} finally {
		expectation?.dispose();
	}
}

function withDeadline<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		if (signal.aborted) onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

function timedOut(url: string, phase: Phase, timeoutMs: number, timings: ReachabilityResult['timings']): ReachabilityResult {
	const where = { dns: 'looking up the name', tcp: 'connecting', tls: 'the TLS handshake', http: 'waiting for an answer' }[phase];
	return { ok: false, url, verified: false, failure: phase === 'dns' ? 'dns' : 'timeout', timings, message: `No answer within ${Math.round(timeoutMs / 1000)} s (stuck ${where}).`, fix: phase === 'http' ? 'The tunnel accepted the request but nothing answered: is the receiver busy or the tunnel reconnecting?' : 'Check the network between this machine and the tunnel service (proxy, firewall).' };
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|EPROTO|HANDSHAKE/i;

function classifyError(url: string, hostname: string, port: number, phase: Phase, err: NodeJS.ErrnoException, timings: ReachabilityResult['timings']): ReachabilityResult {
	const code = err.code ?? err.message;
	if (TLS_CODE.test(code) || phase === 'tls') {
		const cert = /CERT|SELF_SIGNED|UNABLE_TO_|ALTNAME/i.test(code);
		return { ok: false, url, verified: false, failure: 'tls', timings, message: cert ? `${hostname} presented a certificate this machine does not trust for that name (${code}).` : `The TLS handshake with ${hostname}:${port} failed (${code}).`, fix: cert ? 'Graph rejects such certificates too. Use the URL the tunnel printed; behind a TLS-inspecting proxy, the probe cannot see the tunnel\'s real certificate.' : 'Something on port 443 speaks no TLS: is the URL the tunnel\'s?' };
	}
	if (phase === 'tcp') {
		return { ok: false, url, verified: false, failure: 'tcp', timings, message: `Could not connect to ${hostname}:${port} (${code}).`, fix: 'The tunnel service is unreachable from here: check the network, a proxy or a firewall.' };
	}
	return { ok: false, url, verified: false, failure: 'tcp', timings, message: `The connection to ${hostname}:${port} was closed without an answer (${code}).`, fix: 'The tunnel may be restarting: try again in a few seconds.' };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
	const v = headers[name];
	return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

function classifyAnswer(
	url: string,
	target: URL,
	answer: { status: number; headers: Record<string, string | string[] | undefined>; body: string },
	nonce: string,
	arrival: ProbeArrival | undefined,
	receiver: ProbeTarget | undefined,
	roundTripMs: number,
	timings: ReachabilityResult['timings'],
): ReachabilityResult {
	const base = { url, status: answer.status, roundTripMs, timings };
	const echoed = header(answer.headers, PROBE_HEADER) === nonce;
	if (echoed && arrival) {
		if (receiver && arrival.path !== receiver.callbackPath) {
			return { ...base, ok: false, verified: true, failure: 'wrongPath', arrivedPath: arrival.path, message: `The probe reached the receiver in ${roundTripMs} ms, but at ${arrival.path}, not at its callback path ${receiver.callbackPath}.`, fix: `Set the callback URL to ${target.origin}${receiver.callbackPath}.` };
		}
		return { ...base, ok: true, verified: true, arrivedPath: arrival.path, message: `The probe went through ${target.host} and reached the callback receiver in ${roundTripMs} ms.` };
	}
	const text = `${header(answer.headers, 'ngrok-error-code')} ${answer.body}`;
	if (/ERR_NGROK_3200|ERR_NGROK_724/.test(text) || (answer.status === 404 && /tunnel (is )?(not found|offline|not connected)|endpoint .*offline|host is not connected/i.test(text))) {
		return { ...base, ok: false, verified: false, failure: 'tunnelNotRunning', message: `${target.host} answered ${answer.status}: the tunnel service has no running tunnel for this name.`, fix: 'Start the public callback ("Graph Calls: Start Public Callback"), or start your tunnel program again: the URL changes when a temporary tunnel is recreated.' };
	}
	if (/ERR_NGROK_8012/.test(text) || answer.status === 502 || answer.status === 504) {
		return { ...base, ok: false, verified: false, failure: 'receiverNotListening', message: `${target.host} answered ${answer.status}: the tunnel is up, but nothing answered on the local port it forwards to.`, fix: 'Start the callback receiver ("Graph Calls: Start Callback Receiver") on the port the tunnel forwards to, or restart the tunnel for the receiver\'s current port.' };
	}
	if (answer.status === 421) {
		return { ...base, ok: false, verified: false, failure: 'hostRefused', message: `The receiver refused the host name ${target.hostname} (421): it only answers to the names it knows.`, fix: 'Put this URL in the active profile\'s callback URL or in "graphCalls.callbackUrl"; the receiver then accepts its host name.' };
	}
	if (!receiver) {
		return { ...base, ok: answer.status < 500, verified: false, message: `${target.host} answered ${answer.status} in ${roundTripMs} ms (unverified: no local receiver was watching for the probe).`, ...(answer.status >= 500 ? { failure: 'notReceiver' as const, fix: 'The bot behind the URL answered with a server error.' } : {}) };
	}
	return { ...base, ok: false, verified: false, failure: 'notReceiver', message: `${target.host} answered ${answer.status}, but the probe never reached the callback receiver: something else answers on that URL.`, fix: 'Point the tunnel at the receiver\'s port (see "Graph Calls: Copy Callback Receiver URL"), or start the public callback from this window.' };
}
