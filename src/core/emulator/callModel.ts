import type {
	AudioRoutingGroup, Call, ChatInfo, CommsOperation, CommunicationsIdentitySet, ContentSharingSession, Identity, IncomingContext,
	InvitationParticipantInfo, MediaConfig, MediaStream, MeetingInfo, Participant, ParticipantInfo, RecordingInfo, ScreenSharingRole, ToneInfo,
} from '@microsoft/microsoft-graph-types';
import type { CommsNotification, ResultInfo } from '../schema/types';
import type { IDisposable } from '../lifecycle';
import type { DirectoryMeeting } from './directory';

/** The package's CallState has no 'ringing', which the service reports for an outgoing call while the callee rings. */
export type CallState = 'incoming' | 'establishing' | 'ringing' | 'established' | 'hold' | 'transferring' | 'transferAccepted' | 'redirecting' | 'terminating' | 'terminated';
export type CallKind = 'peerToPeer' | 'phone' | 'group' | 'meeting' | 'incoming';

/** Emulated durations (ms). Tests shrink them; `Clock.speed` scales them all at once. */
export interface EmulatorTimings {
	/** establishing -> established once the other side is there (meeting join, answer). */
	establishMs: number;
	/** Ring time for callees without their own `answerAfterMs`. */
	defaultAnswerAfterMs: number;
	/** How long a `neverAnswers` callee rings before the call fails. */
	ringTimeoutMs: number;
	/** How long the bot has to answer, reject or redirect an incoming call (the service allows 15 s). */
	answerWindowMs: number;
	/** A call without keepAlive for this long ends with 408/8537 (the service allows 45 min). */
	keepAliveTimeoutMs: number;
	/** How long a playPrompt prompt, a recordResponse or hold music takes. */
	operationMs: number;
	/** transferring -> transferAccepted -> terminated. */
	transferMs: number;
	/** terminating -> terminated. */
	terminateMs: number;
	/** How long a policy-based recording bot has to answer its invitation (call-answer.md: 5 s). */
	policyRecordingAnswerWindowMs: number;
}

export const DEFAULT_TIMINGS: EmulatorTimings = {
	establishMs: 200,
	defaultAnswerAfterMs: 1000,
	ringTimeoutMs: 30_000,
	answerWindowMs: 15_000,
	keepAliveTimeoutMs: 45 * 60_000,
	operationMs: 1000,
	transferMs: 500,
	terminateMs: 100,
	policyRecordingAnswerWindowMs: 5_000,
};

/** A JSON request body as the client sent it: nothing in it is trusted until a check has looked at it. */
export type RequestBody = Record<string, unknown>;

/** Graph's JSON names the type of every resource and complex value; the package's interfaces leave it out. */
export interface Typed {
	'@odata.type': string;
}

export type TypedResultInfo = ResultInfo & Typed;
/** A value the emulator builds carries its type; one echoed from a request carries it if the client sent it. */
export type MaybeTyped<T> = T & Partial<Typed>;

/** The package's Identity has no tenantId, which Graph puts on user identities in calls. */
export type EmulatedIdentity = Identity & { tenantId?: string };
export type EmulatedIdentitySet = Omit<CommunicationsIdentitySet, 'user'> & Partial<Typed> & { user?: EmulatedIdentity | null };
export type EmulatedParticipantInfo = Omit<ParticipantInfo, 'identity'> & Typed & { identity: EmulatedIdentitySet };

type CallFieldsRetyped = 'state' | 'callbackUri' | 'myParticipantId' | 'tenantId' | 'resultInfo' | 'toneInfo' | 'source' | 'targets' | 'incomingContext' | 'chatInfo' | 'meetingInfo' | 'mediaConfig';

/** The call resource; values the client sent (targets, meetingInfo, mediaConfig...) are echoed as sent. */
export type EmulatedCall = Omit<Call, CallFieldsRetyped> & Typed & {
	id: string;
	state: CallState;
	callbackUri: string;
	myParticipantId: string;
	tenantId: string;
	/** Echoed as the client sent it on create; built by the emulator for incoming calls. */
	source?: EmulatedParticipantInfo;
	targets?: (MaybeTyped<Omit<InvitationParticipantInfo, 'identity'>> & { identity?: EmulatedIdentitySet | null; endpointType?: string | null; id?: string | null; region?: string | null; languageId?: string | null })[];
	incomingContext?: MaybeTyped<IncomingContext>;
	chatInfo?: MaybeTyped<ChatInfo>;
	meetingInfo?: MaybeTyped<MeetingInfo>;
	mediaConfig?: MaybeTyped<MediaConfig>;
	/** Set when the call ends, and for the one notification of a failed transfer. */
	resultInfo?: ResultInfo & Partial<Typed>;
	toneInfo?: ToneInfo & Typed;
	/** Named on the end of a consultative transfer (call-transfer.md, examples 2 and 4; not in the package's v1.0 Call). */
	terminationReason?: string;
};

