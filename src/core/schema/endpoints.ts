/**
 * The one table of every Graph calls endpoint: the emulator's permission checks, the permission diagnosis and
 * the permission reference all read it. Sourced from microsoftgraph/microsoft-graph-docs-contrib (`docPath`),
 * the generated permission tables (`api-reference/<version>/includes/permissions/*-permissions.md`),
 * microsoftgraph/msgraph-metadata `permissions/beta/Calls.json`, and Graph's permission page for
 * Calls.Initiate.All. `sourcedFrom` says which of these each row's permissions were checked against.
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

/** Where a row's permissions were checked: the generated include table, the page's own table, or the permission page. */
export type PermissionSource = 'include' | 'page' | 'permissionPage' | 'metadata' | 'unverified';

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
	/** Path of the documentation page in microsoftgraph/microsoft-graph-docs-contrib (v1.0 when the row has v1.0). */
	readonly docPath: string;
	/** Where the docs disagree with themselves or the emulator simplifies. */
	readonly note?: string;
	/**
	 * The docs say the permission is checked when the call is created or joined and not again on this request.
	 * Graph then lets any app that is in the call make it: `isAllowed` accepts any calls permission for these rows.
	 */
	readonly noRequestCheck?: boolean;
	/** Beta also serves this row under the deprecated `/app/calls` root (see `appCallsAlias`). */
	readonly appAlias: boolean;
	readonly sourcedFrom: PermissionSource;
}

const BOTH: readonly ApiVersionName[] = ['v1.0', 'beta'];
const INITIATE: readonly Permission[] = ['Calls.Initiate.All'];
const MEDIA: readonly Permission[] = ['Calls.AccessMedia.All'];
const ANY_CALL_MEMBER: readonly Permission[] = ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'];
const CHECKED_AT_CREATION = 'The page says permissions are checked when the call is created and not again on this request; Calls.AccessMedia.All is only needed for app-hosted media.';

type RowInput = Omit<EndpointRow, 'versions' | 'delegated' | 'higherPrivileged' | 'appAlias' | 'cmdlets'> &
	Partial<Pick<EndpointRow, 'versions' | 'higherPrivileged' | 'appAlias'>> & { cmdlet: string; betaCmdlet?: string };

/** Fills the defaults and derives the beta cmdlet (`Verb-MgBeta...`) unless the docs name it differently. */
function row(r: RowInput): EndpointRow {
	const { cmdlet, betaCmdlet, ...rest } = r;
	const versions = r.versions ?? BOTH;
	const beta = betaCmdlet ?? cmdlet.replace('-Mg', '-MgBeta');
	return {
		versions,
		higherPrivileged: [],
		delegated: false,
		appAlias: true,
		...rest,
		cmdlets: { ...(versions.includes('v1.0') ? { v1: cmdlet } : {}), ...(versions.includes('beta') ? { beta } : {}) },
	};
}

