/**
 * The calls the extension knows for the active profile. Graph has no "list calls" endpoint, so this is the only
 * place call state lives: create/answer responses, polls, notifications and "track by id" all land here, and the
 * tree and status bar only listen to `onDidChange`.
 */
import { Disposable } from '../lifecycle';
import { Emitter, type Event } from '../event';
import type { CallResource, CommsNotification, OperationResource, ParticipantResource, ResultInfo } from '../schema/types';
import { systemClock, type Clock } from './clock';
import { idKey, isEndedState, isFinishedOperation, mergeCall, mergeOperation, parseResourceUrl } from './mergeRules';

/** How the call became known; shown in tooltips so a developer knows why a call is in the list. */
export type CallOrigin = 'created' | 'notification' | 'tracked' | 'restored';

/** Where an update came from: notifications reset the poller's quiet timer, polls and responses do not. */
export type UpdateSource = 'response' | 'poll' | 'notification';

export interface OperationEntry {
	readonly operation: OperationResource;
	/** Completed or failed, or announced as `deleted`. */
	readonly finished: boolean;
	readonly updatedAt: number;
}

export interface CallEntry {
	/** The id as first seen (its casing is kept; lookups ignore case and dashes). */
	readonly callId: string;
	/** The latest merged call resource; `{ id }` only until the first response or notification. */
	readonly call: CallResource;
	/** Current roster, in the order Graph sent it, keyed by `idKey(participantId)`. */
	readonly participants: ReadonlyMap<string, ParticipantResource>;
	/** Running and recent operations, keyed by `idKey(operationId)`, oldest first. */
	readonly operations: ReadonlyMap<string, OperationEntry>;
	readonly origin: CallOrigin;
	readonly firstSeenAt: number;
	readonly updatedAt: number;
	readonly lastNotificationAt?: number;
	/** When the call first reached an in-call state: the start of its duration. */
	readonly establishedAt?: number;
	readonly endedAt?: number;
	readonly ended: boolean;
	/** States in the order they were accepted, for the tooltip and the tests. */
	readonly stateHistory: readonly { readonly state: string; readonly at: number }[];
	/** Bumped on every roster change, so views can tell whether their cached pages are current. */
	readonly rosterVersion: number;
}

/** What changed. `callId` undefined means everything (the profile changed or the list was reloaded). */
export interface CallStoreChange {
	readonly callId: string | undefined;
	readonly kind: 'added' | 'updated' | 'removed' | 'reset';
	readonly call: boolean;
	readonly participants: boolean;
	readonly operations: boolean;
}

/** The subset of vscode.Memento the store persists to (workspaceState or globalState). */
export interface CallStoreStorage {
	get<T>(key: string): T | undefined;
	update(key: string, value: unknown): PromiseLike<void>;
}

interface MutableEntry {
	callId: string;
	call: CallResource;
	participants: Map<string, ParticipantResource>;
	operations: Map<string, OperationEntry>;
	origin: CallOrigin;
	firstSeenAt: number;
	updatedAt: number;
	lastNotificationAt?: number;
	establishedAt?: number;
	endedAt?: number;
	ended: boolean;
	stateHistory: { state: string; at: number }[];
	rosterVersion: number;
}

interface PersistedCall {
	callId: string;
	origin: CallOrigin;
	call: CallResource;
	firstSeenAt: number;
	updatedAt: number;
	establishedAt?: number;
	endedAt?: number;
}

interface PersistedState {
	v: 1;
	calls: PersistedCall[];
}

/** What views and pickers read: the calls, never a way to change them. */
export type CallStoreReader = Pick<CallStore, 'get' | 'list'>;

export interface CallStoreOptions {
	storage?: CallStoreStorage;
	clock?: Clock;
	/** Operations kept per call: the oldest finished ones are dropped beyond this. */
	maxOperationsPerCall?: number;
}

const STORAGE_PREFIX = 'graphCalls.calls.';
const IN_CALL_RANKED = new Set(['established', 'hold', 'transferring', 'transferaccepted', 'redirecting']);

export class CallStore extends Disposable {
	private readonly entries = new Map<string, MutableEntry>();
	private readonly _onDidChange = this._register(new Emitter<CallStoreChange>());
	readonly onDidChange: Event<CallStoreChange> = this._onDidChange.event;
	private readonly _onDidFailToSave = this._register(new Emitter<string>());
	/** A message saying the tracked calls could not be saved (they will be missing after a reload). */
	readonly onDidFailToSave: Event<string> = this._onDidFailToSave.event;

	private readonly storage?: CallStoreStorage;
	private readonly clock: Clock;
	private readonly maxOperations: number;
	private profileKey: string | undefined;
	private lastSave: Promise<void> = Promise.resolve();
	/** The queued (not yet started) write, if any. */
	private pendingSave: { key: string; state?: PersistedState } | undefined;

