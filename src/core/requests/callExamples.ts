/**
 * One documented request per call action (several for create call): the source of the contributed snippets,
 * of "New Request Document", of "Open as request" and of the code-generation golden files. Bodies follow the
 * examples on the Graph docs pages (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/*).
 */
import type { CallAction } from '../schema/endpoints';
import { serialiseRequest } from './httpDocument';

export interface CallExample {
	/** Stable id: the golden file stem. */
	readonly id: string;
	/** Snippet prefix, typed in the editor. */
	readonly prefix: string;
	readonly action: CallAction;
	readonly title: string;
	readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	/** Path with {{variables}}; a leading /beta marks beta-only actions. */
	readonly path: string;
	readonly body?: Readonly<Record<string, unknown>>;
}

const CLIENT_CONTEXT = 'd45324c1-fcb5-430a-902c-f20af696537c';
const CALL = '/communications/calls/{{callId}}';
const PARTICIPANT = `${CALL}/participants/{{participantId}}`;

const identity = (kind: string, fields: Record<string, unknown>) => ({
	'@odata.type': '#microsoft.graph.identitySet',
	[kind]: { '@odata.type': '#microsoft.graph.identity', ...fields },
});
const invitee = (kind: string, fields: Record<string, unknown>) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: identity(kind, fields) });
const serviceHostedMedia = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
const beepPrompt = {
	'@odata.type': '#microsoft.graph.mediaPrompt',
	mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' },
};

