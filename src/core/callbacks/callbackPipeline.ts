import { createHash } from 'node:crypto';
import type { TenantProfile } from '../auth/tenantProfile';
import { Emitter, type Event } from '../event';
import type { CommsNotification } from '../schema/types';
import { Disposable } from '../lifecycle';
import { CallbackReceiver, type AuthDecision, type CallbackReceiverOptions } from './callbackReceiver';
import { CallbackTokenValidator } from './callbackTokenValidator';
import { NotificationHistory } from './notificationHistory';
import type { DeliveryOutcome, NotificationRecord } from './notificationRecord';
import { NotificationRelay } from './notificationRelay';
import { GRAPH_CALLBACK_OPENID_CONFIGURATION, OpenIdKeySource } from './openIdKeySource';

export type CallbackProfile = Pick<TenantProfile, 'name' | 'clientId' | 'tenantId' | 'emulator'>;

/** Whom notifications are validated for, read at each request so profile switches apply at once. */
export interface CallbackSecurity {
	/** Undefined: nothing to validate against, every notification is rejected with that reason. */
	readonly profile: CallbackProfile | undefined;
	/** Accept invalid tokens (still marked invalid with the reason). For debugging only. */
	readonly relaxed: boolean;
}

/** Where accepted notifications go: the CallStore (src/core/calls/callStore.ts) has this method. */
export interface NotificationSink {
	applyNotification(n: CommsNotification): void;
}

export interface CallbackPipelineOptions {
	security(): CallbackSecurity;
	/** Read for each accepted notification, so the store can be created later than the pipeline. */
	sink?(): NotificationSink | undefined;
	relayTarget?: string;
	relayTimeoutMs?: number;
	historyLimit?: number;
	/** Receiver tuning (port, limits); authentication and processing are the pipeline's. */
	receiver?: Omit<CallbackReceiverOptions, 'authenticate' | 'process'>;
	/** How often an unknown key id may trigger a key refetch. Default 60 s. */
	keyRefreshCooldownMs?: number;
}

/** The emulator publishes its OpenID configuration at <emulator base>/v1/...; real Graph at api.aps.skype.com. */
export function openIdConfigurationUrlFor(profile: CallbackProfile): string {
	return profile.emulator ? `${profile.emulator.graphHost.replace(/\/+$/, '')}/v1/.well-known/OpenIdConfiguration` : GRAPH_CALLBACK_OPENID_CONFIGURATION;
}

export type PipelineState = { readonly running: boolean; readonly url?: string };

/**
 * The callback receiver with everything around it: token validation against the active profile, the history
 * the view shows, feeding the CallStore, relay to the developer's bot, and replay.
 */
export class CallbackPipeline extends Disposable {
	readonly history: NotificationHistory;
	readonly relay: NotificationRelay;
	private current: CallbackReceiver | undefined;
	private readonly validators = new Map<string, CallbackTokenValidator>();
	private readonly _onDidChangeState = this._register(new Emitter<PipelineState>());
	readonly onDidChangeState: Event<PipelineState> = this._onDidChangeState.event;
	private readonly _onDidRecord = this._register(new Emitter<NotificationRecord>());
	/** Every notification recorded, valid or not. */
	readonly onDidRecord: Event<NotificationRecord> = this._onDidRecord.event;
	private readonly _onDidFail = this._register(new Emitter<{ record: NotificationRecord; error: unknown }>());
	/** The CallStore threw on a notification; the record stays in the history. */
	readonly onDidFailToApply: Event<{ record: NotificationRecord; error: unknown }> = this._onDidFail.event;

	constructor(private readonly options: CallbackPipelineOptions) {
		super();
		this.history = this._register(new NotificationHistory(options.historyLimit));
		this.relay = this._register(new NotificationRelay({ target: options.relayTarget, timeoutMs: options.relayTimeoutMs }));
		this._register(this.relay.onDidDeliver(({ record }) => this.history.updated(record)));
	}

