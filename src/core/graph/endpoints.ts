/**
 * The one table of every Graph calls endpoint: the emulator's permission checks, the permission diagnosis and
 * the permission reference all read it. Sourced from microsoftgraph/microsoft-graph-docs-contrib (`docPath`).
 */

export type Permission =
	| 'Calls.Initiate.All'
	| 'Calls.InitiateGroupCall.All'
	| 'Calls.JoinGroupCall.All'
	| 'Calls.JoinGroupCallAsGuest.All'
	| 'Calls.AccessMedia.All';

export const ALL_PERMISSIONS: readonly Permission[] = [
	'Calls.Initiate.All',
	'Calls.InitiateGroupCall.All',
	'Calls.JoinGroupCall.All',
	'Calls.JoinGroupCallAsGuest.All',
	'Calls.AccessMedia.All',
];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type ApiVersionName = 'v1.0' | 'beta';

/** Stable action names, shared by the client (calls.ts), the emulator and the commands. */
export type CallAction =
	| 'call.create'
	| 'call.get'
	| 'call.delete'
	| 'call.answer'
	| 'call.reject'
	| 'call.redirect'
	| 'call.transfer'
	| 'call.playPrompt'
	| 'call.recordResponse'
	| 'call.cancelMediaProcessing'
	| 'call.subscribeToTone'
	| 'call.sendDtmfTones'
	| 'call.mute'
	| 'call.unmute'
	| 'call.keepAlive'
	| 'call.updateRecordingStatus'
	| 'call.changeScreenSharingRole'
	| 'call.addLargeGalleryView'
	| 'participant.list'
	| 'participant.get'
	| 'participant.invite'
	| 'participant.mute'
	| 'participant.muteAll'
	| 'participant.delete'
	| 'participant.startHoldMusic'
	| 'participant.stopHoldMusic'
	| 'operation.get'
	| 'contentSharingSession.list'
	| 'contentSharingSession.get'
	| 'audioRoutingGroup.list'
	| 'audioRoutingGroup.create'
	| 'audioRoutingGroup.get'
	| 'audioRoutingGroup.update'
	| 'audioRoutingGroup.delete';

export interface EndpointRow {
	readonly action: CallAction;
	readonly method: HttpMethod;
	/** Path below the version root, with {callId}, {participantId}, {operationId}, {sessionId}, {groupId}. */
	readonly path: string;
	readonly versions: readonly ApiVersionName[];
	readonly summary: string;
	/** Any one of these application permissions allows the request. */
	readonly leastPrivileged: readonly Permission[];
	readonly higherPrivileged: readonly Permission[];
	/** Calls API methods are application-only. */
	readonly delegated: false;
	readonly cmdlets: { readonly v1?: string; readonly beta?: string };
	/** Path of the documentation page in microsoftgraph/microsoft-graph-docs-contrib. */
	readonly docPath: string;
	/** Where the docs disagree with themselves or the emulator simplifies. */
	readonly note?: string;
}

const BOTH: readonly ApiVersionName[] = ['v1.0', 'beta'];
const INITIATE_OR_MEDIA: readonly Permission[] = ['Calls.Initiate.All', 'Calls.AccessMedia.All'];
const JOIN: readonly Permission[] = ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'];

function row(r: Omit<EndpointRow, 'versions' | 'delegated' | 'higherPrivileged'> & Partial<Pick<EndpointRow, 'versions' | 'higherPrivileged'>>): EndpointRow {
	return { versions: BOTH, higherPrivileged: [], delegated: false, ...r };
}

