/**
 * What each Graph docs example needs before it can be sent to the emulator (a call in the right state, a second call
 * to consult, a step that makes the documented notification happen), and the explicit list of what cannot apply,
 * each with its reason. Examples not named here run with the defaults: an established peer-to-peer call.
 */
import type { EmulatorHandle } from '../../../src/core/emulator';
import { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_PHONES, EMULATOR_TENANT } from '../../../src/core/emulator';
import type { CommsNotification } from '../../../src/core/schema/types';
import type { GraphReply } from '../support/emulatorAuth';
import type { WebhookReceiver } from '../support/webhookReceiver';
import type { ShapeOptions } from './docsShape';

export type CallSetup = 'none' | 'incomingUser' | 'incomingPhone' | 'p2p' | 'group' | 'meeting' | 'meetingByOrganizer' | 'meetingAppHosted';

export interface ExampleContext {
	emu: EmulatorHandle;
	rx: WebhookReceiver;
	api: (method: string, path: string, body?: unknown) => Promise<GraphReply>;
	/** The emulator's control API (the world's side: keys, hang-ups). */
	control: (method: string, path: string, body?: unknown) => Promise<GraphReply>;
	callbackUrl: string;
	/** The call the example acts on (absent for create). */
	callId?: string;
	/** A participant of that call who is a person. */
	participantId?: string;
	/** A second call (consultative transfer, invite replacing a call). */
	extraCallId?: string;
	/** The id in the response body (the new call, the operation). */
	responseId?: string;
}

export interface ExamplePlan {
	setup: CallSetup;
	/** Why this example cannot apply to the emulator; the test lists it as skipped with this text. */
	skip?: string;
	/** A second call set up like this (its id replaces the docs' replacesCallId). */
	extraCall?: CallSetup;
	/** The body to send when the docs' own cannot be sent as written (the reason is in a comment at the entry). */
	body?: (docs: any, ctx: ExampleContext) => unknown;
	/** The Location the response must carry, when it is not the operation's URL. */
	location?: (r: GraphReply, ctx: ExampleContext) => string;
	/** What the page assumes is already going on before the request (a recording to cancel). */
	before?: (ctx: ExampleContext) => Promise<void>;
	/** What makes the documented notifications happen after the response. */
	after?: (ctx: ExampleContext) => Promise<void>;
	/**
	 * The part of the emulator's notification a docs example shows, by heading, when the example shows only what changed
	 * (undefined while that part is not there: the next notification is awaited).
	 */
	notificationView?: Record<string, (n: CommsNotification) => CommsNotification | undefined>;
	/** Documented notifications that cannot be compared at this step, by heading, each with its reason. */
	notificationSkips?: Record<string, string>;
	shape?: ShapeOptions;
	cleanUp?: boolean;
}

const createdCall = (r: GraphReply, ctx: ExampleContext) => `${ctx.emu.graphBaseUrl}/communications/calls/${r.body.id}`;
/** Notification-level properties the docs show that a v1.0 commsNotification does not have (commsnotification.md lists changeType and resourceUrl). */
const NOTIFICATION_EXTRAS: Record<string, string> = {
	resource: 'the deprecated /app/calls path; v1.0 notifications carry resourceUrl (commsnotification.md)',
	callbackUri: 'not a commsNotification property (commsnotification.md lists changeType and resourceUrl); the call resource carries callbackUri',
};

/** Documented properties the emulator may leave out wherever they appear, each with its reason. */
const ABSENT: Record<string, string> = {
	...NOTIFICATION_EXTRAS,
	'mediaConfig.preFetchMedia': 'the docs\' responses list prefetched media their requests never asked for; the emulator echoes the mediaConfig the call was created with',
	'mediaConfig.blob': 'the docs\' group-call response shows a media blob its request did not send; the emulator echoes the mediaConfig the call was created with',
};