export type EmulatedMediaStream = MediaStream & Typed;

export type EmulatedParticipant = Omit<Participant, 'info' | 'mediaStreams' | 'recordingInfo'> & Typed & {
	id: string;
	info: EmulatedParticipantInfo;
	isMuted: boolean;
	isInLobby: boolean;
	mediaStreams: EmulatedMediaStream[];
	recordingInfo?: RecordingInfo & Typed;
	/** Set by start/stopHoldMusic: the emulator's own note, never shown (participantBody leaves it out). */
	isOnHold?: boolean;
};

/** The package spells OperationStatus with capitals; Graph's JSON uses these. */
export type OperationState = 'notStarted' | 'running' | 'completed' | 'failed';

export type EmulatedOperation = Omit<CommsOperation, 'status' | 'resultInfo' | 'clientContext'> & Typed & {
	id: string;
	status: OperationState;
	/** Echoed as the client sent it. */
	clientContext: unknown;
	resultInfo: TypedResultInfo | null;
	completionReason?: string;
	/** recordOperation: null until the recording exists (call-record.md shows null in the response). */
	recordingLocation?: string | null;
	recordingAccessToken?: string;
	/** inviteParticipantsOperation: the invitations as sent. */
	participants?: unknown[];
	/** recordOperation's stop keys: emulator bookkeeping, never shown (see publicOperation). */
	stopTones?: string[];
};

export type EmulatedAudioRoutingGroup = AudioRoutingGroup & Typed & { id: string };
export type EmulatedContentSharingSession = ContentSharingSession & Typed & { id: string };

export interface CallRecord {
	id: string;
	appId: string;
	tenantId: string;
	kind: CallKind;
	resource: EmulatedCall;
	participants: Map<string, EmulatedParticipant>;
	operations: Map<string, EmulatedOperation>;
	audioRoutingGroups: Map<string, EmulatedAudioRoutingGroup>;
	contentSharingSessions: Map<string, EmulatedContentSharingSession>;
	timers: Set<IDisposable>;
	keepAlive?: IDisposable;
	subscribedToTone: boolean;
	toneSequence: number;
	botParticipantId: string;
	meeting?: DirectoryMeeting;
	/** The remote party of a 1:1 call (its participant id). */
	peerParticipantId?: string;
	/** playPrompt and recordResponse run one at a time in the order sent; the first is the one playing. */
	mediaQueue: QueuedMedia[];
	/** An invitation into a group call, meeting or recorded call: who joins the roster when the bot answers. */
	establishOnAnswer?: () => void;
	/** The answer's participantCapacity (policy-based recording). */
	participantCapacity?: number;
	/** The transferTarget of a transfer in progress, as sent. */
	transferTarget?: unknown;
	/**
	 * The role changeScreenSharingRole set. Kept beside the call, not in it: call.md (v1.0) has no screenSharingRole
	 * property, so Graph never shows the role in the call resource.
	 */
	screenSharingRole?: ScreenSharingRole;
	/** callOptions.isContentSharingNotificationEnabled on create or answer: content sharing sessions are notified. */
	contentSharingNotifications: boolean;
	/** While the bot waits in a meeting's lobby: the users it will see once admitted. */
	lobbyPending?: string[];
}

/** A media operation waiting for (or holding) the call's media: how long it takes and what ends it. */
export interface QueuedMedia {
	op: EmulatedOperation;
	ms: number;
	done: () => void;
	/** playPrompt: the prompts' mediaInfo.uri, so a person's view can show what they hear. */
	uris?: string[];
}

export interface EndedCall {
	id: string;
	appId: string;
	endedAt: string;
	resultInfo: ResultInfo;
}

/** Sends notifications on behalf of the engine (the webhook dispatcher, in practice). */
export type NotificationSink = (call: CallRecord, notifications: CommsNotification[]) => void;

/** Why a call-level action needs a permission beyond the endpoint table (create depends on the kind of call). */
export interface CreatePermissionNeed {
	kind: CallKind;
	anyOf: string[];
}

/** A deep copy, so what a notification or a response carries never changes afterwards. */
export function snapshot<T>(value: T): T {
	return JSON.parse(JSON.stringify(value));
}

/** The operation as Graph shows it (without the emulator's bookkeeping). */
export function publicOperation(op: EmulatedOperation): Omit<EmulatedOperation, 'stopTones'> {
	const { stopTones: _stopTones, ...rest } = op;
	return snapshot(rest);
}

/** A call between the bot and one other person (outgoing to a user or phone, or answered), not a group call or meeting. */
export function isPeerToPeer(call: Pick<CallRecord, 'kind'>): boolean {
	return call.kind === 'peerToPeer' || call.kind === 'phone' || call.kind === 'incoming';
}