	constructor(options: CallStoreOptions = {}) {
		super();
		this.storage = options.storage;
		this.clock = options.clock ?? systemClock;
		this.maxOperations = options.maxOperationsPerCall ?? 50;
	}

	/** The profile whose calls are shown; switching saves nothing new and loads that profile's tracked calls. */
	get profile(): string | undefined {
		return this.profileKey;
	}

	setProfile(profileKey: string | undefined): void {
		if (profileKey === this.profileKey) return;
		// A write still queued for the old profile must save the old profile's calls, not the new one's.
		if (this.pendingSave) {
			this.pendingSave.state = this.snapshot();
			this.pendingSave = undefined;
		}
		this.profileKey = profileKey;
		this.entries.clear();
		if (profileKey && this.storage) {
			const saved = this.storage.get<PersistedState>(STORAGE_PREFIX + profileKey);
			for (const p of saved?.v === 1 ? saved.calls : []) {
				if (!p || typeof p.callId !== 'string') continue;
				this.entries.set(idKey(p.callId), {
					callId: p.callId,
					call: { ...p.call, id: p.callId },
					participants: new Map(),
					operations: new Map(),
					origin: p.origin === 'tracked' ? 'tracked' : 'restored',
					firstSeenAt: p.firstSeenAt,
					updatedAt: p.updatedAt,
					establishedAt: p.establishedAt,
					endedAt: p.endedAt,
					ended: isEndedState(p.call?.state),
					stateHistory: p.call?.state ? [{ state: p.call.state, at: p.updatedAt }] : [],
					rosterVersion: 0,
				});
			}
		}
		this._onDidChange.fire({ callId: undefined, kind: 'reset', call: true, participants: true, operations: true });
	}

	get(callId: string): CallEntry | undefined {
		return this.entries.get(idKey(callId));
	}

	/** Newest first: the call a developer just created is the one they look for. */
	list(): CallEntry[] {
		return [...this.entries.values()].sort((a, b) => b.firstSeenAt - a.firstSeenAt);
	}

	/** Calls not yet terminated. */
	get activeCount(): number {
		let n = 0;
		for (const e of this.entries.values()) if (!e.ended) n++;
		return n;
	}

	/** Adds a call by id ("Track existing call"); a poll or notification fills it in. Returns the entry. */
	track(callId: string): CallEntry {
		const id = callId.trim();
		if (!id) throw new Error('A call id is needed to track a call: copy it from the create response or a notification\'s resourceUrl.');
		const existing = this.entries.get(idKey(id));
		if (existing) return existing;
		const entry = this.create({ id }, 'tracked');
		this.changed(entry, 'added', true, false, false);
		return entry;
	}

	forget(callId: string): boolean {
		const key = idKey(callId);
		const entry = this.entries.get(key);
		if (!entry) return false;
		this.entries.delete(key);
		this.save();
		this._onDidChange.fire({ callId: entry.callId, kind: 'removed', call: true, participants: true, operations: true });
		return true;
	}

	/** Removes every terminated call; returns how many. */
	clearEnded(): number {
		const ended = [...this.entries.entries()].filter(([, e]) => e.ended);
		for (const [key] of ended) this.entries.delete(key);
		if (ended.length) this.save();
		for (const [, e] of ended) this._onDidChange.fire({ callId: e.callId, kind: 'removed', call: true, participants: true, operations: true });
		return ended.length;
	}

	/**
	 * Merges a call resource from a response, a poll or a notification. Returns false when it changed nothing
	 * (a duplicate, or a stale event that only repeated what we knew).
	 */
	applyCall(call: CallResource, source: UpdateSource = 'response'): boolean {
		if (!call || typeof call.id !== 'string' || !call.id) return false;
		let entry = this.entries.get(idKey(call.id));
		const added = !entry;
		entry ??= this.create({ id: call.id }, source === 'notification' ? 'notification' : 'created');
		if (source === 'notification') entry.lastNotificationAt = this.clock.now();
		const changed = this.mergeInto(entry, call);
		if (added || changed) this.changed(entry, added ? 'added' : 'updated', true, false, false);
		return added || changed;
	}

	/**
	 * Marks a call gone: a `deleted` notification for the call, or a 404 from a poll. Keeps the call visible,
	 * ended, with the resultInfo that explains why.
	 */
	applyEnded(callId: string, resultInfo?: ResultInfo, source: UpdateSource = 'notification'): boolean {
		const entry = this.entries.get(idKey(callId));
		const call: CallResource = { id: entry?.callId ?? callId, state: 'terminated' };
		if (resultInfo && !entry?.call.resultInfo) call.resultInfo = resultInfo;
		return this.applyCall(call, source);
	}