export const ENDPOINTS: readonly EndpointRow[] = [
	row({
		action: 'call.create', method: 'POST', path: '/communications/calls', summary: 'Create a call: to a user, a phone number, a group, or join a meeting.',
		leastPrivileged: ANY_CALL_MEMBER, cmdlet: 'New-MgCommunicationCall', docPath: 'api-reference/v1.0/api/application-post-calls.md', sourcedFrom: 'include',
		note: 'The permission depends on the call: 1:1 and PSTN calls need Calls.Initiate.All, group calls Calls.InitiateGroupCall.All, joining a meeting Calls.JoinGroupCall.All or Calls.JoinGroupCallAsGuest.All; app-hosted media also needs Calls.AccessMedia.All. The generated permission table names the resource-specific-consent permission Calls.JoinGroupCalls.Chat as least privileged and these four as higher; the page\'s own older table lists all five from least to most privileged.',
	}),
	row({
		action: 'call.get', method: 'GET', path: '/communications/calls/{callId}', summary: 'Get the properties of a call.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Get-MgCommunicationCall', docPath: 'api-reference/v1.0/api/call-get.md', sourcedFrom: 'permissionPage', note: CHECKED_AT_CREATION,
	}),
	row({
		action: 'call.delete', method: 'DELETE', path: '/communications/calls/{callId}', summary: 'Hang up: delete the bot\'s leg of the call (a group call goes on).',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Remove-MgCommunicationCall', docPath: 'api-reference/v1.0/api/call-delete.md', sourcedFrom: 'page', note: CHECKED_AT_CREATION,
	}),
	row({
		action: 'call.answer', method: 'POST', path: '/communications/calls/{callId}/answer', summary: 'Answer an incoming call within 15 seconds (5 s for policy-based recording).',
		leastPrivileged: ['Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCall.All'], cmdlet: 'Invoke-MgAnswerCommunicationCall', docPath: 'api-reference/v1.0/api/call-answer.md', sourcedFrom: 'metadata',
		note: 'App-hosted media also needs Calls.AccessMedia.All. The caller (`source`) in the incoming-call notification stays encrypted unless the app holds at least one calls permission. msgraph-metadata spells these Calls.JoinGroupCalls.All and Calls.JoinGroupCallsasGuest.All.',
	}),
	row({
		action: 'call.reject', method: 'POST', path: '/communications/calls/{callId}/reject', summary: 'Reject an incoming call (reason none, busy or forbidden).',
		leastPrivileged: ANY_CALL_MEMBER, noRequestCheck: true, cmdlet: 'Invoke-MgRejectCommunicationCall', docPath: 'api-reference/v1.0/api/call-reject.md', sourcedFrom: 'page',
		note: 'The page lists the application permission as "None": any calls permission that lets the bot receive the incoming call is enough.',
	}),
	row({
		action: 'call.redirect', method: 'POST', path: '/communications/calls/{callId}/redirect', summary: 'Redirect an incoming call to up to 25 targets (timeout 15-90 s).',
		leastPrivileged: INITIATE, cmdlet: 'Invoke-MgRedirectCommunicationCall', docPath: 'api-reference/v1.0/api/call-redirect.md', sourcedFrom: 'include',
	}),
	row({
		action: 'call.transfer', method: 'POST', path: '/communications/calls/{callId}/transfer', summary: 'Transfer an active call (blind or consultative; transferee in group calls).',
		leastPrivileged: INITIATE, cmdlet: 'Move-MgCommunicationCall', docPath: 'api-reference/v1.0/api/call-transfer.md', sourcedFrom: 'page',
	}),
	row({
		action: 'call.playPrompt', method: 'POST', path: '/communications/calls/{callId}/playPrompt', summary: 'Play audio prompts (up to 20) in a call with service-hosted media.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Invoke-MgPlayCommunicationCallPrompt', docPath: 'api-reference/v1.0/api/call-playprompt.md', sourcedFrom: 'page', note: CHECKED_AT_CREATION,
	}),
	row({
		action: 'call.recordResponse', method: 'POST', path: '/communications/calls/{callId}/recordResponse', summary: 'Record a short audio response from the caller (up to 120 s).',
		leastPrivileged: MEDIA, cmdlet: 'Invoke-MgRecordCommunicationCallResponse', docPath: 'api-reference/v1.0/api/call-record.md', sourcedFrom: 'include',
	}),
	row({
		action: 'call.cancelMediaProcessing', method: 'POST', path: '/communications/calls/{callId}/cancelMediaProcessing', summary: 'Cancel running and queued playPrompt and recordResponse operations.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Stop-MgCommunicationCallMediaProcessing', docPath: 'api-reference/v1.0/api/call-cancelmediaprocessing.md', sourcedFrom: 'page', note: CHECKED_AT_CREATION,
	}),
	row({
		action: 'call.subscribeToTone', method: 'POST', path: '/communications/calls/{callId}/subscribeToTone', summary: 'Receive DTMF key presses as notifications (service-hosted media).',
		leastPrivileged: MEDIA, cmdlet: 'Invoke-MgSubscribeCommunicationCallToTone', docPath: 'api-reference/v1.0/api/call-subscribetotone.md', sourcedFrom: 'page',
		note: 'The page requires Calls.AccessMedia.All although the method only works with service-hosted media.',
	}),
	row({
		action: 'call.sendDtmfTones', method: 'POST', path: '/communications/calls/{callId}/sendDtmfTones', summary: 'Send DTMF tones (tone0-tone9, star, pound) in the call.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, cmdlet: 'Send-MgCommunicationCallDtmfTone', docPath: 'api-reference/v1.0/api/call-senddtmftones.md', sourcedFrom: 'include',
	}),
	row({
		action: 'call.mute', method: 'POST', path: '/communications/calls/{callId}/mute', summary: 'Mute the bot in the call.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, cmdlet: 'Invoke-MgMuteCommunicationCall', docPath: 'api-reference/v1.0/api/call-mute.md', sourcedFrom: 'include',
	}),
	row({
		action: 'call.unmute', method: 'POST', path: '/communications/calls/{callId}/unmute', summary: 'Unmute the bot in the call.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, cmdlet: 'Invoke-MgUnmuteCommunicationCall', docPath: 'api-reference/v1.0/api/call-unmute.md', sourcedFrom: 'include',
	}),
	row({
		action: 'call.keepAlive', method: 'POST', path: '/communications/calls/{callId}/keepAlive', summary: 'Keep the call alive: at least every 45 minutes (15 recommended); 404 once the call is gone.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Invoke-MgKeepCommunicationCallAlive', docPath: 'api-reference/v1.0/api/call-keepalive.md', sourcedFrom: 'page', note: CHECKED_AT_CREATION,
	}),
	row({
		action: 'call.updateRecordingStatus', method: 'POST', path: '/communications/calls/{callId}/updateRecordingStatus', summary: 'Tell the service whether the bot is recording (notRecording, recording, failed).',
		leastPrivileged: MEDIA, higherPrivileged: ['Calls.JoinGroupCall.All'], cmdlet: 'Update-MgCommunicationCallRecordingStatus', docPath: 'api-reference/v1.0/api/call-updaterecordingstatus.md', sourcedFrom: 'include',
		note: 'msgraph-metadata lists it under both Calls.AccessMedia.All and Calls.JoinGroupCalls.All (sic).',
	}),
	row({
		action: 'call.changeScreenSharingRole', method: 'POST', path: '/communications/calls/{callId}/changeScreenSharingRole', summary: 'Switch the bot between screen-sharing viewer and sharer (group calls, app-hosted media).',
		leastPrivileged: MEDIA, cmdlet: 'Rename-MgCommunicationCallScreenSharingRole', docPath: 'api-reference/v1.0/api/call-changescreensharingrole.md', sourcedFrom: 'page',
	}),
	row({
		action: 'call.addLargeGalleryView', method: 'POST', path: '/communications/calls/{callId}/addLargeGalleryView', summary: 'Add the large gallery view to a call.',
		leastPrivileged: ['Calls.JoinGroupCallAsGuest.All'], higherPrivileged: ['Calls.JoinGroupCall.All', 'Calls.InitiateGroupCall.All'], cmdlet: 'Add-MgCommunicationCallLargeGalleryView', docPath: 'api-reference/v1.0/api/call-addlargegalleryview.md', sourcedFrom: 'page',
		note: 'Global cloud only. The v1.0 page also lists the deprecated POST /app/calls/{id}/addLargeGalleryView.',
	}),
	row({
		action: 'participant.list', method: 'GET', path: '/communications/calls/{callId}/participants', summary: 'List the participants of a call.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Get-MgCommunicationCallParticipant', docPath: 'api-reference/v1.0/api/call-list-participants.md', sourcedFrom: 'permissionPage',
		note: 'Graph\'s permission page lists it under Calls.Initiate.All; an older beta page lists the application permission as "None". Treated as checked when the call was created, so a bot that joined a meeting can list its roster.',
	}),
	row({
		action: 'participant.get', method: 'GET', path: '/communications/calls/{callId}/participants/{participantId}', summary: 'Get one participant (group calls; peer-to-peer calls are not supported).',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Get-MgCommunicationCallParticipant', docPath: 'api-reference/v1.0/api/participant-get.md', sourcedFrom: 'unverified',
		note: 'Same permissions as listing participants; the page\'s generated table was not in the stored docs copy.',
	}),
	row({
		action: 'participant.invite', method: 'POST', path: '/communications/calls/{callId}/participants/invite', summary: 'Invite up to 5 participants into the call.',
		leastPrivileged: ['Calls.InitiateGroupCall.All'], cmdlet: 'Invoke-MgInviteCommunicationCallParticipant', docPath: 'api-reference/v1.0/api/participant-invite.md', sourcedFrom: 'include',
		note: 'msgraph-metadata spells the permission Calls.InitiateGroupCalls.All.',
	}),
	row({
		action: 'participant.mute', method: 'POST', path: '/communications/calls/{callId}/participants/{participantId}/mute', summary: 'Server-mute another participant (group calls only).',
		leastPrivileged: ['Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCall.All'], higherPrivileged: ['Calls.InitiateGroupCall.All'], noRequestCheck: true, cmdlet: 'Invoke-MgMuteCommunicationCallParticipant', docPath: 'api-reference/v1.0/api/participant-mute.md', sourcedFrom: 'page',
		note: 'The beta page lists the application permission as "None" (the v1.0 generated table was not in the stored docs copy); these are the permissions a bot in a group call holds.',
	}),
	row({
		action: 'participant.muteAll', method: 'POST', path: '/communications/calls/{callId}/participants/muteAll', versions: ['beta'], summary: 'Mute all participants (beta).',
		leastPrivileged: ['Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCall.All'], cmdlet: 'Invoke-MgMuteAllCommunicationCallParticipant', betaCmdlet: 'Invoke-MgBetaMuteAllCommunicationCallParticipant', docPath: 'api-reference/beta/api/participant-muteall.md', sourcedFrom: 'include',
		note: 'The beta table spells the permissions Calls.JoinGroupCallsasGuest.All and Calls.JoinGroupCalls.All; the beta page\'s PowerShell example uses the v1.0 cmdlet name Invoke-MgMuteAllCommunicationCallParticipant.',
	}),
	row({
		action: 'participant.delete', method: 'DELETE', path: '/communications/calls/{callId}/participants/{participantId}', summary: 'Remove a participant from the call (or cancel an invitation).',
		leastPrivileged: ['Calls.JoinGroupCall.All'], higherPrivileged: ['Calls.JoinGroupCallAsGuest.All'], cmdlet: 'Remove-MgCommunicationCallParticipant', docPath: 'api-reference/v1.0/api/participant-delete.md', sourcedFrom: 'include',
		note: 'The beta generated table puts Calls.JoinGroupCall.All as least and Calls.JoinGroupCallasGuest.All as higher privileged; the v1.0 page lists "Calls.JoinGroupCallsasGuest.All or Calls.JoinGroupCalls.All". The tenant admin must also allow the app with Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds.',
	}),
	row({
		action: 'participant.startHoldMusic', method: 'POST', path: '/communications/calls/{callId}/participants/{participantId}/startHoldMusic', summary: 'Put a participant on hold with music (one at a time).',
		leastPrivileged: ['Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCall.All'], higherPrivileged: ['Calls.InitiateGroupCall.All', 'Calls.Initiate.All'], noRequestCheck: true, cmdlet: 'Start-MgCommunicationCallParticipantHoldMusic', docPath: 'api-reference/v1.0/api/participant-startholdmusic.md', sourcedFrom: 'page',
		note: 'The page lists the application permission as "None": it is checked when the app joins or starts the call.',
	}),
	row({
		action: 'participant.stopHoldMusic', method: 'POST', path: '/communications/calls/{callId}/participants/{participantId}/stopHoldMusic', summary: 'Take a participant off hold.',
		leastPrivileged: ['Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCall.All'], higherPrivileged: ['Calls.InitiateGroupCall.All', 'Calls.Initiate.All'], noRequestCheck: true, cmdlet: 'Stop-MgCommunicationCallParticipantHoldMusic', docPath: 'api-reference/v1.0/api/participant-stopholdmusic.md', sourcedFrom: 'page',
		note: 'The page lists the application permission as "None": it is checked when the app joins or starts the call.',
	}),
	row({
		action: 'operation.get', method: 'GET', path: '/communications/calls/{callId}/operations/{operationId}', summary: 'Get the status of an operation (commsOperation: notStarted, running, completed, failed).',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, noRequestCheck: true, cmdlet: 'Get-MgCommunicationCallOperation', docPath: 'api-reference/v1.0/api/commsoperation-get.md', sourcedFrom: 'unverified',
		note: 'The page\'s table was not in the stored docs copy; an operation belongs to a call whose permission was checked when it was created.',
	}),
	row({
		action: 'contentSharingSession.list', method: 'GET', path: '/communications/calls/{callId}/contentSharingSessions', summary: 'List the content sharing sessions of a call.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, cmdlet: 'Get-MgCommunicationCallContentSharingSession', docPath: 'api-reference/v1.0/api/call-list-contentsharingsessions.md', sourcedFrom: 'permissionPage',
		note: 'Graph\'s permission page lists only the /communications path for contentSharingSessions in beta; the /app/calls alias is served like every other beta calls path.',
	}),
	row({
		action: 'contentSharingSession.get', method: 'GET', path: '/communications/calls/{callId}/contentSharingSessions/{sessionId}', summary: 'Get one content sharing session.',
		leastPrivileged: INITIATE, higherPrivileged: MEDIA, cmdlet: 'Get-MgCommunicationCallContentSharingSession', docPath: 'api-reference/v1.0/api/contentsharingsession-get.md', sourcedFrom: 'permissionPage',
		note: 'Graph\'s permission page lists only the /communications path for contentSharingSessions in beta; the /app/calls alias is served like every other beta calls path.',
	}),
	...(['list', 'create', 'get', 'update', 'delete'] as const).map((verb) => audioRoutingGroupRow(verb)),
];