export const ENDPOINTS: readonly EndpointRow[] = [
	row({ action: 'call.create', method: 'POST', path: '/communications/calls', summary: 'Create a call: to a user, a phone number, a group, or join a meeting.', leastPrivileged: ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'], cmdlets: { v1: 'New-MgCommunicationCall', beta: 'New-MgBetaCommunicationCall' }, docPath: 'api-reference/v1.0/api/application-post-calls.md', note: 'The permission depends on the call: 1:1 and PSTN need Calls.Initiate.All, group calls Calls.InitiateGroupCall.All, meetings Calls.JoinGroupCall.All or Calls.JoinGroupCallAsGuest.All.' }),
	row({ action: 'call.get', method: 'GET', path: '/communications/calls/{callId}', summary: 'Get the properties of a call.', leastPrivileged: ['Calls.Initiate.All', 'Calls.AccessMedia.All'], cmdlets: { v1: 'Get-MgCommunicationCall', beta: 'Get-MgBetaCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-get.md' }),
	row({ action: 'call.delete', method: 'DELETE', path: '/communications/calls/{callId}', summary: 'Hang up: delete the bot\'s leg of the call.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Remove-MgCommunicationCall', beta: 'Remove-MgBetaCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-delete.md' }),
	row({ action: 'call.answer', method: 'POST', path: '/communications/calls/{callId}/answer', summary: 'Answer an incoming call within 15 seconds.', leastPrivileged: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'], cmdlets: { v1: 'Invoke-MgAnswerCommunicationCall', beta: 'Invoke-MgBetaAnswerCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-answer.md', note: 'App-hosted media also needs Calls.AccessMedia.All.' }),
	row({ action: 'call.reject', method: 'POST', path: '/communications/calls/{callId}/reject', summary: 'Reject an incoming call (reason none, busy or forbidden).', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Invoke-MgRejectCommunicationCall', beta: 'Invoke-MgBetaRejectCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-reject.md' }),
	row({ action: 'call.redirect', method: 'POST', path: '/communications/calls/{callId}/redirect', summary: 'Redirect an incoming call to up to 25 targets.', leastPrivileged: ['Calls.Initiate.All'], cmdlets: { v1: 'Invoke-MgRedirectCommunicationCall', beta: 'Invoke-MgBetaRedirectCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-redirect.md' }),
	row({ action: 'call.transfer', method: 'POST', path: '/communications/calls/{callId}/transfer', summary: 'Transfer an active peer-to-peer call (blind or consultative).', leastPrivileged: ['Calls.Initiate.All'], cmdlets: { v1: 'Move-MgCommunicationCall', beta: 'Move-MgBetaCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-transfer.md' }),
	row({ action: 'call.playPrompt', method: 'POST', path: '/communications/calls/{callId}/playPrompt', summary: 'Play audio prompts (up to 20 media files) in the call.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Invoke-MgPlayCommunicationCallPrompt', beta: 'Invoke-MgBetaPlayCommunicationCallPrompt' }, docPath: 'api-reference/v1.0/api/call-playprompt.md' }),
	row({ action: 'call.recordResponse', method: 'POST', path: '/communications/calls/{callId}/recordResponse', summary: 'Record a short audio response from the caller (up to 120 s).', leastPrivileged: ['Calls.AccessMedia.All'], cmdlets: { v1: 'Invoke-MgRecordCommunicationCallResponse', beta: 'Invoke-MgBetaRecordCommunicationCallResponse' }, docPath: 'api-reference/v1.0/api/call-record.md' }),
	row({ action: 'call.cancelMediaProcessing', method: 'POST', path: '/communications/calls/{callId}/cancelMediaProcessing', summary: 'Cancel running playPrompt and recordResponse operations.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Invoke-MgCancelCommunicationCallMediaProcessing', beta: 'Invoke-MgBetaCancelCommunicationCallMediaProcessing' }, docPath: 'api-reference/v1.0/api/call-cancelmediaprocessing.md' }),
	row({ action: 'call.subscribeToTone', method: 'POST', path: '/communications/calls/{callId}/subscribeToTone', summary: 'Receive DTMF key presses as notifications.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Invoke-MgSubscribeCommunicationCallToTone', beta: 'Invoke-MgBetaSubscribeCommunicationCallToTone' }, docPath: 'api-reference/v1.0/api/call-subscribetotone.md' }),
	row({ action: 'call.sendDtmfTones', method: 'POST', path: '/communications/calls/{callId}/sendDtmfTones', summary: 'Send DTMF tones in the call.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Send-MgCommunicationCallDtmfTone', beta: 'Send-MgBetaCommunicationCallDtmfTone' }, docPath: 'api-reference/v1.0/api/call-senddtmftones.md' }),
	row({ action: 'call.mute', method: 'POST', path: '/communications/calls/{callId}/mute', summary: 'Mute the bot in the call.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Invoke-MgMuteCommunicationCall', beta: 'Invoke-MgBetaMuteCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-mute.md' }),
	row({ action: 'call.unmute', method: 'POST', path: '/communications/calls/{callId}/unmute', summary: 'Unmute the bot in the call.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Invoke-MgUnmuteCommunicationCall', beta: 'Invoke-MgBetaUnmuteCommunicationCall' }, docPath: 'api-reference/v1.0/api/call-unmute.md' }),
	row({ action: 'call.keepAlive', method: 'POST', path: '/communications/calls/{callId}/keepAlive', summary: 'Keep the call alive: send at least every 45 minutes (15 recommended).', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Invoke-MgKeepCommunicationCallAlive', beta: 'Invoke-MgBetaKeepCommunicationCallAlive' }, docPath: 'api-reference/v1.0/api/call-keepalive.md' }),
	row({ action: 'call.updateRecordingStatus', method: 'POST', path: '/communications/calls/{callId}/updateRecordingStatus', summary: 'Tell the service whether the bot is recording.', leastPrivileged: JOIN, higherPrivileged: ['Calls.AccessMedia.All'], cmdlets: { v1: 'Update-MgCommunicationCallRecordingStatus', beta: 'Update-MgBetaCommunicationCallRecordingStatus' }, docPath: 'api-reference/v1.0/api/call-updaterecordingstatus.md' }),
	row({ action: 'call.changeScreenSharingRole', method: 'POST', path: '/communications/calls/{callId}/changeScreenSharingRole', summary: 'Switch the bot between screen-sharing viewer and sharer.', leastPrivileged: ['Calls.AccessMedia.All'], cmdlets: { v1: 'Invoke-MgChangeCommunicationCallScreenSharingRole', beta: 'Invoke-MgBetaChangeCommunicationCallScreenSharingRole' }, docPath: 'api-reference/v1.0/api/call-changescreensharingrole.md' }),
	row({ action: 'call.addLargeGalleryView', method: 'POST', path: '/communications/calls/{callId}/addLargeGalleryView', summary: 'Add the large gallery view to a call.', leastPrivileged: JOIN, cmdlets: { v1: 'Add-MgCommunicationCallLargeGalleryView', beta: 'Add-MgBetaCommunicationCallLargeGalleryView' }, docPath: 'api-reference/v1.0/api/call-addlargegalleryview.md' }),
	row({ action: 'participant.list', method: 'GET', path: '/communications/calls/{callId}/participants', summary: 'List the participants of a call.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Get-MgCommunicationCallParticipant', beta: 'Get-MgBetaCommunicationCallParticipant' }, docPath: 'api-reference/v1.0/api/call-list-participants.md' }),
	row({ action: 'participant.get', method: 'GET', path: '/communications/calls/{callId}/participants/{participantId}', summary: 'Get one participant.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Get-MgCommunicationCallParticipant', beta: 'Get-MgBetaCommunicationCallParticipant' }, docPath: 'api-reference/v1.0/api/participant-get.md' }),
	row({ action: 'participant.invite', method: 'POST', path: '/communications/calls/{callId}/participants/invite', summary: 'Invite up to 5 participants into the call.', leastPrivileged: ['Calls.InitiateGroupCall.All'], cmdlets: { v1: 'Invoke-MgInviteCommunicationCallParticipant', beta: 'Invoke-MgBetaInviteCommunicationCallParticipant' }, docPath: 'api-reference/v1.0/api/participant-invite.md' }),
	row({ action: 'participant.mute', method: 'POST', path: '/communications/calls/{callId}/participants/{participantId}/mute', summary: 'Mute another participant.', leastPrivileged: JOIN, higherPrivileged: ['Calls.InitiateGroupCall.All'], cmdlets: { v1: 'Invoke-MgMuteCommunicationCallParticipant', beta: 'Invoke-MgBetaMuteCommunicationCallParticipant' }, docPath: 'api-reference/v1.0/api/participant-mute.md' }),
	row({ action: 'participant.muteAll', method: 'POST', path: '/communications/calls/{callId}/participants/muteAll', versions: ['beta'], summary: 'Mute all participants (beta).', leastPrivileged: JOIN, cmdlets: { beta: 'Invoke-MgBetaMuteCommunicationCallParticipantAll' }, docPath: 'api-reference/beta/api/participant-muteall.md' }),
	row({ action: 'participant.delete', method: 'DELETE', path: '/communications/calls/{callId}/participants/{participantId}', summary: 'Remove a participant from the call.', leastPrivileged: JOIN, higherPrivileged: ['Calls.InitiateGroupCall.All'], cmdlets: { v1: 'Remove-MgCommunicationCallParticipant', beta: 'Remove-MgBetaCommunicationCallParticipant' }, docPath: 'api-reference/v1.0/api/participant-delete.md' }),
	row({ action: 'participant.startHoldMusic', method: 'POST', path: '/communications/calls/{callId}/participants/{participantId}/startHoldMusic', summary: 'Put a participant on hold with music.', leastPrivileged: JOIN, cmdlets: { v1: 'Start-MgCommunicationCallParticipantHoldMusic', beta: 'Start-MgBetaCommunicationCallParticipantHoldMusic' }, docPath: 'api-reference/v1.0/api/participant-startholdmusic.md' }),
	row({ action: 'participant.stopHoldMusic', method: 'POST', path: '/communications/calls/{callId}/participants/{participantId}/stopHoldMusic', summary: 'Take a participant off hold.', leastPrivileged: JOIN, cmdlets: { v1: 'Stop-MgCommunicationCallParticipantHoldMusic', beta: 'Stop-MgBetaCommunicationCallParticipantHoldMusic' }, docPath: 'api-reference/v1.0/api/participant-stopholdmusic.md' }),
	row({ action: 'operation.get', method: 'GET', path: '/communications/calls/{callId}/operations/{operationId}', summary: 'Get the status of an operation (commsOperation).', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Get-MgCommunicationCallOperation', beta: 'Get-MgBetaCommunicationCallOperation' }, docPath: 'api-reference/v1.0/api/commsoperation-get.md' }),
	row({ action: 'contentSharingSession.list', method: 'GET', path: '/communications/calls/{callId}/contentSharingSessions', summary: 'List the content sharing sessions of a call.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Get-MgCommunicationCallContentSharingSession', beta: 'Get-MgBetaCommunicationCallContentSharingSession' }, docPath: 'api-reference/v1.0/api/call-list-contentsharingsessions.md' }),
	row({ action: 'contentSharingSession.get', method: 'GET', path: '/communications/calls/{callId}/contentSharingSessions/{sessionId}', summary: 'Get one content sharing session.', leastPrivileged: INITIATE_OR_MEDIA, cmdlets: { v1: 'Get-MgCommunicationCallContentSharingSession', beta: 'Get-MgBetaCommunicationCallContentSharingSession' }, docPath: 'api-reference/v1.0/api/contentsharingsession-get.md' }),
	row({ action: 'audioRoutingGroup.list', method: 'GET', path: '/communications/calls/{callId}/audioRoutingGroups', summary: 'List the audio routing groups of a call.', leastPrivileged: ['Calls.JoinGroupCall.All', 'Calls.InitiateGroupCall.All'], cmdlets: { v1: 'Get-MgCommunicationCallAudioRoutingGroup', beta: 'Get-MgBetaCommunicationCallAudioRoutingGroup' }, docPath: 'api-reference/v1.0/api/call-list-audioroutinggroups.md' }),
	row({ action: 'audioRoutingGroup.create', method: 'POST', path: '/communications/calls/{callId}/audioRoutingGroups', summary: 'Create an audio routing group.', leastPrivileged: ['Calls.JoinGroupCall.All', 'Calls.InitiateGroupCall.All'], cmdlets: { v1: 'New-MgCommunicationCallAudioRoutingGroup', beta: 'New-MgBetaCommunicationCallAudioRoutingGroup' }, docPath: 'api-reference/v1.0/api/call-post-audioroutinggroups.md' }),
	row({ action: 'audioRoutingGroup.get', method: 'GET', path: '/communications/calls/{callId}/audioRoutingGroups/{groupId}', summary: 'Get an audio routing group.', leastPrivileged: ['Calls.JoinGroupCall.All', 'Calls.InitiateGroupCall.All'], cmdlets: { v1: 'Get-MgCommunicationCallAudioRoutingGroup', beta: 'Get-MgBetaCommunicationCallAudioRoutingGroup' }, docPath: 'api-reference/v1.0/api/audioroutinggroup-get.md' }),
	row({ action: 'audioRoutingGroup.update', method: 'PATCH', path: '/communications/calls/{callId}/audioRoutingGroups/{groupId}', summary: 'Update an audio routing group.', leastPrivileged: ['Calls.JoinGroupCall.All', 'Calls.InitiateGroupCall.All'], cmdlets: { v1: 'Update-MgCommunicationCallAudioRoutingGroup', beta: 'Update-MgBetaCommunicationCallAudioRoutingGroup' }, docPath: 'api-reference/v1.0/api/audioroutinggroup-update.md' }),
	row({ action: 'audioRoutingGroup.delete', method: 'DELETE', path: '/communications/calls/{callId}/audioRoutingGroups/{groupId}', summary: 'Delete an audio routing group.', leastPrivileged: ['Calls.JoinGroupCall.All', 'Calls.InitiateGroupCall.All'], cmdlets: { v1: 'Remove-MgCommunicationCallAudioRoutingGroup', beta: 'Remove-MgBetaCommunicationCallAudioRoutingGroup' }, docPath: 'api-reference/v1.0/api/audioroutinggroup-delete.md' }),
];

const byAction = new Map(ENDPOINTS.map((r) => [r.action, r]));

export function endpointFor(action: CallAction): EndpointRow {
	const r = byAction.get(action);
	if (!r) throw new Error(`No endpoint row for ${action}`);
	return r;
}

/** Beta also serves the deprecated `/app/calls` alias of `/communications/calls`. */
export function appCallsAlias(path: string): string {
	return path.replace(/^\/communications\/calls/, '/app/calls');
}

/** True when a token with these roles may perform the action (any least- or higher-privileged permission). */
export function isAllowed(action: CallAction, roles: readonly string[]): boolean {
	const r = endpointFor(action);
	return [...r.leastPrivileged, ...r.higherPrivileged].some((p) => roles.includes(p));
}