	/** Replaces the roster with the full list Graph sent (a roster notification or a participants list). */
	applyParticipants(callId: string, participants: readonly ParticipantResource[], source: UpdateSource = 'response'): boolean {
		const { entry, added } = this.ensure(callId, source);
		const next = new Map<string, ParticipantResource>();
		for (const p of participants) {
			if (p && typeof p.id === 'string' && p.id) next.set(idKey(p.id), p);
		}
		const changed = !sameRoster(entry.participants, next);
		if (changed) {
			entry.participants = next;
			entry.rosterVersion++;
			entry.updatedAt = this.clock.now();
		}
		if (added || changed) this.changed(entry, added ? 'added' : 'updated', added, true, false);
		return added || changed;
	}

	/** Adds or updates one participant (a single-participant notification or a GET). */
	applyParticipant(callId: string, participant: ParticipantResource, source: UpdateSource = 'response'): boolean {
		if (!participant || typeof participant.id !== 'string') return false;
		const { entry, added } = this.ensure(callId, source);
		const key = idKey(participant.id);
		const prev = entry.participants.get(key);
		const merged = prev ? { ...prev, ...participant, id: prev.id } : participant;
		const changed = !prev || JSON.stringify(prev) !== JSON.stringify(merged);
		if (changed) {
			entry.participants.set(key, merged);
			entry.rosterVersion++;
			entry.updatedAt = this.clock.now();
		}
		if (added || changed) this.changed(entry, added ? 'added' : 'updated', added, true, false);
		return added || changed;
	}

	removeParticipants(callId: string, participantIds: readonly string[], source: UpdateSource = 'response'): boolean {
		const { entry, added } = this.ensure(callId, source);
		let changed = false;
		for (const id of participantIds) changed = entry.participants.delete(idKey(id)) || changed;
		if (changed) {
			entry.rosterVersion++;
			entry.updatedAt = this.clock.now();
		}
		if (added || changed) this.changed(entry, added ? 'added' : 'updated', added, true, false);
		return added || changed;
	}

	/**
	 * Merges an operation (a response such as playPrompt's, a GET, or a notification). `finished` marks the
	 * `deleted` notification Graph sends when an operation is over, whatever status it carries.
	 */
	applyOperation(callId: string, op: OperationResource, source: UpdateSource = 'response', finished = false): boolean {
		if (!op || typeof op.id !== 'string' || !op.id) return false;
		const { entry, added } = this.ensure(callId, source);
		const key = idKey(op.id);
		const prev = entry.operations.get(key);
		const merged = mergeOperation(prev?.operation, op);
		const isFinished = finished || prev?.finished === true || isFinishedOperation(merged);
		const changed = !prev || prev.finished !== isFinished || JSON.stringify(prev.operation) !== JSON.stringify(merged);
		if (changed) {
			// Re-inserting keeps the map in update order, so trimming drops the oldest.
			entry.operations.delete(key);
			entry.operations.set(key, { operation: merged, finished: isFinished, updatedAt: this.clock.now() });
			this.trimOperations(entry);
			entry.updatedAt = this.clock.now();
		}
		if (added || changed) this.changed(entry, added ? 'added' : 'updated', added, false, true);
		return added || changed;
	}

	/**
	 * Applies one commsNotification. Returns false when it names no call (the receiver shows it anyway) or
	 * changed nothing (a duplicate).
	 */
	applyNotification(n: CommsNotification): boolean {
		const target = parseResourceUrl(n?.resourceUrl ?? n?.resource);
		if (!target) return false;
		const data = n.resourceData;
		const deleted = n.changeType === 'deleted';
		switch (target.kind) {
			case 'call': {
				const call = isObject(data) ? (data as CallResource) : undefined;
				if (deleted) return this.applyEnded(target.callId, call?.resultInfo ?? undefined, 'notification');
				// The resourceUrl names the call; the body's id (if any) is the same call in another casing.
				return this.applyCall({ ...(call ?? {}), id: target.callId }, 'notification');
			}
			case 'participants':
			case 'participant': {
				const list = Array.isArray(data) ? (data as ParticipantResource[]) : isObject(data) ? [data as ParticipantResource] : [];
				if (target.kind === 'participant' && list.length === 1 && !list[0].id) list[0] = { ...list[0], id: target.participantId };
				if (deleted) {
					const ids = list.map((p) => p?.id).filter((id): id is string => typeof id === 'string');
					if (target.kind === 'participant') ids.push(target.participantId);
					return this.removeParticipants(target.callId, ids, 'notification');
				}
				if (target.kind === 'participants' && Array.isArray(data)) return this.applyParticipants(target.callId, list, 'notification');
				let changed = false;
				for (const p of list) changed = this.applyParticipant(target.callId, p, 'notification') || changed;
				return changed;
			}
			case 'operation': {
				const op = { ...(isObject(data) ? (data as OperationResource) : {}), id: target.operationId } as OperationResource;
				return this.applyOperation(target.callId, op, 'notification', deleted);
			}
			default: {
				// Content sharing sessions, audio routing groups: the call is alive, nothing to show yet.
				const { entry, added } = this.ensure(target.callId, 'notification');
				if (added) this.changed(entry, 'added', true, false, false);
				return added;
			}
		}
	}