	get receiver(): CallbackReceiver | undefined {
		return this.current;
	}

	get isRunning(): boolean {
		return !!this.current?.isRunning;
	}

	/** The receiver's local URL while it runs. */
	get url(): string | undefined {
		return this.current?.url;
	}

	/** Starts the receiver (no-op when running); `port` overrides the configured one. Returns its URL. */
	async start(overrides: Omit<CallbackReceiverOptions, 'authenticate' | 'process'> = {}): Promise<string> {
		if (this.current?.isRunning) return this.current.url!;
		const receiver = new CallbackReceiver({
			...this.options.receiver,
			...overrides,
			authenticate: (authorization) => this.authenticate(authorization),
			process: (record) => this.process(record),
		});
		receiver.onDidRecord((record) => {
			this.history.add(record);
			this._onDidRecord.fire(record);
		});
		receiver.onProcessError((e) => this._onDidFail.fire(e));
		try {
			const url = await receiver.start();
			this.current = receiver;
			this._onDidChangeState.fire({ running: true, url });
			return url;
		} catch (err) {
			receiver.dispose();
			throw err;
		}
	}

	async stop(): Promise<void> {
		const receiver = this.current;
		if (!receiver) return;
		this.current = undefined;
		await receiver.stop();
		receiver.dispose();
		this._onDidChangeState.fire({ running: false });
	}

	/** Sends a recorded notification (or an edited body) to the relay target again. */
	replay(record: NotificationRecord, body?: string): Promise<DeliveryOutcome> {
		return this.relay.replay(record, body);
	}

	private validatorFor(profile: CallbackProfile): CallbackTokenValidator {
		const url = openIdConfigurationUrlFor(profile);
		const ca = profile.emulator?.caCertPem;
		const key = `${url}|${ca ? this.caKey(ca) : ''}`;
		let v = this.validators.get(key);
		if (!v) {
			const keys = this._register(new OpenIdKeySource({ openIdConfigurationUrl: url, caCertPem: ca, refreshCooldownMs: this.options.keyRefreshCooldownMs }));
			v = new CallbackTokenValidator(keys);
			this.validators.set(key, v);
		}
		return v;
	}

	// Hashing the CA PEM on every request showed up in the burst profile: remember the last one.
	private lastCa: { pem: string; hash: string } | undefined;
	private caKey(pem: string): string {
		if (this.lastCa?.pem !== pem) this.lastCa = { pem, hash: createHash('sha256').update(pem).digest('hex') };
		return this.lastCa.hash;
	}

	private async authenticate(authorization: string | undefined): Promise<AuthDecision> {
		const { profile, relaxed } = this.options.security();
		if (!profile) {
			const reason = 'No active profile, so there is no client id to check the token\'s audience against. Choose a profile and ask Graph to send it again.';
			return relaxed ? { accept: true, valid: false, relaxed: true, reason } : { accept: false, valid: false, status: 403, reason };
		}
		const check = await this.validatorFor(profile).validate(authorization, { profileName: profile.name, clientId: profile.clientId, tenantId: profile.tenantId });
		if (check.valid) return { accept: true, valid: true, profileName: profile.name, claims: check.claims };
		if (relaxed) return { accept: true, valid: false, relaxed: true, reason: check.reason, profileName: profile.name, claims: check.claims };
		return { accept: false, valid: false, status: check.status, reason: check.reason, profileName: profile.name, claims: check.claims };
	}

	private process(record: NotificationRecord): void {
		this.relay.enqueue(record);
		const sink = this.options.sink?.();
		if (!sink) return;
		let failure: unknown;
		for (const n of record.notifications) {
			try {
				sink.applyNotification(n);
			} catch (err) {
				failure ??= err; // one bad item must not keep the others from the store
			}
		}
		if (failure !== undefined) throw failure;
	}
}
