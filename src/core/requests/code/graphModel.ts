/**
 * Just enough of the Graph type model to write typed SDK code (C# and Python) for the calls API bodies:
 * which class a property holds, which values are enums, and how the SDKs name request builders and bodies.
 * Anything not modelled falls back to AdditionalData / additional_data, as the docs' snippet generator does.
 */
import type { CallAction, EndpointRow } from '../../schema/endpoints';

export type TypeRef =
	| { readonly kind: 'object'; readonly name: string }
	| { readonly kind: 'enum'; readonly name: string }
	| { readonly kind: 'list'; readonly item: TypeRef }
	| { readonly kind: 'primitive' };

const obj = (name: string): TypeRef => ({ kind: 'object', name });
const en = (name: string): TypeRef => ({ kind: 'enum', name });
const list = (item: TypeRef): TypeRef => ({ kind: 'list', item });
const PRIMITIVE: TypeRef = { kind: 'primitive' };

/** Property name -> declared type, for the properties of the calls API bodies. */
const PROPERTY_TYPES: Readonly<Record<string, TypeRef>> = {
	targets: list(obj('InvitationParticipantInfo')),
	participants: list(obj('InvitationParticipantInfo')),
	transferTarget: obj('InvitationParticipantInfo'),
	transferee: obj('ParticipantInfo'),
	source: obj('ParticipantInfo'),
	identity: obj('IdentitySet'),
	organizer: obj('IdentitySet'),
	user: obj('Identity'),
	application: obj('Identity'),
	device: obj('Identity'),
	mediaConfig: obj('MediaConfig'),
	prompts: list(obj('Prompt')),
	customPrompt: obj('Prompt'),
	mediaInfo: obj('MediaInfo'),
	meetingInfo: obj('MeetingInfo'),
	chatInfo: obj('ChatInfo'),
	callOptions: obj('CallOptions'),
	toneInfo: obj('ToneInfo'),
	resultInfo: obj('ResultInfo'),
	requestedModalities: list(en('Modality')),
	acceptedModalities: list(en('Modality')),
	tones: list(en('Tone')),
	reason: en('RejectReason'),
	status: en('RecordingStatus'),
	role: en('ScreenSharingRole'),
	routingMode: en('RoutingMode'),
	endpointType: en('EndpointType'),
	direction: en('CallDirection'),
};

/** Properties a class really has, where a body commonly carries others (those go to AdditionalData). */
const KNOWN_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
	IdentitySet: ['@odata.type', 'application', 'device', 'user'],
	Identity: ['@odata.type', 'displayName', 'id'],
	// v1.0 organizerMeetingInfo has only `organizer`; allowConversationWithoutHost is beta.
	OrganizerMeetingInfo: ['@odata.type', 'organizer'],
};

/** The declared type of `prop`, refined by the value's `@odata.type` when it has one. */
export function typeOf(prop: string, value: unknown): TypeRef {
	const odata = odataClass(value);
	if (odata) return obj(odata);
	if (Array.isArray(value)) {
		const declared = PROPERTY_TYPES[prop];
		if (value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && declared?.kind === 'list' && declared.item.kind !== 'enum') return list(PRIMITIVE);
		return declared ?? list(PRIMITIVE);
	}
	const declared = PROPERTY_TYPES[prop];
	if (!declared) return PRIMITIVE;
	if (declared.kind === 'object' && (value === null || typeof value !== 'object')) return PRIMITIVE;
	if (declared.kind === 'enum' && typeof value !== 'string') return PRIMITIVE;
	return declared;
}

export function isKnownProperty(className: string, prop: string): boolean {
	const known = KNOWN_PROPERTIES[className];
	return !known || known.includes(prop);
}

/** `#microsoft.graph.mediaPrompt` -> `MediaPrompt`. */
export function odataClass(value: unknown): string | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const t = (value as Record<string, unknown>)['@odata.type'];
	if (typeof t !== 'string') return undefined;
	const m = /^#?microsoft\.graph\.(\w+)$/.exec(t);
	return m ? pascal(m[1]) : undefined;
}

