import { constants, createHash, randomUUID, verify, X509Certificate } from 'node:crypto';
import type { Permission } from '../schema/endpoints';
import type { AppRegistration } from './directory';
import { GraphHttpError, type Reply, type RequestContext } from './http';
import { ARM_AUDIENCES, type ManagementTokenCheck } from './resourceManager';
import { decodeJwtParts, type JwtPayload, type SigningKey } from './signingKeys';

export interface Tenant {
	tenantId: string;
	domain: string;
}

/** Who called Graph, from a verified access token. */
export interface Caller {
	appId: string;
	tenantId: string;
	roles: readonly string[];
}

/** Resources a client-credentials token may be issued for (the `scope` minus `/.default`). */
const GRAPH_RESOURCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000', 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us', 'https://microsoftgraph.chinacloudapi.cn'];

interface CachedToken {
	caller: Caller;
	exp: number;
	aud: string;
}

/**
 * The Entra ID side: OIDC discovery, JWKS, the client-credentials token endpoint with secret or certificate,
 * and bearer-token checks for Graph requests. Errors carry the real AADSTS codes so bots see what they would see.
 */
export class EntraService {
	private readonly verifiedTokens = new Map<string, CachedToken>();
	/** Set by the fault injector: the token endpoint answers 503. */
	tokenEndpointDown = false;

	constructor(
		private readonly origin: () => string,
		readonly tenant: Tenant,
		readonly apps: Map<string, AppRegistration>,
		private readonly tokenKey: SigningKey,
		readonly options: { tokenLifetimeSeconds: number },
	) {}

	resolveTenant(nameOrId: string): Tenant | undefined {
		const n = nameOrId.toLowerCase();
		return n === this.tenant.tenantId || n === this.tenant.domain.toLowerCase() ? this.tenant : undefined;
	}

	authority(): string {
		return `${this.origin()}/${this.tenant.tenantId}`;
	}

	openIdConfiguration(tenant: Tenant): Record<string, unknown> {
		const base = `${this.origin()}/${tenant.tenantId}`;
		return {
			token_endpoint: `${base}/oauth2/v2.0/token`,
			token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
			jwks_uri: `${base}/discovery/v2.0/keys`,
			response_modes_supported: ['query', 'fragment', 'form_post'],
			subject_types_supported: ['pairwise'],
			id_token_signing_alg_values_supported: ['RS256'],
			response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
			scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
			issuer: `${base}/v2.0`,
			request_uri_parameter_supported: false,
			authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
			end_session_endpoint: `${base}/oauth2/v2.0/logout`,
			tenant_region_scope: 'WW',
			cloud_instance_name: 'emulator.local',
		};
	}

	jwks(): unknown {
		return { keys: [this.tokenKey.publicJwk] };
	}

	/** Routes `/{tenant}/...` requests of the Entra side; undefined when the path is not one of them. */
	handle(ctx: RequestContext): Reply | undefined {
		const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|discovery\/v2\.0\/keys|discovery\/keys|oauth2\/v2\.0\/token|oauth2\/token)$/.exec(ctx.path);
		if (!m) return undefined;
		const tenant = this.resolveTenant(decodeURIComponent(m[1]));
		if (!tenant) {
			return this.entraError(ctx, 400, 'invalid_tenant', 90002, `Tenant '${m[1]}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. The emulator's tenant is ${this.tenant.tenantId} (${this.tenant.domain}).`);
		}
		const what = m[2];
		if (what.includes('openid-configuration')) return { status: 200, body: this.openIdConfiguration(tenant) };
		if (what.includes('keys')) return { status: 200, body: this.jwks() };
		if (ctx.method !== 'POST') return this.entraError(ctx, 405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
		return this.token(ctx, tenant);
	}

