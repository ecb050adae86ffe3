/**
 * The callback URL: Graph posts notifications to it from the internet, so it must be https on a public host; and
 * a probe sent through it must arrive. Reaching it is the tunnel's self-test: the doctor takes that probe as a
 * function and says it cannot check without one.
 */
import { isIP } from 'node:net';
import type { ReachabilityProbe } from '../tunnel/reachabilityProbe';
import { cannotCheck, fail, pass, type CheckResult } from './doctorModel';

export type { ReachabilityProbe } from '../tunnel/reachabilityProbe';

function ipv4Private(ip: string): string | undefined {
	const [a, b] = ip.split('.').map(Number);
	if (a === 127) return 'a loopback address';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private address';
	if (a === 169 && b === 254) return 'a link-local address';
	if (a === 100 && b >= 64 && b <= 127) return 'a carrier-grade NAT address';
	if (a === 0) return 'an unspecified address';
	return undefined;
}

function ipv6Private(ip: string): string | undefined {
	const v = ip.toLowerCase();
	if (v === '::1') return 'a loopback address';
	if (v === '::') return 'an unspecified address';
	if (/^f[cd]/.test(v)) return 'a unique local (private) address';
	if (/^fe[89ab]/.test(v)) return 'a link-local address';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
	if (mapped) return ipv4Private(mapped[1]);
	// The URL parser writes an IPv4-mapped address in hex (::ffff:a00:1 for 10.0.0.1).
	const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v);
	if (!hex) return undefined;
	const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
	return ipv4Private(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
}

/** Why a host cannot be reached from the internet, or undefined when it may be. */
export function nonPublicHost(hostname: string): string | undefined {
	const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
	const ip = isIP(host);
	if (ip === 4) return ipv4Private(host);
	if (ip === 6) return ipv6Private(host);
	if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name';
	if (host.endsWith('.local') || host.endsWith('.internal') || host.endsWith('.lan') || host.endsWith('.home.arpa')) return 'a name that only resolves on a local network';
	if (!host.includes('.')) return 'a single-label name that only resolves on a local network';
	return undefined;
}

const SET_URL = 'Start a public tunnel to the callback receiver (dev tunnels or ngrok) and set its https URL as the profile\'s callback URL (GRAPH_CALLBACK_URL for the command line).';

export function callbackPublicCheck(callbackUrl: string | undefined): CheckResult {
	if (!callbackUrl) return fail('callbackPublic', 'No callback URL is set: Graph has nowhere to send notifications.', SET_URL);
	let url: URL;
	try {
		url = new URL(callbackUrl);
	} catch {
		return fail('callbackPublic', `The callback URL "${callbackUrl}" is not a URL.`, SET_URL);
	}
	if (url.protocol !== 'https:') return fail('callbackPublic', `The callback URL ${url.origin}${url.pathname} uses ${url.protocol.replace(':', '')}: Graph only calls https URLs.`, SET_URL);
	if (url.username || url.password) return fail('callbackPublic', 'The callback URL carries a user name or password: Graph does not send them.', 'Remove the credentials from the URL; the notifications carry a signed token to check instead.');
	const why = nonPublicHost(url.hostname);
	if (why) return fail('callbackPublic', `The callback URL's host ${url.hostname} is ${why}: Graph, on the internet, cannot reach it.`, SET_URL);
	return pass('callbackPublic', `${url.origin}${url.pathname} is https on a public host name.`);
}

export async function callbackReachableCheck(callbackUrl: string | undefined, probe: ReachabilityProbe | undefined, publicResult: CheckResult): Promise<CheckResult> {
	if (publicResult.state !== 'pass' || !callbackUrl) return cannotCheck('callbackReachable', 'The callback URL is not a public https URL, so there is nothing to probe.', 'Fix the "Callback URL is public HTTPS" check first.');
	if (!probe) return cannotCheck('callbackReachable', 'No reachability probe is available here: it runs through the public tunnel\'s self-test.', 'Start the public callback tunnel (it probes the URL and shows the round trip), or send a test notification to the URL.');
	try {
		const r = await probe(callbackUrl);
		const rtt = r.roundTripMs !== undefined ? ` in ${Math.round(r.roundTripMs)} ms` : '';
		if (r.ok) return pass('callbackReachable', r.verified ? `A probe through ${callbackUrl} arrived at the receiver${rtt}.` : `${callbackUrl} answered${rtt} (${r.message})`);
		return fail('callbackReachable', `The probe stopped at ${r.failure ?? 'an unknown stage'}: ${r.message}`, r.fix ?? 'Fix what the probe names (tunnel running, receiver listening, path), then run the doctor again.');
	} catch (err) {
		return fail('callbackReachable', `The probe failed: ${(err as Error).message}`, 'Check that the tunnel and the receiver run, then run the doctor again.');
	}
}
