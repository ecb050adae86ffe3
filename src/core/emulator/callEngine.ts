import type { Clock } from './clock';
import { AudioRoutingGroups } from './audioRoutingGroups';
import { CallLifecycle } from './callLifecycle';
import type { CallRecord, EmulatorTimings, EndedCall, NotificationSink } from './callModel';
import { CallNotifier } from './callNotifications';
import { CallOperations } from './callOperations';
import { CallTable } from './callTable';
import { ContentSharing } from './contentSharing';
import type { Directory } from './directory';
import { MediaOperations } from './mediaOperations';
import { ParticipantActions } from './participantActions';
import { Invitations } from './invitations';
import { Lobby } from './lobby';
import { PeopleWorld } from './people';
import { RingingPeople } from './ringing';
import { Roster } from './roster';

export { DEFAULT_TIMINGS, type CallKind, type CallRecord, type CallState, type CreatePermissionNeed, type EmulatorTimings, type EndedCall, type NotificationSink } from './callModel';

/**
 * The stateful heart of the emulator: calls, their participants and operations, and the simulated people on the
 * other side. It knows nothing about HTTP beyond throwing GraphHttpError; notifications go to the sink.
 * Each concern lives in its own part; they share one CallTable (the calls, timers, configuration and counters).
 */
export class CallEngine {
	private readonly table: CallTable;
	/** Create, answer, reject, redirect, transfer, keepAlive, delete; the other side hanging up or holding. */
	readonly lifecycle: CallLifecycle;
	/** The bot's actions on participants; people joining and leaving. */
	readonly participants: ParticipantActions;
	/** Prompts, recordings, tones, mute and the other call-level media actions; keys pressed by participants. */
	readonly media: MediaOperations;
	readonly operations: CallOperations;
	readonly audioRoutingGroups: AudioRoutingGroups;
	readonly contentSharing: ContentSharing;
	/** Rings of `manual` people that wait for them to answer or decline. */
	readonly ringing = new RingingPeople();
	readonly lobby: Lobby;
	/** Invitations into group calls, meetings and recorded calls. */
	readonly invitations: Invitations;
	/** The people's side: what each person sees and does (softphone panels and scenario steps). */
	readonly people: PeopleWorld;

	constructor(clock: Clock, timings: EmulatorTimings, directory: Directory, notify: NotificationSink, resourceBase: () => string) {
		let people: PeopleWorld | undefined;
		this.table = new CallTable(clock, timings, directory, new CallNotifier((call, notifications) => {
			people?.observe(call, notifications);
			notify(call, notifications);
		}));
		const roster = new Roster(this.table, this.ringing);
		this.operations = new CallOperations(this.table);
		this.lobby = new Lobby(this.table, roster);
		this.invitations = new Invitations(this.table, roster, this.lobby);
		this.lifecycle = new CallLifecycle(this.table, roster, this.lobby);
		this.participants = new ParticipantActions(this.table, roster, this.operations, this.lobby);
		this.media = new MediaOperations(this.table, this.operations, resourceBase);
		this.audioRoutingGroups = new AudioRoutingGroups(this.table);
		this.contentSharing = new ContentSharing(this.table);
		this.people = people = new PeopleWorld(this.table, roster, this.lobby, this.lifecycle, this.participants);
	}

	get timings(): EmulatorTimings {
		return this.table.timings;
	}

	set timings(value: EmulatorTimings) {
		this.table.timings = value;
	}

	get directory(): Directory {
		return this.table.directory;
	}

	set directory(value: Directory) {
		this.table.directory = value;
	}

	/** Counts of every action the engine performed (for the state dump and benchmarks). */
	get actions(): number {
		return this.table.actions;
	}

	/** recordOperation id -> recordingAccessToken, so the recording download can check it. */
	get recordings(): ReadonlyMap<string, string> {
		return this.media.recordings;
	}

	list(): CallRecord[] {
		return this.table.list();
	}

	endedCalls(): EndedCall[] {
		return this.table.endedCalls();
	}

	/** The call, if the app owns it; 404 in Graph's words otherwise (also for calls that ended). */
	get(callId: string, appId?: string): CallRecord {
		return this.table.get(callId, appId);
	}

	reset(): void {
		this.table.reset();
		this.media.reset();
		this.ringing.clear();
	}

	dispose(): void {
		this.reset();
	}
}
