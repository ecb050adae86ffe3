/**
 * The one emulator fixture of the integration tests: a running emulator and, as the test asks for them, an undici
 * Agent that trusts its CA, a bearer token from msal-node, a GraphClient with a token provider that can be watched,
 * and a webhook receiver that verifies the emulator's notification tokens.
 *
 * `useEmulator(options)` inside a `describe` starts it in a before() hook and stops it in an after() hook;
 * `startEmulatorFixture(options)` starts one inside a test (stop it in a finally). The parts are built in this
 * order: emulator, `onStarted(emu)`, agent, token, receiver, client; they stop in the reverse order. Mocha runs a
 * suite's after() hooks in the order they were registered, so a file's own after() runs after this one's.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import type { AccessToken, TokenProvider, TokenRequestOptions } from '../../../src/core/auth/tokenProvider';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/core/emulator';
import { GraphClient, type GraphClientOptions } from '../../../src/core/graph/graphClient';
import { emulatorAgent, emulatorToken } from './emulatorAuth';
import { WebhookReceiver, type WebhookReceiverOptions } from './webhookReceiver';

/** One state directory shared by every test run, so the CA and keys are created once per machine. */
export function testStateDir(): string {
	return process.env.GRAPH_CALLS_EMULATOR_STATE_DIR || path.join(os.tmpdir(), 'graph-calls-emulator-test-state');
}

export interface EmulatorFixtureOptions {
	/** How to start the emulator; the state dir defaults to testStateDir(), never the user's home. */
	emulator?: EmulatorOptions;
	/** Runs as soon as the emulator listens, before any other part exists: subscribe to onDidServe here to see every request. */
	onStarted?: (emu: EmulatorHandle) => void;
	/** Get a bearer token with msal-node at start (`token`). */
	token?: boolean;
	/** Start a receiver that verifies notification tokens for the emulator's app (`receiver`). */
	receiver?: boolean | Omit<WebhookReceiverOptions, 'verify'>;
	/** Build a GraphClient on an EmulatorTokenProvider (`client`, `tokens`); an object overrides the client's options. */
	client?: boolean | Partial<GraphClientOptions>;
}

/**
 * Client credentials against the emulator's token endpoint. It keeps its token until asked to refresh (like a
 * cache that does not know the token expired), so tests can prove the client's 401 -> forceRefresh path.
 */
export class EmulatorTokenProvider implements TokenProvider {
	private cached: AccessToken | undefined;
	readonly calls: TokenRequestOptions[] = [];

	constructor(private readonly emu: EmulatorHandle, private readonly agent: Agent) {}

	async getToken(options: TokenRequestOptions = {}): Promise<AccessToken> {
		this.calls.push(options);
		if (this.cached && !options.forceRefresh) return this.cached;
		const res = await request(`${this.emu.authority}/oauth2/v2.0/token`, {
			method: 'POST',
			dispatcher: this.agent,
			signal: options.signal,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.emu.clientId, client_secret: this.emu.clientSecret, scope: `${this.emu.baseUrl}/.default` }).toString(),
		});
		const body = (await res.body.json()) as { access_token?: string; expires_in?: number; error_description?: string };
		if (res.statusCode !== 200 || !body.access_token) throw new Error(`The emulator refused a token (${res.statusCode}): ${body.error_description ?? 'no description'}`);
		this.cached = { token: body.access_token, expiresOn: new Date(Date.now() + (body.expires_in ?? 3600) * 1000) };
		return this.cached;
	}
}

/** What a started fixture holds; the optional parts exist when the options asked for them. */
interface Parts {
	emu: EmulatorHandle;
	agent?: Agent;
	token?: string;
	receiver?: WebhookReceiver;
	tokens?: EmulatorTokenProvider;
	client?: GraphClient;
}

export class EmulatorFixture {
	private started?: Parts;

	constructor(private readonly options: EmulatorFixtureOptions = {}) {}

	async start(): Promise<this> {
		const o = this.options;
		const emu = await startEmulator({ stateDir: testStateDir(), ...o.emulator });
		const parts: Parts = { emu };
		this.started = parts;
		o.onStarted?.(emu);
		parts.agent = emulatorAgent(emu.caCertPem);
		if (o.token) parts.token = await emulatorToken(emu, parts.agent);
		if (o.receiver) parts.receiver = await WebhookReceiver.start({ ...(o.receiver === true ? {} : o.receiver), verify: { audience: emu.clientId, openIdConfigurationUrl: emu.webhookOpenIdConfigurationUrl, agent: parts.agent } });
		if (o.client) {
			parts.tokens = new EmulatorTokenProvider(emu, parts.agent);
			parts.client = this.newClient(o.client === true ? {} : o.client);
		}
		return this;
	}

	/** Another GraphClient on the same token provider (for another base URL, say); the caller disposes it. */
	newClient(options: Partial<GraphClientOptions> = {}): GraphClient {
		const emu = this.emu;
		return new GraphClient({ profileName: 'Emulator', baseUrl: emu.graphBaseUrl, graphHost: emu.baseUrl, tokenProvider: this.tokens, caCertPem: emu.caCertPem, retry: { baseDelayMs: 50, maxDelayMs: 200 }, ...options });
	}

	async stop(): Promise<void> {
		const parts = this.started;
		this.started = undefined;
		parts?.client?.dispose();
		await parts?.receiver?.stop();
		await parts?.agent?.close();
		await parts?.emu.stop();
	}

	get emu(): EmulatorHandle {
		return this.part('emu', 'it did not start');
	}

	/** An undici Agent that trusts this emulator's CA and nothing else. */
	get agent(): Agent {
		return this.part('agent', 'it did not start');
	}

	/** A bearer token msal-node got for the emulator's app. */
	get token(): string {
		return this.part('token', 'pass { token: true }');
	}

	get receiver(): WebhookReceiver {
		return this.part('receiver', 'pass { receiver: true }');
	}

	get client(): GraphClient {
		return this.part('client', 'pass { client: true }');
	}

	/** The client's token provider: it records every getToken call. */
	get tokens(): EmulatorTokenProvider {
		return this.part('tokens', 'pass { client: true }');
	}

	private part<K extends keyof Parts>(name: K, hint: string): NonNullable<Parts[K]> {
		if (!this.started) throw new Error(`The emulator fixture is not running: read its ${name} inside a test or a hook that runs after it started.`);
		const value = this.started[name];
		if (value === undefined) throw new Error(`The emulator fixture has no ${name}: ${hint}.`);
		return value as NonNullable<Parts[K]>;
	}
}

/** The emulator fixture for the enclosing describe(): started in before(), stopped in after(). */
export function useEmulator(options: EmulatorFixtureOptions = {}): EmulatorFixture {
	const fixture = new EmulatorFixture(options);
	before(() => fixture.start());
	after(() => fixture.stop());
	return fixture;
}

/** An emulator fixture for one test: stop it in a finally. */
export async function startEmulatorFixture(options: EmulatorFixtureOptions = {}): Promise<EmulatorFixture> {
	const fixture = new EmulatorFixture(options);
	try {
		return await fixture.start();
	} catch (err) {
		await fixture.stop();
		throw err;
	}
}