function audioRoutingGroupRow(verb: 'list' | 'create' | 'get' | 'update' | 'delete'): EndpointRow {
	const shape = {
		list: { method: 'GET', item: false, summary: 'List the audio routing groups of a call.', cmdlet: 'Get-MgCommunicationCallAudioRoutingGroup', doc: 'call-list-audioroutinggroups.md' },
		create: { method: 'POST', item: false, summary: 'Create an audio routing group (who hears whom, app-hosted media).', cmdlet: 'New-MgCommunicationCallAudioRoutingGroup', doc: 'call-post-audioroutinggroups.md' },
		get: { method: 'GET', item: true, summary: 'Get an audio routing group.', cmdlet: 'Get-MgCommunicationCallAudioRoutingGroup', doc: 'audioroutinggroup-get.md' },
		update: { method: 'PATCH', item: true, summary: 'Update an audio routing group.', cmdlet: 'Update-MgCommunicationCallAudioRoutingGroup', doc: 'audioroutinggroup-update.md' },
		delete: { method: 'DELETE', item: true, summary: 'Delete an audio routing group.', cmdlet: 'Remove-MgCommunicationCallAudioRoutingGroup', doc: 'audioroutinggroup-delete.md' },
	}[verb];
	return row({
		action: `audioRoutingGroup.${verb}`,
		method: shape.method as HttpMethod,
		path: `/communications/calls/{callId}/audioRoutingGroups${shape.item ? '/{groupId}' : ''}`,
		summary: shape.summary,
		leastPrivileged: ['Calls.JoinGroupCall.All'],
		higherPrivileged: ['Calls.InitiateGroupCall.All'],
		cmdlet: shape.cmdlet,
		docPath: `api-reference/v1.0/api/${shape.doc}`,
		sourcedFrom: verb === 'delete' ? 'include' : 'metadata',
		note: 'The docs spell the permissions Calls.JoinGroupCalls.All (least) and Calls.InitiateGroupCalls.All (higher); the permissions Entra grants are Calls.JoinGroupCall.All and Calls.InitiateGroupCall.All.',
	});
}

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

