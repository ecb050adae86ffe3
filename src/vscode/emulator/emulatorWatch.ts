import type { Agent } from 'undici';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import type { CallResource, ParticipantResource } from '../../core/schema/types';
import { undici } from '../../core/lazyUndici';
import type { HarEntry } from '../../core/traffic/har';
import { EmulatorFeedClient, type FeedEvent } from '../../core/traffic/emulatorFeedClient';
import type { ActiveProfileSource, LiveCalls } from '../calls/liveCalls';

/** HAR entries of the live traffic kept for lint and the traffic document (the emulator keeps the same number). */
export const WATCHED_ENTRIES = 5000;

export interface EmulatorWatchOptions {
	readonly profiles: ActiveProfileSource;
	readonly calls: Pick<LiveCalls, 'store' | 'keepAlive' | 'setOtherApps'>;
	readonly log: { info(m: string): void; warn(m: string): void };
}

/**
 * While a profile that points at the emulator is active, reads the emulator's live feed (GET /_emulator/events)
 * and puts every emulator call into the CallStore, the calls of other apps (the developer's bot) included and
 * named by their app; it also keeps the traffic (HAR entries) for lint. The feed reconnects by itself when the
 * emulator restarts; the watch stops when the profile changes or the extension deactivates.
 */
export class EmulatorWatch extends Disposable {
	private client: EmulatorFeedClient | undefined;
	private agent: Agent | undefined;
	private profile: TenantProfile | undefined;
	private instance: string | undefined;
	/** Call id (lower case) -> the other app's name. */
	private readonly otherApps = new Map<string, string>();
	private entries: HarEntry[] = [];
	private readonly _onDidChangeTraffic = this._register(new Emitter<void>());
	readonly onDidChangeTraffic: Event<void> = this._onDidChangeTraffic.event;
	private readonly _onDidAppend = this._register(new Emitter<HarEntry>());
	/** Each traffic entry as it arrives. */
	readonly onDidAppend: Event<HarEntry> = this._onDidAppend.event;

	constructor(private readonly options: EmulatorWatchOptions) {
		super();
		options.calls.setOtherApps((callId) => this.otherApps.get(callId.toLowerCase()));
		this._register(options.profiles.onDidChangeActive((p) => this.follow(p)));
		this._register(toDisposable(() => this.stop()));
		this.follow(options.profiles.active);
	}

	/** The traffic seen so far (the latest WATCHED_ENTRIES entries), redacted by the emulator. */
	get traffic(): readonly HarEntry[] {
		return this.entries;
	}

	get watching(): boolean {
		return this.client !== undefined;
	}

	private follow(p: TenantProfile | undefined): void {
		const same = p?.emulator && this.profile?.emulator && p.id === this.profile.id && p.emulator.controlUrl === this.profile.emulator.controlUrl && p.emulator.caCertPem === this.profile.emulator.caCertPem;
		if (same) return;
		this.stop();
		this.profile = p;
		const endpoints = p?.emulator;
		if (!p || !endpoints?.controlUrl) return;
		const { Agent: UndiciAgent, request } = undici();
		const agent = new UndiciAgent({ connect: { ca: endpoints.caCertPem }, bodyTimeout: 0 });
		this.agent = agent;
		const client = new EmulatorFeedClient({
			controlUrl: endpoints.controlUrl,
			request: (url, init) => request(url, { method: 'GET', headers: init.headers, signal: init.signal, dispatcher: agent }),
		});
		this.client = client;
		client.onDidConnect((h) => {
			if (h.instance !== this.instance) {
				// Another emulator (a restart): its traffic starts again, and the other apps' calls of the old one are
				// gone (the profile's own calls learn that from their next poll; these are not polled).
				if (this.instance !== undefined) this.endOtherAppsCalls();
				this.instance = h.instance;
				this.entries = [];
				this._onDidChangeTraffic.fire();
			}
			this.options.log.info(`Watching the emulator's live feed (${h.last} events so far).`);
		});
		client.onDidReceive((e) => this.receive(p, e));
		client.start();
	}

	private receive(p: TenantProfile, e: FeedEvent): void {
		if (e.type !== 'call') {
			this.entries.push(e.entry);
			if (this.entries.length > WATCHED_ENTRIES) this.entries.splice(0, this.entries.length - WATCHED_ENTRIES);
			this._onDidAppend.fire(e.entry);
			this._onDidChangeTraffic.fire();
			return;
		}
		const { store, keepAlive } = this.options.calls;
		const other = e.appId.toLowerCase() !== p.clientId.toLowerCase();
		const isNew = !store.get(e.callId);
		// Named before the store hears of the call, so its row is drawn with the app from the start.
		if (other) this.otherApps.set(e.callId.toLowerCase(), e.appName ?? e.appId);
		store.applyCall(e.call as CallResource, 'notification');
		store.applyParticipants(e.callId, e.participants as unknown as ParticipantResource[], 'notification');
		// Another app keeps its own calls alive; this profile's token would only get 404.
		if (other && isNew) keepAlive.setEnabled(e.callId, false);
	}

	private endOtherAppsCalls(): void {
		const { store } = this.options.calls;
		for (const callId of this.otherApps.keys()) {
			const entry = store.get(callId);
			if (entry && !entry.ended) store.applyEnded(callId, { code: 404, subcode: 0, message: 'The emulator restarted: this call no longer exists.' }, 'poll');
		}
	}

	private stop(): void {
		this.client?.dispose();
		this.client = undefined;
		void this.agent?.destroy().catch(() => undefined);
		this.agent = undefined;
		this.profile = undefined;
	}
}
