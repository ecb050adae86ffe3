/**
 * Small network helpers the doctor's callers share: resolving a tenant domain through the authority's OpenID
 * configuration, and a management-scope token from the local emulator (whose Resource Manager stand-in takes the
 * emulator's own client-credentials tokens, where the real one takes a signed-in Azure user's).
 */
import { undici } from '../lazyUndici';

async function withAgent<T>(caCertPem: string | undefined, run: (dispatcher: import('undici').Dispatcher) => Promise<T>): Promise<T> {
	const agent = new (undici().Agent)({ connect: caCertPem ? { ca: caCertPem } : {} });
	try {
		return await run(agent);
	} finally {
		void agent.close().catch(() => undefined);
	}
}

const GUID_IN_ISSUER = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\/|$)/i;

/** Resolves `contoso.onmicrosoft.com` to its tenant id from `<authorityHost>/<domain>/v2.0/.well-known/openid-configuration`. */
export function openIdTenantResolver(authorityOrigin: string, caCertPem?: string): (domain: string) => Promise<string | undefined> {
	return (domain) => withAgent(caCertPem, async (dispatcher) => {
		const res = await undici().request(`${authorityOrigin.replace(/\/+$/, '')}/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`, { dispatcher, signal: AbortSignal.timeout(15_000) });
		const body = (await res.body.json().catch(() => undefined)) as { issuer?: unknown } | undefined;
		if (res.statusCode !== 200 || typeof body?.issuer !== 'string') return undefined;
		return GUID_IN_ISSUER.exec(body.issuer)?.[1]?.toLowerCase();
	});
}

/** A client-credentials token for `scope` from a local authority (the emulator's); throws with Entra's description. */
export async function clientCredentialsToken(args: { authority: string; clientId: string; clientSecret: string; scope: string; caCertPem?: string }): Promise<string> {
	return withAgent(args.caCertPem, async (dispatcher) => {
		const res = await undici().request(`${args.authority.replace(/\/+$/, '')}/oauth2/v2.0/token`, {
			method: 'POST',
			dispatcher,
			signal: AbortSignal.timeout(15_000),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: args.clientId, client_secret: args.clientSecret, scope: args.scope }).toString(),
		});
		const body = (await res.body.json().catch(() => ({}))) as { access_token?: unknown; error_description?: unknown };
		if (res.statusCode !== 200 || typeof body.access_token !== 'string') {
			throw new Error(typeof body.error_description === 'string' ? body.error_description.split(' Trace ID:')[0] : `The token endpoint answered ${res.statusCode}.`);
		}
		return body.access_token;
	});
}
