/**
 * The Graph type model the C# and Python writers use (the SDK table in sdkModelTable.ts) and the SDKs' naming:
 * which class a property holds, which values are enums, and how the SDKs name request builders and bodies.
 * Anything not modelled falls back to AdditionalData / additional_data, as the docs' snippet generator does.
 */
import type { CallAction, EndpointRow } from '../../schema/endpoints';
import { SDK_ENUMS, SDK_MODELS, SDK_REQUEST_BODIES } from './sdkModelTable';

export type TypeRef =
	| { readonly kind: 'object'; readonly name: string }
	| { readonly kind: 'enum'; readonly name: string }
	| { readonly kind: 'list'; readonly item: TypeRef }
	/** `name` is the SDK's primitive (`string`, `int`, `bool`, ...) when the model declares one. */
	| { readonly kind: 'primitive'; readonly name?: string };

const obj = (name: string): TypeRef => ({ kind: 'object', name });
const list = (item: TypeRef): TypeRef => ({ kind: 'list', item });
const PRIMITIVE: TypeRef = { kind: 'primitive' };

/** A class the generated code constructs: a model, a request body, or one the table does not know (beta-only). */
export interface ModelClass {
	readonly name: string;
	/** JSON name -> SDK type; undefined for a class outside the table (every property is written as it is). */
	readonly props?: Readonly<Record<string, string>>;
}

export function modelClass(name: string): ModelClass {
	return { name, props: SDK_MODELS[name]?.props };
}

function declaredType(type: string): TypeRef {
	if (type.endsWith('[]')) return list(declaredType(type.slice(0, -2)));
	if (SDK_MODELS[type]) return obj(type);
	if (SDK_ENUMS[type]) return { kind: 'enum', name: type };
	return { kind: 'primitive', name: type };
}

/** Primitives a JSON literal can be written as in C# and Python without a conversion. */
const NUMBER_TYPES = new Set(['int', 'long', 'double', 'float', 'decimal']);

/** Whether `value` can be written as `type` (anything else goes to AdditionalData, where it stays exact JSON). */
function fits(value: unknown, type: TypeRef): boolean {
	if (value === null) return true;
	switch (type.kind) {
		case 'list':
			return Array.isArray(value) && value.every((v) => v !== null && fits(v, type.item));
		case 'object':
			return typeof value === 'object' && !Array.isArray(value);
		case 'enum':
			return typeof value === 'string' && SDK_ENUMS[type.name].includes(value);
		default:
			if (type.name === 'string') return typeof value === 'string';
			if (type.name === 'bool') return typeof value === 'boolean';
			if (type.name === 'int' || type.name === 'long') return typeof value === 'number' && Number.isInteger(value);
			if (type.name && NUMBER_TYPES.has(type.name)) return typeof value === 'number';
			// Dates, GUIDs, byte arrays: a JSON string is no value of those types in the SDKs.
			return type.name === undefined;
	}
}

/**
 * The type `prop` is written with in `cls`, or undefined when it must go to AdditionalData: the class has no such
 * property, or the value does not fit the property's type.
 */
export function propertyType(cls: ModelClass, prop: string, value: unknown): TypeRef | undefined {
	if (!cls.props) return typeOf(prop, value);
	const declared = cls.props[prop];
	if (declared === undefined) return undefined;
	const type = declaredType(declared);
	return fits(value, type) ? type : undefined;
}

/** Whether `name` is `base` or derives from it. */
export function derivesFrom(name: string, base: string): boolean {
	for (let n: string | undefined = name; n; n = SDK_MODELS[n]?.base) if (n === base) return true;
	return false;
}

/**
 * The class to construct for an object value: its `@odata.type` when the SDK has that class and it fits the declared
 * type, else the declared class. Undefined without either (a plain dictionary).
 */
export function classOf(value: unknown, type: TypeRef): ModelClass | undefined {
	const odata = odataClass(value);
	const declared = type.kind === 'object' ? type.name : undefined;
	if (odata && SDK_MODELS[odata] && (!declared || !SDK_MODELS[declared] || derivesFrom(odata, declared))) return modelClass(odata);
	if (declared) return modelClass(declared);
	// Outside the table (a beta-only class) the @odata.type still names the class.
	return odata && !SDK_MODELS[odata] && !SDK_ENUMS[odata] ? { name: odata } : undefined;
}

/** Fallback for classes outside the table: the type the first table class with a property of that name gives it. */
const TYPE_BY_NAME: ReadonlyMap<string, string> = (() => {
	const m = new Map<string, string>();
	for (const t of [...Object.values(SDK_REQUEST_BODIES), ...Object.values(SDK_MODELS)]) for (const [k, v] of Object.entries(t.props)) if (!m.has(k)) m.set(k, v);
	return m;
})();

/** The type of a property of a class outside the table, refined by the value's `@odata.type`. */
export function typeOf(prop: string, value: unknown): TypeRef {
	const odata = odataClass(value);
	if (odata) return obj(odata);
	const known = TYPE_BY_NAME.get(prop);
	const declared = known ? declaredType(known) : undefined;
	if (declared && fits(value, declared)) return declared;
	return Array.isArray(value) ? list(PRIMITIVE) : PRIMITIVE;
}

/** The type of a value in AdditionalData: its `@odata.type` class when the SDK has one, else plain JSON. */
export function untypedOf(value: unknown): TypeRef {
	const odata = odataClass(value);
	if (odata && SDK_MODELS[odata]) return obj(odata);
	return Array.isArray(value) ? list(PRIMITIVE) : PRIMITIVE;
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
export function bodyClass(row: EndpointRow): (ModelClass & { segments: readonly string[] }) | undefined {
	if (row.action === 'call.create') return { ...modelClass('Call'), segments: [] };
	if (row.action === 'audioRoutingGroup.create' || row.action === 'audioRoutingGroup.update') return { ...modelClass('AudioRoutingGroup'), segments: [] };
	if (row.method !== 'POST') return undefined;
	const segs = pathSegments(row);
	const last = segs[segs.length - 1];
	const segments = segs.map((s) => s.name);
	// The table is the v1.0 SDK's. The beta SDK's classes have at least those properties, so the same code is right
	// there (a beta-only property goes to AdditionalData); a beta-only body keeps its properties as they are.
	const known = SDK_REQUEST_BODIES[segments.map(pascal).join('.')];
	return { name: known?.name ?? `${pascal(last.name)}PostRequestBody`, props: known?.props, segments };
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