/** Every permission that lets the request through: least privileged first, then higher. */
export function permissionsFor(action: CallAction): readonly Permission[] {
	const r = endpointFor(action);
	return r.noRequestCheck ? unique([...r.leastPrivileged, ...r.higherPrivileged, ...ALL_PERMISSIONS]) : unique([...r.leastPrivileged, ...r.higherPrivileged]);
}

/**
 * True when a token with these roles may perform the action: any least- or higher-privileged permission, or,
 * for rows whose permission the docs say is checked only when the call is created, any calls permission.
 */
export function isAllowed(action: CallAction, roles: readonly string[]): boolean {
	const granted = new Set(roles.map((r) => normalizePermission(r)).filter((p): p is Permission => p !== undefined));
	return permissionsFor(action).some((p) => granted.has(p));
}

/**
 * Maps a permission name as the docs or a token spell it onto the canonical name: the docs also write
 * Calls.JoinGroupCalls.All, Calls.JoinGroupCallsasGuest.All, Calls.InitiateGroupCalls.All.
 */
export function normalizePermission(name: string): Permission | undefined {
	const key = name.trim().toLowerCase().replace(/groupcalls/g, 'groupcall');
	return ALL_PERMISSIONS.find((p) => p.toLowerCase() === key);
}

/** `https://learn.microsoft.com/graph/api/<page>?view=graph-rest-1.0|beta` for a row. */
export function docUrlFor(r: Pick<EndpointRow, 'docPath' | 'versions'>, version: ApiVersionName = r.versions.includes('v1.0') ? 'v1.0' : 'beta'): string {
	const page = r.docPath.replace(/^.*\//, '').replace(/\.md$/, '');
	return `https://learn.microsoft.com/graph/api/${page}?view=${version === 'beta' ? 'graph-rest-beta' : 'graph-rest-1.0'}`;
}

/** One concrete route a version serves: the `/communications/calls` path or its beta `/app/calls` alias. */
export interface EndpointRoute {
	readonly row: EndpointRow;
	readonly version: ApiVersionName;
	readonly method: HttpMethod;
	readonly path: string;
	readonly viaAppAlias: boolean;
}

/** Every (version, method, path) the table covers, beta `/app/calls` aliases included. */
export function allRoutes(): EndpointRoute[] {
	const out: EndpointRoute[] = [];
	for (const r of ENDPOINTS) {
		for (const version of r.versions) {
			out.push({ row: r, version, method: r.method, path: r.path, viaAppAlias: false });
			if (version === 'beta' && r.appAlias) out.push({ row: r, version, method: r.method, path: appCallsAlias(r.path), viaAppAlias: true });
		}
	}
	return out;
}

/** The permissions each kind of call needs at creation (the create row's note, as data for the diagnosis). */
export const CREATE_CALL_PERMISSIONS: Readonly<Record<'peerToPeer' | 'pstn' | 'group' | 'joinMeeting' | 'appHostedMedia', readonly Permission[]>> = {
	peerToPeer: ['Calls.Initiate.All'],
	pstn: ['Calls.Initiate.All'],
	group: ['Calls.InitiateGroupCall.All'],
	joinMeeting: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'],
	/** In addition to one of the above. */
	appHostedMedia: ['Calls.AccessMedia.All'],
};

function unique<T>(xs: readonly T[]): T[] {
	return [...new Set(xs)];
}