export const CALL_EXAMPLES: readonly CallExample[] = [
	{
		id: 'create-call-user', prefix: 'gc-create-call-user', action: 'call.create', title: 'Create a peer-to-peer call to a Teams user', method: 'POST', path: '/communications/calls',
		body: {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: '{{callbackUri}}',
			targets: [invitee('user', { displayName: 'Adele Vance', id: '{{userId}}' })],
			requestedModalities: ['audio'],
			callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true },
			mediaConfig: serviceHostedMedia,
			tenantId: '{{tenantId}}',
		},
	},
	{
		id: 'create-call-phone', prefix: 'gc-create-call-phone', action: 'call.create', title: 'Create a call to a phone number (PSTN) from an application instance', method: 'POST', path: '/communications/calls',
		body: {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: '{{callbackUri}}',
			source: { '@odata.type': '#microsoft.graph.participantInfo', identity: identity('applicationInstance', { displayName: 'Calling Bot', id: '{{applicationInstanceId}}' }) },
			targets: [invitee('phone', { id: '+12345678901' })],
			requestedModalities: ['audio'],
			mediaConfig: serviceHostedMedia,
			tenantId: '{{tenantId}}',
		},
	},
	{
		id: 'create-call-group', prefix: 'gc-create-group-call', action: 'call.create', title: 'Create a group call with several Teams users', method: 'POST', path: '/communications/calls',
		body: {
			'@odata.type': '#microsoft.graph.call',
			direction: 'outgoing',
			subject: 'Group call from the workbench',
			callbackUri: '{{callbackUri}}',
			targets: [invitee('user', { displayName: 'Adele Vance', id: '{{userId}}' }), invitee('user', { displayName: 'Alex Wilber', id: '2f3e0e66-a0c8-4e7d-a1bb-0b4b0a7dc1a4' })],
			requestedModalities: ['audio'],
			mediaConfig: serviceHostedMedia,
			tenantId: '{{tenantId}}',
		},
	},
	{
		id: 'create-call-join-meeting-id', prefix: 'gc-join-meeting', action: 'call.create', title: 'Join a scheduled meeting with its meeting id and passcode', method: 'POST', path: '/communications/calls',
		body: {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: '{{callbackUri}}',
			requestedModalities: ['audio'],
			mediaConfig: serviceHostedMedia,
			meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1234567', passcode: null },
			tenantId: '{{tenantId}}',
		},
	},
	{
		id: 'create-call-join-meeting-chat', prefix: 'gc-join-meeting-chat', action: 'call.create', title: 'Join a meeting from its chat thread and organizer', method: 'POST', path: '/communications/calls',
		body: {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: '{{callbackUri}}',
			requestedModalities: ['audio'],
			mediaConfig: serviceHostedMedia,
			chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: '19:meeting_Y2FsbGluZ2JvdA@thread.v2', messageId: '0' },
			meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: identity('user', { id: '{{userId}}', displayName: 'Bob' }), allowConversationWithoutHost: true },
			tenantId: '{{tenantId}}',
		},
	},
	{ id: 'get-call', prefix: 'gc-get-call', action: 'call.get', title: 'Get a call', method: 'GET', path: CALL },
	{ id: 'delete-call', prefix: 'gc-hang-up', action: 'call.delete', title: "Hang up: delete the bot's leg of the call", method: 'DELETE', path: CALL },
	{
		id: 'answer', prefix: 'gc-answer', action: 'call.answer', title: 'Answer an incoming call', method: 'POST', path: `${CALL}/answer`,
		body: { callbackUri: '{{callbackUri}}', mediaConfig: serviceHostedMedia, acceptedModalities: ['audio'] },
	},
	{ id: 'reject', prefix: 'gc-reject', action: 'call.reject', title: 'Reject an incoming call', method: 'POST', path: `${CALL}/reject`, body: { reason: 'busy' } },
	{
		id: 'redirect', prefix: 'gc-redirect', action: 'call.redirect', title: 'Redirect an incoming call', method: 'POST', path: `${CALL}/redirect`,
		body: { targets: [invitee('user', { displayName: 'Adele Vance', id: '{{userId}}' })], callbackUri: '{{callbackUri}}' },
	},
	{
		id: 'transfer', prefix: 'gc-transfer', action: 'call.transfer', title: 'Transfer a peer-to-peer call', method: 'POST', path: `${CALL}/transfer`,
		body: { transferTarget: { endpointType: 'default', identity: identity('user', { displayName: 'Heidi Steen', id: '{{userId}}' }) }, clientContext: CLIENT_CONTEXT },
	},
	{
		id: 'play-prompt', prefix: 'gc-play-prompt', action: 'call.playPrompt', title: 'Play a prompt', method: 'POST', path: `${CALL}/playPrompt`,
		body: { clientContext: CLIENT_CONTEXT, prompts: [beepPrompt] },
	},
	{
		id: 'record-response', prefix: 'gc-record-response', action: 'call.recordResponse', title: 'Record a short response', method: 'POST', path: `${CALL}/recordResponse`,
		body: { bargeInAllowed: true, clientContext: CLIENT_CONTEXT, prompts: [beepPrompt], maxRecordDurationInSeconds: 10, initialSilenceTimeoutInSeconds: 5, maxSilenceTimeoutInSeconds: 2, playBeep: true, stopTones: ['#', '1', '*'] },
	},
	{ id: 'cancel-media-processing', prefix: 'gc-cancel-media-processing', action: 'call.cancelMediaProcessing', title: 'Cancel media processing', method: 'POST', path: `${CALL}/cancelMediaProcessing`, body: { clientContext: CLIENT_CONTEXT } },
	{ id: 'subscribe-to-tone', prefix: 'gc-subscribe-to-tone', action: 'call.subscribeToTone', title: 'Subscribe to DTMF tones', method: 'POST', path: `${CALL}/subscribeToTone`, body: { clientContext: CLIENT_CONTEXT } },
	{
		id: 'send-dtmf-tones', prefix: 'gc-send-dtmf-tones', action: 'call.sendDtmfTones', title: 'Send DTMF tones', method: 'POST', path: `${CALL}/sendDtmfTones`,
		body: { tones: ['tone1', 'tone2', 'tone3', 'pound'], delayBetweenTonesMs: 2000, clientContext: CLIENT_CONTEXT },
	},
	{ id: 'mute', prefix: 'gc-mute', action: 'call.mute', title: 'Mute the bot', method: 'POST', path: `${CALL}/mute`, body: { clientContext: CLIENT_CONTEXT } },
	{ id: 'unmute', prefix: 'gc-unmute', action: 'call.unmute', title: 'Unmute the bot', method: 'POST', path: `${CALL}/unmute`, body: { clientContext: CLIENT_CONTEXT } },
	{ id: 'keep-alive', prefix: 'gc-keep-alive', action: 'call.keepAlive', title: 'Keep the call alive', method: 'POST', path: `${CALL}/keepAlive` },
	{ id: 'update-recording-status', prefix: 'gc-update-recording-status', action: 'call.updateRecordingStatus', title: 'Update the recording status', method: 'POST', path: `${CALL}/updateRecordingStatus`, body: { clientContext: CLIENT_CONTEXT, status: 'recording' } },
	{ id: 'change-screen-sharing-role', prefix: 'gc-change-screen-sharing-role', action: 'call.changeScreenSharingRole', title: 'Change the screen sharing role', method: 'POST', path: `${CALL}/changeScreenSharingRole`, body: { role: 'viewer' } },
	{ id: 'add-large-gallery-view', prefix: 'gc-add-large-gallery-view', action: 'call.addLargeGalleryView', title: 'Add the large gallery view', method: 'POST', path: `${CALL}/addLargeGalleryView`, body: { clientContext: CLIENT_CONTEXT } },
	{ id: 'list-participants', prefix: 'gc-list-participants', action: 'participant.list', title: 'List participants', method: 'GET', path: `${CALL}/participants` },
	{ id: 'get-participant', prefix: 'gc-get-participant', action: 'participant.get', title: 'Get a participant', method: 'GET', path: PARTICIPANT },
	{
		id: 'invite-participants', prefix: 'gc-invite-participants', action: 'participant.invite', title: 'Invite participants', method: 'POST', path: `${CALL}/participants/invite`,
		body: { participants: [invitee('user', { displayName: 'Adele Vance', id: '{{userId}}' })], clientContext: CLIENT_CONTEXT },
	},
	{ id: 'mute-participant', prefix: 'gc-mute-participant', action: 'participant.mute', title: 'Mute a participant', method: 'POST', path: `${PARTICIPANT}/mute`, body: { clientContext: CLIENT_CONTEXT } },
	{
		id: 'mute-all-participants', prefix: 'gc-mute-all', action: 'participant.muteAll', title: 'Mute all participants (beta)', method: 'POST', path: `/beta${CALL}/participants/muteAll`,
		body: { participants: ['{{participantId}}'], clientContext: CLIENT_CONTEXT },
	},
	{ id: 'delete-participant', prefix: 'gc-remove-participant', action: 'participant.delete', title: 'Remove a participant', method: 'DELETE', path: PARTICIPANT },
	{
		id: 'start-hold-music', prefix: 'gc-start-hold-music', action: 'participant.startHoldMusic', title: 'Put a participant on hold with music', method: 'POST', path: `${PARTICIPANT}/startHoldMusic`,
		body: { customPrompt: { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://bot.contoso.com/onHold.wav' } }, clientContext: CLIENT_CONTEXT },
	},
	{ id: 'stop-hold-music', prefix: 'gc-stop-hold-music', action: 'participant.stopHoldMusic', title: 'Take a participant off hold', method: 'POST', path: `${PARTICIPANT}/stopHoldMusic`, body: { clientContext: CLIENT_CONTEXT } },
	{ id: 'get-operation', prefix: 'gc-get-operation', action: 'operation.get', title: 'Get an operation', method: 'GET', path: `${CALL}/operations/{{operationId}}` },
	{ id: 'list-content-sharing-sessions', prefix: 'gc-list-content-sharing-sessions', action: 'contentSharingSession.list', title: 'List content sharing sessions', method: 'GET', path: `${CALL}/contentSharingSessions` },
	{ id: 'get-content-sharing-session', prefix: 'gc-get-content-sharing-session', action: 'contentSharingSession.get', title: 'Get a content sharing session', method: 'GET', path: `${CALL}/contentSharingSessions/{{sessionId}}` },
	{ id: 'list-audio-routing-groups', prefix: 'gc-list-audio-routing-groups', action: 'audioRoutingGroup.list', title: 'List audio routing groups', method: 'GET', path: `${CALL}/audioRoutingGroups` },
	{
		id: 'create-audio-routing-group', prefix: 'gc-create-audio-routing-group', action: 'audioRoutingGroup.create', title: 'Create an audio routing group', method: 'POST', path: `${CALL}/audioRoutingGroups`,
		body: { id: 'oneToOne', routingMode: 'oneToOne', sources: ['{{participantId}}'], receivers: ['550fae72-d251-43ec-868c-373732c2704f'] },
	},
	{ id: 'get-audio-routing-group', prefix: 'gc-get-audio-routing-group', action: 'audioRoutingGroup.get', title: 'Get an audio routing group', method: 'GET', path: `${CALL}/audioRoutingGroups/{{groupId}}` },
	{
		id: 'update-audio-routing-group', prefix: 'gc-update-audio-routing-group', action: 'audioRoutingGroup.update', title: 'Update an audio routing group', method: 'PATCH', path: `${CALL}/audioRoutingGroups/{{groupId}}`,
		body: { id: '{{groupId}}', routingMode: 'oneToOne', sources: ['{{participantId}}'], receivers: ['550fae72-d251-43ec-868c-373732c2704f', '72f988bf-86f1-41af-91ab-2d7cd011db47'] },
	},
	{ id: 'delete-audio-routing-group', prefix: 'gc-delete-audio-routing-group', action: 'audioRoutingGroup.delete', title: 'Delete an audio routing group', method: 'DELETE', path: `${CALL}/audioRoutingGroups/{{groupId}}` },
];

/** The first (main) example of an action. */
export function exampleFor(action: CallAction): CallExample | undefined {
	return CALL_EXAMPLES.find((e) => e.action === action);
}

/** The starter document of "New Request Document": how variables work, then the requests people send first. */
export function newDocumentText(): string {
	const header = [
		'# Graph Calls request document. Send a request with the "Send with <profile>" CodeLens above it;',
		'# the response opens beside this editor and the call appears in the Calls view.',
		'# {{callId}}, {{participantId}}, {{operationId}}: the node a command runs on, else the call created last.',
		'# {{tenantId}}, {{clientId}}, {{callbackUri}}: the active profile. {{userId}}: setting graphCalls.requests.variables.',
		'# Define your own with @name = value. Type gc- for a snippet of every call action.',
		'',
	].join('\n');
	const requests = ['create-call-user', 'get-call', 'play-prompt', 'list-participants', 'keep-alive', 'delete-call'].map((id) => {
		const e = CALL_EXAMPLES.find((x) => x.id === id)!;
		return serialiseRequest({ comment: e.title, name: id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), method: e.method, url: e.path, body: e.body });
	});
	return header + '\n' + requests.join('\n###\n\n');
}
