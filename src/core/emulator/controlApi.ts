import { X509Certificate } from 'node:crypto';
import { ALL_PERMISSIONS, type Permission } from '../schema/endpoints';
import { healthySetup, patchSetup } from './appSetup';
import { requireCallbackUri } from './requestChecks';
import type { CallEngine, CallRecord } from './callEngine';
import type { Clock } from './clock';
import { publicApp, type AppRegistration, type Directory } from './directory';
import { badRequest, GraphHttpError, jsonBody, Router, type Reply, type RequestContext } from './http';
import { parseFaultSpec, validateFaults, type FaultConfig, type FaultInjector } from './faults';
import { addPeopleRoutes } from './peopleApi';
import type { WebhookDispatcher } from './webhooks';
import { FEED_CAPACITY, type EventFeed, type FeedEventType } from './eventFeed';
import { randomUUID } from 'node:crypto';

export type ControlHandler = (ctx: RequestContext) => Reply | Promise<Reply>;

/** What the control API steers: the running emulator, seen through the members it needs. */
export interface ControlledEmulator {
	readonly engine: CallEngine;
	readonly clock: Clock;
	readonly faults: FaultInjector;
	readonly webhooks: WebhookDispatcher;
	readonly apps: Map<string, AppRegistration>;
	readonly feed: EventFeed;
	app(clientId: string): AppRegistration;
	state(): unknown;
	reset(): Promise<void>;
	setDirectory(directory: Directory): void;
	setFaults(config: FaultConfig): void;
	incomingCall(input: { from: { userId?: string; phone?: string }; callbackUri?: string; appId?: string }): CallRecord;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

/** A silent 1-second 8 kHz mono WAV: what recordResponse "recorded". */
function silentWav(): Buffer {
	const samples = 8000;
	const b = Buffer.alloc(44 + samples * 2);
	b.write('RIFF', 0); b.writeUInt32LE(36 + samples * 2, 4); b.write('WAVE', 8); b.write('fmt ', 12);
	b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24);
	b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36); b.writeUInt32LE(samples * 2, 40);
	return b;
}

/**
 * The control API under /_emulator: inspect and steer the emulator from tests, scripts and the extension.
 * It has no authentication: it only listens on loopback.
 */