	/** Resolves when the last save reached storage: deactivate waits on it, so a closing window keeps the last change. */
	flush(): Promise<void> {
		return this.lastSave;
	}

	private ensure(callId: string, source: UpdateSource): { entry: MutableEntry; added: boolean } {
		let entry = this.entries.get(idKey(callId));
		const added = !entry;
		entry ??= this.create({ id: callId }, source === 'notification' ? 'notification' : 'created');
		if (source === 'notification') entry.lastNotificationAt = this.clock.now();
		return { entry, added };
	}

	private create(call: CallResource, origin: CallOrigin): MutableEntry {
		const now = this.clock.now();
		const entry: MutableEntry = {
			callId: call.id,
			call,
			participants: new Map(),
			operations: new Map(),
			origin,
			firstSeenAt: now,
			updatedAt: now,
			ended: false,
			stateHistory: [],
			rosterVersion: 0,
		};
		this.entries.set(idKey(call.id), entry);
		return entry;
	}

	/** Returns whether anything visible changed. */
	private mergeInto(entry: MutableEntry, next: CallResource): boolean {
		const before = JSON.stringify(entry.call);
		const prevState = entry.call.state;
		const { call, stale } = mergeCall(entry.call, next);
		entry.call = call;
		const now = this.clock.now();
		if (!stale && call.state && call.state !== prevState) {
			entry.stateHistory.push({ state: call.state, at: now });
			const lower = call.state.toLowerCase();
			if (entry.establishedAt === undefined && IN_CALL_RANKED.has(lower)) entry.establishedAt = now;
			if (isEndedState(call.state)) {
				entry.ended = true;
				entry.endedAt = now;
				// Operations cannot outlive their call.
				for (const [key, op] of entry.operations) if (!op.finished) entry.operations.set(key, { ...op, finished: true });
			}
		}
		const changed = JSON.stringify(entry.call) !== before;
		if (changed) entry.updatedAt = now;
		return changed;
	}

	private trimOperations(entry: MutableEntry): void {
		if (entry.operations.size <= this.maxOperations) return;
		for (const [key, op] of entry.operations) {
			if (entry.operations.size <= this.maxOperations) break;
			if (op.finished) entry.operations.delete(key);
		}
	}

	private changed(entry: MutableEntry, kind: 'added' | 'updated', call: boolean, participants: boolean, operations: boolean): void {
		if (call || kind === 'added') this.save();
		this._onDidChange.fire({ callId: entry.callId, kind, call, participants, operations });
	}

	/**
	 * Saves call-level state only (not rosters): enough to show and re-poll the calls after a reload. Writes are
	 * serialised and coalesced: while one is queued, further changes ride along with it (a burst of notifications
	 * costs one write, and the snapshot is taken when the write starts, so it is the latest).
	 */
	private save(): void {
		const storage = this.storage;
		const key = this.profileKey;
		if (!storage || !key) return;
		if (this.pendingSave?.key === key) return;
		const job: { key: string; state?: PersistedState } = { key };
		this.pendingSave = job;
		this.lastSave = this.lastSave
			.then(() => {
				if (this.pendingSave === job) this.pendingSave = undefined;
				return storage.update(STORAGE_PREFIX + key, job.state ?? this.snapshot());
			})
			.then(undefined, (err: unknown) => {
				this._onDidFailToSave.fire(`Could not save the tracked calls of profile "${key}" (${err instanceof Error ? err.message : String(err)}); they will be missing after a reload. Track them again by id if needed.`);
			});
	}

	private snapshot(): PersistedState {
		return {
			v: 1,
			calls: [...this.entries.values()].map((e) => ({
				callId: e.callId,
				origin: e.origin,
				call: e.call,
				firstSeenAt: e.firstSeenAt,
				updatedAt: e.updatedAt,
				establishedAt: e.establishedAt,
				endedAt: e.endedAt,
			})),
		};
	}
}

function isObject(v: unknown): v is object {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameRoster(a: ReadonlyMap<string, ParticipantResource>, b: ReadonlyMap<string, ParticipantResource>): boolean {
	if (a.size !== b.size) return false;
	const ak = [...a.keys()];
	const bk = [...b.keys()];
	for (let i = 0; i < ak.length; i++) {
		if (ak[i] !== bk[i]) return false;
		if (JSON.stringify(a.get(ak[i])) !== JSON.stringify(b.get(bk[i]))) return false;
	}
	return true;
}