const TRANSFER_FAILED = 'a failed transfer is another outcome of the same request (its target answers here); callResourceSteps.test.ts transfers to a busy number and compares this notification';
const CONTENT_UPDATED = 'the docs do not say what updates a content sharing session; the emulator\'s sessions start and end (both compared here)';
const NOT_ENABLED = 'this answer does not set callOptions.isContentSharingNotificationEnabled, which turns these notifications on (outgoingcalloptions.md; call-answer.md\'s first example sets it): application-post-calls.md\'s example that sets it is compared';

/** A roster notification cut to the participants sending screen-sharing video and those streams; undefined if none does. */
function sharersOnly(n: CommsNotification): CommsNotification | undefined {
	const sharing = (s: { mediaType?: string; direction?: string }) => s.mediaType === 'videoBasedScreenSharing' && s.direction === 'sendOnly';
	const roster = (Array.isArray(n.resourceData) ? n.resourceData : []) as { mediaStreams?: { mediaType?: string; direction?: string }[] }[];
	const sharers = roster.filter((p) => p.mediaStreams?.some(sharing)).map((p) => ({ ...p, mediaStreams: p.mediaStreams!.filter(sharing) }));
	return sharers.length ? { ...n, resourceData: sharers } as CommsNotification : undefined;
}

/** Someone in the call shares content and stops: what makes the content sharing notifications happen. */
async function shareContent(ctx: ExampleContext): Promise<void> {
	const callId = ctx.callId ?? ctx.responseId;
	await ctx.rx.waitForState(callId!, 'established');
	const session = await ctx.control('POST', `/calls/${callId}/contentSharingSessions`, {});
	await ctx.control('DELETE', `/calls/${callId}/contentSharingSessions/${session.body.id}`);
}