export function pascal(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

export function camel(s: string): string {
	return s.charAt(0).toLowerCase() + s.slice(1);
}

export function snake(s: string): string {
	return s.replace(/@odata\.type/, 'odataType').replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

/** C# property name of a JSON property. */
export function csharpProperty(prop: string): string {
	return prop === '@odata.type' ? 'OdataType' : pascal(prop.replace(/[^A-Za-z0-9_]/g, ''));
}

/** Python attribute name of a JSON property. */
export function pythonProperty(prop: string): string {
	return prop === '@odata.type' ? 'odata_type' : snake(prop);
}

/** Enum member name in both SDKs: `audio` -> `Audio`, `tone1` -> `Tone1`. */
export function enumMember(value: string): string {
	return pascal(value.replace(/[^A-Za-z0-9]/g, ''));
}

/** Path placeholder -> the id names the SDKs use. */
const ID_NAMES: Readonly<Record<string, { csharp: string; python: string; powershell: string }>> = {
	callId: { csharp: 'call-id', python: 'call_id', powershell: 'CallId' },
	participantId: { csharp: 'participant-id', python: 'participant_id', powershell: 'ParticipantId' },
	operationId: { csharp: 'commsOperation-id', python: 'comms_operation_id', powershell: 'CommsOperationId' },
	sessionId: { csharp: 'contentSharingSession-id', python: 'content_sharing_session_id', powershell: 'ContentSharingSessionId' },
	groupId: { csharp: 'audioRoutingGroup-id', python: 'audio_routing_group_id', powershell: 'AudioRoutingGroupId' },
};

export function idNames(param: string): { csharp: string; python: string; powershell: string } {
	return ID_NAMES[param] ?? { csharp: `${param}`, python: snake(param), powershell: pascal(param) };
}

export interface PathSegment {
	readonly name: string;
	/** Set for `{callId}`-style segments. */
	readonly param?: string;
}

export function pathSegments(row: EndpointRow): PathSegment[] {
	return row.path
		.split('/')
		.filter(Boolean)
		.map((seg) => {
			const p = /^\{(\w+)\}$/.exec(seg);
			return p ? { name: 'Item', param: p[1] } : { name: seg };
		});
}

/** The class of the request body and where it lives, for actions that take one. */
export function bodyClass(row: EndpointRow): { name: string; segments: readonly string[] } | undefined {
	if (row.action === 'call.create') return { name: 'Call', segments: [] };
	if (row.action === 'audioRoutingGroup.create' || row.action === 'audioRoutingGroup.update') return { name: 'AudioRoutingGroup', segments: [] };
	if (row.method !== 'POST') return undefined;
	const segs = pathSegments(row);
	const last = segs[segs.length - 1];
	return { name: `${pascal(last.name)}PostRequestBody`, segments: segs.map((s) => s.name) };
}

/** POST actions whose SDK method returns nothing (202/204 or an empty 200). */
const NO_RESULT: ReadonlySet<CallAction> = new Set<CallAction>(['call.answer', 'call.reject', 'call.redirect', 'call.transfer', 'call.keepAlive', 'call.changeScreenSharingRole']);

export function returnsResult(row: EndpointRow): boolean {
	return row.method !== 'DELETE' && !NO_RESULT.has(row.action);
}

/** Name for the body variable in the JavaScript snippets, as the docs name them. */
export function javascriptBodyName(row: EndpointRow): string {
	const overrides: Partial<Record<CallAction, string>> = {
		'call.create': 'call',
		'call.playPrompt': 'playPromptOperation',
		'call.recordResponse': 'recordOperation',
		'call.cancelMediaProcessing': 'cancelMediaProcessingOperation',
		'call.subscribeToTone': 'subscribeToToneOperation',
		'call.sendDtmfTones': 'sendDtmfTonesOperation',
		'call.mute': 'muteParticipantOperation',
		'call.unmute': 'unmuteParticipantOperation',
		'call.updateRecordingStatus': 'updateRecordingStatusOperation',
		'participant.invite': 'inviteParticipantsOperation',
		'participant.mute': 'muteParticipantOperation',
		'participant.startHoldMusic': 'startHoldMusicOperation',
		'participant.stopHoldMusic': 'stopHoldMusicOperation',
		'audioRoutingGroup.create': 'audioRoutingGroup',
		'audioRoutingGroup.update': 'audioRoutingGroup',
	};
	return overrides[row.action] ?? camel(row.action.split('.')[1]);
}

/** Name for the result of a GET in the JavaScript snippets. */
export function javascriptResultName(row: EndpointRow): string {
	const names: Partial<Record<CallAction, string>> = {
		'call.get': 'call',
		'participant.list': 'participants',
		'participant.get': 'participant',
		'operation.get': 'commsOperation',
		'contentSharingSession.list': 'contentSharingSessions',
		'contentSharingSession.get': 'contentSharingSession',
		'audioRoutingGroup.list': 'audioRoutingGroups',
		'audioRoutingGroup.get': 'audioRoutingGroup',
	};
	return names[row.action] ?? 'result';
}