export function controlRouter(emu: ControlledEmulator): Router<ControlHandler> {
	const r = new Router<ControlHandler>();
	const routes: [string, string, string, ControlHandler][] = [];
	const add = (method: string, path: string, summary: string, h: ControlHandler) => {
		routes.push([method, path, summary, h]);
		r.add(method, path, h);
	};
	const call = (ctx: RequestContext) => emu.engine.get(ctx.params.callId);

	add('GET', '/_emulator', 'This list.', () => ok({ endpoints: routes.map(([method, path, summary]) => ({ method, path, summary })) }));
	add('GET', '/_emulator/state', 'Everything: calls, participants, operations, apps, faults, counters.', () => ok(emu.state()));
	add('POST', '/_emulator/reset', 'End all calls silently and restore the start configuration.', async () => {
		await emu.reset();
		return { status: 204 };
	});
	add('GET', '/_emulator/directory', 'Simulated users, phones and meetings with their behaviours.', () => ok(emu.engine.directory));
	add('PUT', '/_emulator/directory', 'Replace the directory.', (ctx) => {
		try {
			emu.setDirectory(jsonBody(ctx) as never);
		} catch (err) {
			if (err instanceof GraphHttpError) throw err;
			throw badRequest((err as Error).message);
		}
		return ok(emu.engine.directory);
	});
	add('POST', '/_emulator/directory/users', 'Add a user: {"id","displayName","behaviour","answerAfterMs"}.', (ctx) => {
		const u = jsonBody(ctx);
		const d = emu.engine.directory;
		try {
			emu.setDirectory({ ...d, users: [...d.users.filter((x) => x.id !== u.id), u as never] });
		} catch (err) {
			throw badRequest((err as Error).message);
		}
		return { status: 201, body: u };
	});
	add('GET', '/_emulator/apps', 'Registered apps (without secrets).', () => ok({ value: [...emu.apps.values()].map(publicApp) }));
	const patchApp = (ctx: RequestContext): Reply => {
		const app = emu.app(ctx.params.clientId);
		const b = jsonBody(ctx);
		if (b.roles !== undefined) app.roles = checkRoles(b.roles);
		if (b.callingWebhook !== undefined) app.callingWebhook = b.callingWebhook === null ? undefined : requireCallbackUri(b.callingWebhook);
		return ok(publicApp(app));
	};
	add('POST', '/_emulator/apps', 'Register another app (a second bot): {"displayName","roles"?,"callingWebhook"?}; the answer holds its clientId and clientSecret, shown once.', (ctx) => {
		const b = jsonBody(ctx);
		if (typeof b.displayName !== 'string' || !b.displayName.trim()) throw badRequest('displayName must be a non-empty string: it names the app in the Calls view and the event feed.');
		const app: AppRegistration = { clientId: randomUUID(), displayName: b.displayName.trim().slice(0, 120), secrets: [], certificates: [], roles: b.roles === undefined ? [...ALL_PERMISSIONS] : checkRoles(b.roles) };
		if (b.callingWebhook !== undefined && b.callingWebhook !== null) app.callingWebhook = requireCallbackUri(b.callingWebhook);
		const clientSecret = `Emu8Q~${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`;
		app.secrets.push({ value: clientSecret });
		emu.apps.set(app.clientId.toLowerCase(), app);
		return { status: 201, body: { ...(publicApp(app) as object), clientSecret } };
	});
	add('GET', '/_emulator/events', `Live events (Server-Sent Events; or JSON with Accept: application/json): each Graph request served, notification delivered and call change, with callId and appId. ?since=SEQ (or Last-Event-ID) with ?instance=, ?types=request,notification,call, ?callId=. The last ${FEED_CAPACITY} events are kept.`, (ctx) => {
		const types = ctx.query.get('types') ? new Set(ctx.query.get('types')!.split(',').map((t) => t.trim()).filter(Boolean)) : undefined;
		for (const t of types ?? []) if (!['request', 'notification', 'call'].includes(t)) throw badRequest(`Unknown event type "${t}": use request, notification or call.`);
		const filter = { types: types as Set<FeedEventType> | undefined, callId: ctx.query.get('callId') ?? undefined };
		const lastEventId = ctx.req.headers['last-event-id'];
		const sinceText = ctx.query.get('since') ?? (typeof lastEventId === 'string' ? lastEventId : undefined);
		let since = sinceText === 'latest' ? emu.feed.lastSeq : Number(sinceText ?? 0);
		if (!Number.isInteger(since) || since < 0) throw badRequest('since must be an event seq (a whole number >= 0) or "latest".');
		// A seq of an earlier emulator (?instance= names the one the client last saw) means nothing here: start over.
		const instance = ctx.query.get('instance');
		if (instance && instance !== emu.feed.instance) since = 0;
		const accept = String(ctx.req.headers.accept ?? '');
		if (/application\/json/i.test(accept) && !/text\/event-stream/i.test(accept)) {
			return { status: 200, raw: { contentType: 'application/json; charset=utf-8', data: Buffer.from(emu.feed.pollJson(since, filter)) } };
		}
		return {
			status: 200,
			headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
			stream: (res) => {
				if (!emu.feed.stream(res, since, filter)) res.end('event: error\ndata: {"message":"Too many event streams are open; close one and reconnect."}\n\n');
			},
		};
	});
	add('GET', '/_emulator/traffic', 'The traffic so far as HAR 1.2: Graph requests ("_direction":"out") and notification POSTs ("_direction":"in"), redacted, each with _callId and _appId. ?callId=, ?appId=.', (ctx) => ({
		status: 200,
		headers: { 'Content-Disposition': 'inline; filename="emulator-traffic.har"' },
		raw: { contentType: 'application/json; charset=utf-8', data: Buffer.from(emu.feed.harJson('emulator', { callId: ctx.query.get('callId') ?? undefined, appId: ctx.query.get('appId') ?? undefined })) },
	}));
	add('PATCH', '/_emulator/apps/{clientId}', 'Change an app: {"roles":[...], "callingWebhook":"https://..."}.', patchApp);
	add('PUT', '/_emulator/apps/{clientId}', 'Same as PATCH.', patchApp);
	add('GET', '/_emulator/apps/{clientId}/roles', 'The app\'s consented application permissions.', (ctx) => ok({ roles: emu.app(ctx.params.clientId).roles }));
	add('PUT', '/_emulator/apps/{clientId}/roles', 'Replace the roles: {"roles":["Calls.Initiate.All", ...]}. Removing one takes effect at once.', (ctx) => {
		const app = emu.app(ctx.params.clientId);
		app.roles = checkRoles(jsonBody(ctx).roles);
		return ok({ roles: app.roles });
	});
	add('GET', '/_emulator/apps/{clientId}/setup', 'Consent, tenant and Azure Bot setup of the app (what the setup doctor checks).', (ctx) => ok(emu.app(ctx.params.clientId).setup ?? healthySetup()));
	add('PATCH', '/_emulator/apps/{clientId}/setup', 'Play a misconfiguration: {"adminConsent","tenantPermissions","botRegistered","teamsChannel","callingEnabled": false, "homeTenantId": GUID}. Reset restores a healthy setup.', (ctx) => {
		const app = emu.app(ctx.params.clientId);
		app.setup = patchSetup(app.setup ?? healthySetup(), jsonBody(ctx));
		return ok(app.setup);
	});
	add('POST', '/_emulator/apps/{clientId}/certificates', 'Register a certificate for client assertions: {"pem":"-----BEGIN CERTIFICATE-----..."}.', (ctx) => {
		const app = emu.app(ctx.params.clientId);
		const pem = jsonBody(ctx).pem;
		let cert: X509Certificate;
		try {
			cert = new X509Certificate(String(pem));
		} catch {
			throw badRequest('pem must be a PEM certificate (-----BEGIN CERTIFICATE-----).');
		}
		if (cert.publicKey.asymmetricKeyType !== 'rsa') throw badRequest('Client assertion certificates must use RSA keys (PS256/RS256).');
		app.certificates.push(cert.toString());
		return { status: 201, body: { thumbprintSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase() } };
	});
	add('GET', '/_emulator/faults', 'Fault configuration and counters.', () => ok({ faults: emu.faults.current, counters: emu.faults.counters }));
	add('PUT', '/_emulator/faults', 'Replace the faults: a FaultConfig JSON, or {"spec":"429:0.2@call.create,drop:0.1"}.', (ctx) => {
		const b = jsonBody(ctx);
		try {
			emu.setFaults(typeof b.spec === 'string' ? parseFaultSpec(b.spec) : validateFaults(b));
		} catch (err) {
			throw badRequest(`${(err as Error).message}`);
		}
		return ok({ faults: emu.faults.current, counters: emu.faults.counters });
	});
	add('DELETE', '/_emulator/faults', 'Remove all faults (counters stay).', () => {
		emu.setFaults({ rules: [], notifications: {}, tokenEndpointDown: false });
		return ok({ faults: emu.faults.current, counters: emu.faults.counters });
	});
	add('POST', '/_emulator/faults/counters/reset', 'Zero the fault counters.', () => {
		emu.faults.resetCounters();
		return ok({ counters: emu.faults.counters });
	});
	add('POST', '/_emulator/incomingCall', 'Someone calls the bot: {"from":{"userId"|"phone"}, "callbackUri"?}.', (ctx) => {
		const b = jsonBody(ctx);
		const c = emu.incomingCall({ from: (b.from ?? {}) as never, callbackUri: b.callbackUri as string | undefined, appId: b.appId as string | undefined });
		return { status: 201, body: { callId: c.id, call: c.resource } };
	});
	add('POST', '/_emulator/calls/{callId}/participants', 'A user joins: {"userId"} or a guest {"displayName"}; a meeting\'s lobbyBypassSettings may hold them in the lobby (isInLobby).', (ctx) => {
		const b = jsonBody(ctx);
		return { status: 201, body: emu.engine.participants.join(call(ctx), { userId: b.userId as string | undefined, displayName: b.displayName as string | undefined }) };
	});
	add('DELETE', '/_emulator/calls/{callId}/participants/{participantId}', 'A participant leaves (in a 1:1 call that ends it).', (ctx) => {
		emu.engine.participants.leave(call(ctx), ctx.params.participantId);
		return { status: 204 };
	});
	add('POST', '/_emulator/calls/{callId}/keys', 'A participant presses keys: {"keys":"1#"}. Needs subscribeToTone to be notified.', (ctx) => {
		const keys = jsonBody(ctx).keys;
		if (typeof keys !== 'string' || !keys) throw badRequest('keys must be a string of DTMF keys such as "12#".');
		return ok(emu.engine.media.pressKeys(call(ctx), keys));
	});
	add('POST', '/_emulator/calls/{callId}/hangUp', 'The other side hangs up: a 1:1 call ends 200/4521 (200/540000 for a phone), a group call or meeting 200/5001.', (ctx) => {
		emu.engine.lifecycle.hangUp(call(ctx));
		return { status: 204 };
	});
	add('POST', '/_emulator/calls/{callId}/hold', 'The other side puts the bot on hold.', (ctx) => {
		emu.engine.lifecycle.hold(call(ctx), true);
		return { status: 204 };
	});
	add('POST', '/_emulator/calls/{callId}/resume', 'The other side resumes the call.', (ctx) => {
		emu.engine.lifecycle.hold(call(ctx), false);
		return { status: 204 };
	});
	add('POST', '/_emulator/calls/{callId}/contentSharingSessions', 'Someone starts sharing content: {"participantId"?} (default: the first person in the roster).', (ctx) => {
		const b = jsonBody(ctx);
		if (b.participantId !== undefined && typeof b.participantId !== 'string') throw badRequest('participantId must be a string.');
		return { status: 201, body: emu.engine.contentSharing.add(call(ctx), b.participantId as string | undefined) };
	});
	add('DELETE', '/_emulator/calls/{callId}/contentSharingSessions/{sessionId}', 'The sharer stops sharing.', (ctx) => {
		emu.engine.contentSharing.end(call(ctx), ctx.params.sessionId);
		return { status: 204 };
	});
	add('GET', '/_emulator/clock', 'Clock speed and emulated time.', () => ok({ speed: emu.clock.speed, now: new Date(emu.clock.now()).toISOString() }));
	add('PUT', '/_emulator/clock', 'Set the clock speed: {"speed": 10}.', (ctx) => {
		try {
			emu.clock.setSpeed(Number(jsonBody(ctx).speed));
		} catch (err) {
			throw badRequest((err as Error).message);
		}
		return ok({ speed: emu.clock.speed });
	});
	add('GET', '/_emulator/timings', 'Emulated durations in ms.', () => ok(emu.engine.timings));
	add('PATCH', '/_emulator/timings', 'Change some durations: {"keepAliveTimeoutMs": 2000}.', (ctx) => {
		const b = jsonBody(ctx);
		for (const [k, v] of Object.entries(b)) {
			if (!(k in emu.engine.timings)) throw badRequest(`Unknown timing "${k}": use ${Object.keys(emu.engine.timings).join(', ')}.`);
			if (typeof v !== 'number' || v < 0) throw badRequest(`${k} must be a number of milliseconds >= 0.`);
		}
		Object.assign(emu.engine.timings, b);
		return ok(emu.engine.timings);
	});
	add('GET', '/_emulator/notifications', 'The last delivery attempts of webhooks (without tokens).', () => ok({ value: emu.webhooks.history.slice(-200) }));
	add('GET', '/_emulator/recordings/{operationId}', 'The audio a recordResponse produced (Authorization: Bearer recordingAccessToken).', (ctx) => {
		const expected = emu.engine.recordings.get(ctx.params.operationId);
		if (!expected) throw new GraphHttpError(404, 'itemNotFound', `No recording for operation ${ctx.params.operationId}: it may have been reset.`);
		if (ctx.req.headers.authorization !== `Bearer ${expected}`) throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Send the operation\'s recordingAccessToken as Authorization: Bearer <token>.');
		return { status: 200, raw: { contentType: 'audio/wav', data: silentWav() } };
	});
	addPeopleRoutes(emu, add);
	return r;
}

function checkRoles(value: unknown): Permission[] {
	if (!Array.isArray(value) || value.some((v) => !ALL_PERMISSIONS.includes(v as Permission))) {
		throw badRequest(`roles must be an array of ${ALL_PERMISSIONS.join(', ')}.`);
	}
	return [...new Set(value as Permission[])];
}