	private token(ctx: RequestContext, tenant: Tenant): Reply {
		if (this.tokenEndpointDown) {
			return this.entraError(ctx, 503, 'temporarily_unavailable', 90033, 'A transient error has occurred (the emulator\'s token endpoint is down by fault injection). Please try again.', { 'Retry-After': '1' });
		}
		const form = new URLSearchParams(ctx.rawBody.toString('utf8'));
		let clientId = form.get('client_id') ?? '';
		let secret = form.get('client_secret');
		const basic = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '');
		if (basic) {
			const [id, pw] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
			clientId ||= decodeURIComponent(id ?? '');
			secret ??= decodeURIComponent(pw ?? '');
		}
		const grant = form.get('grant_type');
		if (grant !== 'client_credentials') {
			return this.entraError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'. The emulator only issues app-only tokens: use grant_type=client_credentials.`);
		}
		if (!clientId) return this.entraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
		const app = this.apps.get(clientId.toLowerCase());
		if (!app) {
			return this.entraError(ctx, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant. The emulator's app id is ${[...this.apps.values()][0]?.clientId ?? 'none'}.`);
		}
		const scope = form.get('scope') ?? '';
		const scopes = scope.split(/\s+/).filter(Boolean);
		const dflt = scopes.find((s) => s.endsWith('/.default'));
		if (!dflt || scopes.some((s) => !s.endsWith('/.default') && !['openid', 'profile', 'offline_access'].includes(s))) {
			return this.entraError(ctx, 400, 'invalid_scope', 1002012, `The provided value for scope '${scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI), for example https://graph.microsoft.com/.default.`);
		}
		const resource = dflt.slice(0, -'/.default'.length);
		const origin = this.origin();
		const allowed = [...GRAPH_RESOURCES, ...ARM_AUDIENCES, origin, origin.replace('127.0.0.1', 'localhost')];
		if (!allowed.includes(resource)) {
			return this.entraError(ctx, 400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant.domain}. Request https://graph.microsoft.com/.default (or ${origin}/.default).`);
		}
		let appidacr = '1';
		const assertionType = form.get('client_assertion_type');
		const assertion = form.get('client_assertion');
		if (assertion) {
			if (assertionType !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
				return this.entraError(ctx, 400, 'invalid_request', 700025, "client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");
			}
			const failure = this.checkAssertion(assertion, app, tenant);
			if (failure) return this.entraError(ctx, 401, 'invalid_client', failure.code, failure.message);
			appidacr = '2';
		} else if (secret) {
			const match = app.secrets.find((s) => s.value === secret);
			if (!match) {
				return this.entraError(ctx, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
			}
			if (match.expiresAt && Date.parse(match.expiresAt) <= Date.now()) {
				return this.entraError(ctx, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
			}
		} else {
			return this.entraError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
		}
		const now = Math.floor(Date.now() / 1000);
		const lifetime = this.options.tokenLifetimeSeconds;
		// A misconfigured setup shows in the token as it would: no roles claim without admin consent, another tid
		// when the app signs in at its home tenant.
		const tid = app.setup?.homeTenantId ?? tenant.tenantId;
		const claims: JwtPayload = {
			aud: resource,
			iss: `https://sts.windows.net/${tid}/`,
			iat: now,
			nbf: now,
			exp: now + lifetime,
			app_displayname: app.displayName,
			appid: app.clientId,
			appidacr,
			idp: `https://sts.windows.net/${tid}/`,
			idtyp: 'app',
			oid: app.clientId,
			...(app.setup?.adminConsent === false ? {} : { roles: [...app.roles] }),
			sub: app.clientId,
			tid,
			uti: randomUUID().replace(/-/g, '').slice(0, 22),
			ver: '1.0',
		};
		return { status: 200, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: this.tokenKey.sign(claims) } };
	}

	private checkAssertion(assertion: string, app: AppRegistration, tenant: Tenant): { code: number; message: string } | undefined {
		const jwt = decodeJwtParts(assertion);
		if (!jwt) return { code: 50027, message: 'JWT token is invalid or malformed: the client_assertion must be a signed JWT.' };
		const alg = jwt.header.alg;
		const x5tS256 = typeof jwt.header['x5t#S256'] === 'string' ? jwt.header['x5t#S256'] : undefined;
		const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : undefined;
		const presented = x5tS256 ?? x5t ?? '';
		const cert = app.certificates.map((pem) => new X509Certificate(pem)).find((c) => {
			if (x5tS256) return createHash('sha256').update(c.raw).digest('base64url') === x5tS256;
			if (x5t) return createHash('sha1').update(c.raw).digest('base64url') === x5t;
			return false;
		});
		if (!cert) {
			return { code: 700027, message: `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${Buffer.from(presented, 'base64url').toString('hex').toUpperCase()}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'. Register the certificate with POST /_emulator/apps/${app.clientId}/certificates.]` };
		}
		let ok = false;
		try {
			if (alg === 'PS256') {
				ok = verify('sha256', Buffer.from(jwt.signingInput), { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, jwt.signature);
			} else if (alg === 'RS256') {
				ok = verify('sha256', Buffer.from(jwt.signingInput), cert.publicKey, jwt.signature);
			}
		} catch {
			ok = false;
		}
		if (!ok) {
			return { code: 700027, message: `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value (algorithm ${String(alg)})., Thumbprint of key used by client: '${Buffer.from(presented, 'base64url').toString('hex').toUpperCase()}'.]` };
		}
		const p = jwt.payload;
		const now = Math.floor(Date.now() / 1000);
		if (typeof p.exp !== 'number' || p.exp < now - 300 || (typeof p.nbf === 'number' && p.nbf > now + 300)) {
			return { code: 700024, message: 'Client assertion is not within its valid time range. Sign a fresh assertion (exp in the future).' };
		}
		if (p.iss !== app.clientId || p.sub !== app.clientId) {
			return { code: 700023, message: `Client assertion's 'iss' and 'sub' claims must both be the client id '${app.clientId}'.` };
		}
		const aud = String(p.aud ?? '');
		const validAud = [tenant.tenantId, tenant.domain].flatMap((t) => [`${this.origin()}/${t}/oauth2/v2.0/token`, `${this.origin()}/${t}/oauth2/token`, `${this.origin()}/${t}/v2.0`]);
		if (!validAud.some((a) => a.toLowerCase() === aud.toLowerCase())) {
			return { code: 700212, message: `Client assertion audience claim '${aud}' does not match the token endpoint '${this.origin()}/${tenant.tenantId}/oauth2/v2.0/token'.` };
		}
		return undefined;
	}

	/** An error in Entra's shape (msal-node reads `error`, `error_description`, `error_codes`). */
	entraError(ctx: RequestContext, status: number, error: string, code: number, description: string, headers: Record<string, string> = {}): Reply {
		const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
		return {
			status,
			headers,
			body: {
				error,
				error_description: `AADSTS${code}: ${description} Trace ID: ${ctx.requestId} Correlation ID: ${ctx.clientRequestId ?? ctx.requestId} Timestamp: ${timestamp}`,
				error_codes: [code],
				timestamp,
				trace_id: ctx.requestId,
				correlation_id: ctx.clientRequestId ?? ctx.requestId,
				error_uri: `https://login.microsoftonline.com/error?code=${code}`,
			},
		};
	}

	/** Checks the bearer token of a Graph request; throws 401 InvalidAuthenticationToken with the reason. */
	authenticate(ctx: RequestContext): Caller {
		const header = ctx.req.headers.authorization;
		const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
		if (!m) throw new GraphHttpError(401, 'InvalidAuthenticationToken', header ? 'Access token validation failure: the Authorization header is not "Bearer <token>".' : 'Access token is empty. Send Authorization: Bearer <token> from the emulator\'s token endpoint.', { 'WWW-Authenticate': 'Bearer realm="", error="invalid_token"' });
		const token = m[1];
		const now = Math.floor(Date.now() / 1000);
		let cached = this.verifiedTokens.get(token);
		if (!cached) {
			const r = this.tokenKey.verify(token, now);
			if ('reason' in r) throw invalidToken(`Access token validation failure: ${r.reason}. Get a new token from ${this.authority()}/oauth2/v2.0/token.`);
			const p = r.payload;
			cached = { caller: { appId: String(p.appid), tenantId: String(p.tid), roles: Array.isArray(p.roles) ? p.roles.map(String) : [] }, exp: Number(p.exp), aud: String(p.aud) };
			if (this.verifiedTokens.size > 5000) this.verifiedTokens.clear();
			this.verifiedTokens.set(token, cached);
		}
		if (cached.exp <= now) throw invalidToken('Lifetime validation failed, the token is expired. Get a new token (msal-node: acquireTokenByClientCredential again).');
		const origin = this.origin();
		if (!GRAPH_RESOURCES.includes(cached.aud) && cached.aud !== origin && cached.aud !== origin.replace('127.0.0.1', 'localhost')) {
			throw invalidToken(`Access token validation failure. Invalid audience '${cached.aud}': request a token for https://graph.microsoft.com/.default.`);
		}
		if (cached.caller.tenantId !== this.tenant.tenantId && cached.caller.tenantId !== this.apps.get(cached.caller.appId.toLowerCase())?.setup?.homeTenantId) {
			throw invalidToken('Access token validation failure: the token is for another tenant.');
		}
		return cached.caller;
	}

	/** Checks a bearer token for the Resource Manager stand-in, with Resource Manager's error codes. */
	verifyManagementToken(token: string): ManagementTokenCheck {
		const now = Math.floor(Date.now() / 1000);
		const r = this.tokenKey.verify(token, now);
		if ('reason' in r) {
			return /expired/i.test(r.reason)
				? { code: 'ExpiredAuthenticationToken', message: 'The access token expiry UTC time is earlier than current UTC time.' }
				: { code: 'InvalidAuthenticationToken', message: `The access token is invalid (${r.reason}).` };
		}
		const aud = String(r.payload.aud);
		if (!ARM_AUDIENCES.includes(aud)) {
			return { code: 'InvalidAuthenticationTokenAudience', message: `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences '${ARM_AUDIENCES.join("','")}'.` };
		}
		return { appId: String(r.payload.appid), tenantId: String(r.payload.tid) };
	}

	/** Roles in effect: those in the token that the app still has (a removed role stops working at once). */
	effectiveRoles(caller: Caller): Permission[] {
		const app = this.apps.get(caller.appId.toLowerCase());
		if (!app) return [];
		return app.roles.filter((r) => caller.roles.includes(r));
	}
}

function invalidToken(message: string): GraphHttpError {
	return new GraphHttpError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': 'Bearer realm="", error="invalid_token"' });
}