const PLANS: Record<string, Partial<ExamplePlan>> = {
	'application-post-calls/create-call-service-hosted-media-1': { setup: 'none', location: createdCall, after: shareContent, notificationSkips: { 'Notification - content sharing updated': CONTENT_UPDATED }, shape: { absent: NOTIFICATION_EXTRAS } },
	'application-post-calls/create-call-app-hosted-media': { setup: 'none', location: createdCall },
	'application-post-calls/create-group-call-service-hosted-media': { setup: 'none', location: createdCall },
	'application-post-calls/create-group-call-app-hosted-media': { setup: 'none', location: createdCall },
	'application-post-calls/join-scheduled-meeting-service-hosted-media': { setup: 'none', location: createdCall, shape: { absent: NOTIFICATION_EXTRAS } },
	'application-post-calls/join-scheduled-meeting-app-hosted-media': { setup: 'none', location: createdCall },
	'application-post-calls/join-meeting-with-join-meeting-id-and-passcode': { setup: 'none', location: createdCall },
	// The docs' meeting has no passcode: the emulator's stand-up meeting has none either.
	'application-post-calls/join-meeting-with-join-meeting-id-and-without-passcode': { setup: 'none', location: createdCall, body: (docs, ctx) => ({ ...docs, callbackUri: ctx.callbackUrl, tenantId: ctx.emu.tenantId, meetingInfo: { ...docs.meetingInfo, joinMeetingId: EMULATOR_MEETINGS.standup.joinMeetingId } }) },
	'application-post-calls/create-call-service-hosted-media-2': { setup: 'none', location: createdCall },
	'application-post-calls/create-call-service-hosted-media-3': { setup: 'none', location: createdCall },

	'call-answer/call-answer': { setup: 'incomingUser' },
	'call-answer/call-answer-service-hosted-media': { setup: 'incomingUser' },
	'call-answer/call-answer-app-hosted-media': { setup: 'incomingUser', notificationSkips: { 'Notification - content sharing started': NOT_ENABLED, 'Notification - content sharing ended': NOT_ENABLED } },
	'call-reject/call-reject': { setup: 'incomingUser', cleanUp: false },
	'call-reject/call-reject-none-reason': { setup: 'incomingUser', cleanUp: false },
	'call-redirect/call-redirect-1': {
		setup: 'incomingUser',
		cleanUp: false,
		// The docs redirect to another bot ("test bot 2"); the emulator's directory has people and phones to ring, not other bots.
		body: (docs, ctx) => ({ ...docs, callbackUri: ctx.callbackUrl, targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: EMULATOR_PEOPLE.adele.id } } }] }),
	},
	'call-redirect/call-redirect': { setup: 'incomingPhone', cleanUp: false, shape: { absent: { 'resourceData.answeredBy': 'who answered a redirected call is an encrypted identity the docs cannot show a bot how to read; the emulator does not invent one' } } },

	'call-get/get-call-1': { setup: 'p2p' },
	'call-get/get-call-2': { setup: 'meetingByOrganizer', shape: { absent: { transcription: 'the docs\' meeting had transcription state to report; the emulator transcribes nothing, so it is null' } } },
	'call-delete/delete-call-1': { setup: 'p2p', cleanUp: false },
	'call-keepalive/keep-alive': { setup: 'p2p' },
	// The docs' status is the list of its values ("notRecording | recording | failed"); one of them is sent.
	'call-updaterecordingstatus/call-updateRecordingStatus': { setup: 'p2p', body: (docs) => ({ ...docs, status: 'recording' }) },
	'call-playprompt/call-playPrompt': { setup: 'p2p' },
	'call-record/call-recordResponse': { setup: 'p2p' },
	// The page's notification is the recordResponse that the cancel stops: one is running when the cancel arrives.
	'call-cancelmediaprocessing/call-cancelMediaProcessing': {
		setup: 'p2p',
		before: async (ctx) => void (await ctx.api('POST', `/communications/calls/${ctx.callId}/recordResponse`, { clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c', maxRecordDurationInSeconds: 120, prompts: [] })),
	},
	'call-subscribetotone/call-subscribeToTone': { setup: 'p2p', after: async (ctx) => void (await ctx.control('POST', `/calls/${ctx.callId}/keys`, { keys: '1' })) },
	'call-senddtmftones/call-sendDtmfTones': {
		setup: 'p2p',
		notificationSkips: {
			'Error case 1': 'the operation ends this way only when the media operation is cancelled while tones are sent; the successful case is compared',
			'Error case 2': 'completionReason unknown is the service failing for a reason it cannot name; nothing a bot does produces it',
		},
	},
	'call-mute/call-mute': { setup: 'meeting' },
	'call-unmute/call-unmute': { setup: 'meeting' },
	// The bot becomes a viewer; the page's roster update shows a person (Bob) sending screen-sharing video: someone shares.
	'call-changescreensharingrole/call-changeScreenSharingRole': {
		setup: 'meetingAppHosted',
		after: async (ctx) => void (await ctx.control('POST', `/calls/${ctx.callId}/contentSharingSessions`, { participantId: ctx.participantId })),
		// The page shows the sharer and its screen-sharing stream; the emulator's roster update carries the whole roster.
		notificationView: { 'Notification - roster updated with participant sending screen sharing video': sharersOnly },
	},

	'call-transfer/call-transfer-1': { setup: 'p2p', cleanUp: false, notificationSkips: { 'Notification - transfer failed': TRANSFER_FAILED } },
	'call-transfer/call-transfer-2': { setup: 'p2p', extraCall: 'p2p', cleanUp: false, notificationSkips: { 'Notification - transfer failed': TRANSFER_FAILED } },
	'call-transfer/call-transfer-3': { setup: 'p2p', cleanUp: false, notificationSkips: { 'Notification - transfer failed': TRANSFER_FAILED } },
	'call-transfer/call-transfer-4': { setup: 'p2p', extraCall: 'p2p', cleanUp: false, notificationSkips: { 'Notification - transfer failed': TRANSFER_FAILED } },
	// The docs' body is not valid JSON (transferee sits inside transferTarget and a brace is missing); the request-body table puts transferee beside transferTarget.
	'call-transfer/call-transfer-5': {
		setup: 'group',
		cleanUp: false,
		notificationSkips: { 'Notification - transfer failed': TRANSFER_FAILED },
		body: (_docs, ctx) => ({
			transferTarget: { endpointType: 'default', identity: { user: { id: EMULATOR_PEOPLE.lidia.id, displayName: 'Heidi Steen' } } },
			transferee: { identity: { user: { id: EMULATOR_PEOPLE.adele.id, tenantId: ctx.emu.tenantId } }, participantId: ctx.participantId },
		}),
	},

	'call-list-participants/get-participants': { setup: 'meeting' },
	'participant-get/get-participant': { setup: 'meeting' },
	'participant-mute/participant-mute': { setup: 'meeting' },
	'participant-startholdmusic/participant-startHoldMusic': { setup: 'meeting' },
	'participant-stopholdmusic/participant-stopHoldMusic': { setup: 'meeting' },
	'participant-invite/participant-invite': { setup: 'meeting', extraCall: 'p2p', shape: { absent: NOTIFICATION_EXTRAS } },
	'participant-invite/participant-invite-multiple': {
		setup: 'group',
		extraCall: 'p2p',
		shape: { absent: NOTIFICATION_EXTRAS },
		notificationSkips: {
			'Notification - operation completed': 'the docs put this operation at /operations/participants, a URL that names no operation, with id null; the emulator names the operation it started (compared in the other invite examples)',
			'Notification - roster updated with participants added': 'the docs put this roster at /operations/participants; the roster is at /participants (compared in the other invite examples)',
		},
	},
	'participant-invite/participant-invite-existing': { setup: 'group', extraCall: 'p2p', shape: { absent: NOTIFICATION_EXTRAS } },
	'participant-delete/delete-participant_active': { setup: 'meeting' },
	'participant-delete/participant-invite-nonactive-participant': { setup: 'meeting', extraCall: 'p2p' },
	'participant-delete/delete-participant_before-added-to-roster': {
		setup: 'meeting',
		skip: 'the docs delete "{id}", the participant id of an invitee who has not joined; the invite response gives no participant id (participants[].id is null in the docs), so the example names no id a client could have',
	},
};

/**
 * The docs' example data in a request body becomes the emulator's: callback URLs point at the test's receiver,
 * people and phones at the emulator's directory, meetings at its weekly sync, the tenant and the bot's
 * application instance at its own. The shape of the body is left as the docs wrote it.
 */
export function mapExampleIds(value: unknown, ctx: ExampleContext): unknown {
	const people = [EMULATOR_PEOPLE.adele.id, EMULATOR_PEOPLE.johanna.id, EMULATOR_PEOPLE.lidia.id, EMULATOR_PEOPLE.alex.id];
	const assigned = new Map<string, string>();
	const walk = (v: unknown, key: string, parent: string): unknown => {
		if (Array.isArray(v)) return v.map((el) => walk(el, key, parent));
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, el]) => [k, walk(el, k, key)]));
		if (typeof v !== 'string') return v;
		if (key === 'callbackUri') return ctx.callbackUrl;
		if (key === 'tenantId') return ctx.emu.tenantId;
		if (key === 'id' && parent === 'user') {
			if (!assigned.has(v)) assigned.set(v, people[assigned.size % people.length]);
			return assigned.get(v);
		}
		if (key === 'id' && parent === 'phone') return EMULATOR_PHONES.answers.id;
		if (key === 'id' && parent === 'applicationInstance') return EMULATOR_TENANT.applicationInstanceId;
		if (key === 'joinMeetingId') return EMULATOR_MEETINGS.weeklySync.joinMeetingId;
		if (key === 'passcode') return EMULATOR_MEETINGS.weeklySync.passcode;
		if (key === 'threadId') return EMULATOR_MEETINGS.weeklySync.threadId;
		if (key === 'replacesCallId') return ctx.extraCallId ?? v;
		if (key === 'participantId') return ctx.participantId ?? v;
		return v;
	};
	const mapped = walk(value, '', '') as Record<string, any>;
	const organizer = mapped?.meetingInfo?.organizer?.user;
	if (organizer) organizer.id = EMULATOR_MEETINGS.weeklySync.organizerId;
	return mapped;
}

export function conformancePlan(page: string, example: string): ExamplePlan {
	const plan = PLANS[`${page}/${example}`];
	return { setup: 'p2p', ...plan, shape: { absent: { ...ABSENT, ...plan?.shape?.absent } } };
}
