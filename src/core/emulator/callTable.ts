import type { ResultInfo } from '../schema/types';
import type { IDisposable } from '../lifecycle';
import type { Clock } from './clock';
import type { CallKind, CallRecord, CallState, EmulatedCall, EmulatorTimings, EndedCall } from './callModel';
import type { CallNotifier } from './callNotifications';
import type { Directory } from './directory';
import { GraphHttpError } from './http';
import { RESULT } from './resultCodes';

/**
 * The live and ended calls and what every part of the engine shares: the configuration (timings, directory),
 * the action counter, the per-call timers, state changes and the end of a call. Timers belong to a call and
 * die with it, so nothing fires for a call that has ended or been replaced by a reset.
 */
export class CallTable {
	private readonly calls = new Map<string, CallRecord>();
	private readonly ended = new Map<string, EndedCall>();
	private readonly named = new WeakMap<IDisposable, string>();
	/** Counts of every action the engine performed (for the state dump and benchmarks). */
	actions = 0;

	constructor(
		private readonly clock: Clock,
		public timings: EmulatorTimings,
		public directory: Directory,
		readonly notify: CallNotifier,
	) {}

	/** Emulated time (ms since the epoch). */
	now(): number {
		return this.clock.now();
	}

	list(): CallRecord[] {
		return [...this.calls.values()];
	}

	endedCalls(): EndedCall[] {
		return [...this.ended.values()];
	}

	/** The call, if the app owns it; 404 in Graph's words otherwise (also for calls that ended). */
	get(callId: string, appId?: string): CallRecord {
		const call = this.calls.get(callId.toLowerCase());
		if (call && (!appId || call.appId === appId)) return call;
		const ended = this.ended.get(callId.toLowerCase());
		if (ended && (!appId || ended.appId === appId)) {
			throw new GraphHttpError(404, 'itemNotFound', `Call ${callId} ended at ${ended.endedAt} (${ended.resultInfo.code}/${ended.resultInfo.subcode}: ${ended.resultInfo.message}). Create a new call.`);
		}
		throw new GraphHttpError(404, 'itemNotFound', `Call ${callId} was not found. Graph has no "list calls": use the id from the create response or from a notification.`);
	}

	/** The live call with this id, whoever owns it. */
	find(callId: string): CallRecord | undefined {
		return this.calls.get(callId.toLowerCase());
	}

	/** True while this very record is the live call under its id. */
	isLive(call: CallRecord): boolean {
		return this.calls.get(call.id) === call;
	}

	add(call: CallRecord): void {
		this.calls.set(call.id, call);
	}

	reset(): void {
		for (const call of this.calls.values()) this.clearTimers(call);
		this.calls.clear();
		this.ended.clear();
		this.actions = 0;
	}

	// ---- timers ------------------------------------------------------------------------------------------

	/** Runs `fn` after `ms` emulated milliseconds if the call is still live; `name` lets it be cancelled. */
	after(call: CallRecord, ms: number, fn: () => void, name?: string): void {
		const t = this.clock.setTimeout(() => {
			call.timers.delete(t);
			if (this.calls.get(call.id) !== call) return;
			fn();
		}, ms);
		if (name) this.named.set(t, name);
		call.timers.add(t);
	}

	cancelTimer(call: CallRecord, name: string): void {
		for (const t of call.timers) {
			if (this.named.get(t) === name) {
				t.dispose();
				call.timers.delete(t);
			}
		}
	}

	private clearTimers(call: CallRecord): void {
		for (const t of call.timers) t.dispose();
		call.timers.clear();
		call.keepAlive?.dispose();
		call.keepAlive = undefined;
	}

	/** (Re)starts the window in which the bot must send keepAlive. */
	startKeepAlive(call: CallRecord): void {
		call.keepAlive?.dispose();
		call.keepAlive = this.clock.setTimeout(() => {
			if (this.calls.get(call.id) === call) this.terminate(call, RESULT.keepAliveTimeout, true);
		}, this.timings.keepAliveTimeoutMs);
	}

	// ---- state -------------------------------------------------------------------------------------------

	requireState(call: CallRecord, states: CallState[], action: string): void {
		const state = call.resource.state;
		if (states.includes(state)) return;
		if (state === 'terminating' || state === 'terminated') throw gone(call);
		throw new GraphHttpError(400, 'BadRequest', `Cannot ${action} a call that is ${state}: it must be ${states.join(' or ')}.${state === 'establishing' ? ' Wait for the "established" notification.' : ''}`);
	}

	setState(call: CallRecord, state: CallState): void {
		call.resource.state = state;
		// An outgoing call's media starts when it is established (its create response shows mediaState null).
		if (state === 'established' && !call.resource.mediaState) call.resource.mediaState = { audio: 'active' };
		this.notify.call(call, 'updated');
	}

	/** Ends a call: terminating, then terminated with resultInfo, then it is gone (404). */
	terminate(call: CallRecord, resultInfo: ResultInfo, immediate = false): void {
		if (this.calls.get(call.id) !== call) return;
		this.clearTimers(call);
		for (const op of call.operations.values()) {
			if (op.status === 'running' || op.status === 'notStarted') {
				op.status = 'failed';
				op.resultInfo = { '@odata.type': '#microsoft.graph.resultInfo', ...RESULT.callEnded };
			}
		}
		const finish = () => {
			if (this.calls.get(call.id) !== call) return;
			call.resource.state = 'terminated';
			call.resource.resultInfo = { '@odata.type': '#microsoft.graph.resultInfo', ...resultInfo };
			this.calls.delete(call.id);
			this.ended.set(call.id, { id: call.id, appId: call.appId, endedAt: new Date().toISOString(), resultInfo });
			if (this.ended.size > 10_000) this.ended.delete(this.ended.keys().next().value!);
			this.notify.call(call, 'deleted');
		};
		if (immediate || this.timings.terminateMs <= 0) {
			finish();
		} else {
			this.setState(call, 'terminating');
			const t = this.clock.setTimeout(finish, this.timings.terminateMs);
			call.timers.add(t);
		}
	}
}

/** A fresh record with empty collections; the caller adds it to the table when it is valid. */
export function newCallRecord(id: string, appId: string, tenantId: string, kind: CallKind, resource: EmulatedCall, botParticipantId: string): CallRecord {
	return {
		id, appId, tenantId, kind, resource,
		participants: new Map(), operations: new Map(), audioRoutingGroups: new Map(), contentSharingSessions: new Map(),
		timers: new Set(), mediaQueue: [], subscribedToTone: false, toneSequence: 0, botParticipantId, contentSharingNotifications: false,
	};
}

/** 404 for a call that is ending: Graph accepts no more actions on it. */
export function gone(call: CallRecord): GraphHttpError {
	return new GraphHttpError(404, 'itemNotFound', `Call ${call.id} is ending (${call.resource.state}): it no longer accepts actions. Create a new call.`);
}
