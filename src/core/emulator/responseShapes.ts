/**
 * Response bodies with the properties the Graph v1.0 docs show as null when a call or participant has no value for them
 * (application-post-calls.md, call-get.md, call-list-participants.md, participant-get.md, participant-invite.md):
 * a client that reads `call.chatInfo` gets null, as from Graph, not undefined. The stored resource stays as it is;
 * only what goes over the wire is filled in.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

function defaults(target: Json, values: Json): Json {
	const out = { ...target };
	for (const [k, v] of Object.entries(values)) if (out[k] === undefined) out[k] = v;
	return out;
}

function identitySet(identity: unknown): unknown {
	return isObject(identity) ? defaults(identity, { '@odata.type': '#microsoft.graph.identitySet' }) : identity;
}

function participantInfo(info: unknown, extra: Json): unknown {
	if (!isObject(info)) return info;
	return { ...defaults(info, extra), identity: identitySet(info.identity) };
}

/** A call body: the documented nullable members present, source and targets with theirs. */
export function withDocumentedNulls(call: object): Json {
	const c = defaults(call as Json, {
		subject: null, ringingTimeoutInSeconds: null, resultInfo: null, answeredBy: null, chatInfo: null, meetingInfo: null, transcription: null,
		toneInfo: null, terminationReason: null, meetingCapability: null, callRoutes: [], activeModalities: [], routingPolicies: [],
	});
	c.source = participantInfo(c.source, { countryCode: null, endpointType: null, region: null, languageId: null });
	if (Array.isArray(c.targets)) c.targets = c.targets.map((t) => participantInfo(t, { endpointType: null, replacesCallId: null, region: null, languageId: null }));
	if (isObject(c.chatInfo)) c.chatInfo = defaults(c.chatInfo, { replyChainMessageId: null });
	return c;
}

/**
 * A participant body (list, get and roster notifications). `isOnHold` is the emulator's own note of hold music
 * (participant.md, v1.0, has no such property; the held participant's streams go inactive, which is what Graph shows).
 */
export function participantBody(participant: object): Json {
	const { isOnHold: _held, ...shown } = participant as Json;
	const p = defaults(shown, { metadata: null });
	p.info = participantInfo(p.info, { id: null, region: null });
	if (Array.isArray(p.mediaStreams)) p.mediaStreams = p.mediaStreams.map((s) => (isObject(s) ? defaults(s, { label: null }) : s));
	return p;
}

/** An inviteParticipantsOperation body: each invitee's endpointType and participant id are null until it joins. */
export function inviteOperationBody(op: object): Json {
	const o = { ...(op as Json) };
	if (Array.isArray(o.participants)) o.participants = o.participants.map((p) => (isObject(p) ? defaults(p, { endpointType: null, id: null }) : p));
	return o;
}
