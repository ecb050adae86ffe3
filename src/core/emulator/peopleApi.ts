import type { CallRecord } from './callModel';
import { EMULATOR_TENANT } from './directory';
import { badRequest, GraphHttpError, jsonBody, type Reply, type RequestContext } from './http';
import type { InvitationTarget, PartyRef } from './invitations';
import { PeopleWorld } from './people';
import type { CallEngine } from './callEngine';
import type { AppRegistration } from './directory';

/** What these routes need of the emulator (a subset of the control API's PeopleControl). */
interface PeopleControl {
	readonly engine: CallEngine;
	app(clientId: string): AppRegistration;
	incomingCall(input: { from: { userId?: string; phone?: string }; callbackUri?: string; appId?: string }): CallRecord;
}

type Add = (method: string, path: string, summary: string, h: (ctx: RequestContext) => Reply | Promise<Reply>) => void;

const ok = (body: unknown): Reply => ({ status: 200, body });

function optionalString(b: Record<string, unknown>, key: string, max = 128): string | undefined {
	const v = b[key];
	if (v === undefined) return undefined;
	if (typeof v !== 'string' || !v || v.length > max) throw badRequest(`${key} must be a non-empty string of at most ${max} characters.`);
	return v;
}

function party(value: unknown, what: string): PartyRef {
	if (typeof value === 'string') return value.startsWith('+') ? { phone: value } : { userId: value };
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest(`${what} must be a user id, an E.164 number, or {"userId"} / {"phone"}.`);
	const { userId, phone } = value as Record<string, unknown>;
	if (userId !== undefined && (typeof userId !== 'string' || userId.length > 128)) throw badRequest(`${what}.userId must be a string.`);
	if (phone !== undefined && (typeof phone !== 'string' || phone.length > 32)) throw badRequest(`${what}.phone must be an E.164 string.`);
	return { userId: userId as string | undefined, phone: phone as string | undefined };
}

function parties(value: unknown, what: string): PartyRef[] {
	if (value === undefined) return [];
	if (!Array.isArray(value)) throw badRequest(`${what} must be an array of user ids or E.164 numbers.`);
	if (value.length > 20) throw badRequest(`${what} names at most 20 people; this one has ${value.length}.`);
	return value.map((v, i) => party(v, `${what}[${i}]`));
}

/** The app and callback an invitation goes to, as for POST /_emulator/incomingCall. */
function target(emu: PeopleControl, b: Record<string, unknown>): InvitationTarget {
	const app = emu.app(optionalString(b, 'appId') ?? EMULATOR_TENANT.clientId);
	const callbackUri = optionalString(b, 'callbackUri', 2048) ?? app.callingWebhook;
	if (!callbackUri) throw badRequest(`Nowhere to send the invitation: pass "callbackUri" or set the app's calling webhook (PUT /_emulator/apps/${app.clientId}).`);
	return { appId: app.clientId, tenantId: EMULATOR_TENANT.tenantId, callbackUri };
}

const created = (c: CallRecord): Reply => ({ status: 201, body: { callId: c.id, call: c.resource } });

/** The people's side of the control API: what a softphone panel and the scenario runner both use. */
export function addPeopleRoutes(emu: PeopleControl, add: Add): void {
	const people = () => emu.engine.people;
	const callOf = (ctx: RequestContext) => emu.engine.get(ctx.params.callId);

	add('GET', '/_emulator/people', 'Every person and phone with what rings for them and their calls (as GET /_emulator/people/{personId}).', () => ok({ value: people().list() }));
	add('GET', '/_emulator/people/{personId}', 'One person (user id or E.164 number): what rings for them (ringId, callId, reason call|invite|transfer) and their calls with state, duration, mute, lobby, hold and what the bot does to them (prompt URI, recordResponse, recording status, tones subscribed, transfer).', (ctx) => ok(people().view(ctx.params.personId)));
	add('PATCH', '/_emulator/people/{personId}', 'Change how the person reacts when called: {"behaviour": "answers"|"busy"|"declines"|"neverAnswers"|"offline"|"manual"} ("manual" rings until answered or declined here).', (ctx) => ok(people().setBehaviour(ctx.params.personId, jsonBody(ctx).behaviour)));
	add('POST', '/_emulator/people/{personId}/answer', 'A person whose phone rings answers: {"ringId"?} (default: the oldest ring). For people with behaviour "manual".', (ctx) => ok(people().answer(ctx.params.personId, optionalString(jsonBody(ctx), 'ringId'))));
	add('POST', '/_emulator/people/{personId}/decline', 'A person whose phone rings declines: {"ringId"?}.', (ctx) => ok(people().decline(ctx.params.personId, optionalString(jsonBody(ctx), 'ringId'))));
	add('POST', '/_emulator/people/{personId}/call', 'The person calls the bot (as POST /_emulator/incomingCall): {"callbackUri"?, "appId"?}.', (ctx) => {
		const who = people().person(ctx.params.personId);
		const b = jsonBody(ctx);
		const c = emu.incomingCall({ from: who.kind === 'user' ? { userId: who.id } : { phone: who.id }, callbackUri: optionalString(b, 'callbackUri', 2048), appId: optionalString(b, 'appId') });
		return created(c);
	});
	add('POST', '/_emulator/people/{personId}/mute', 'The person mutes their own microphone: {"callId"?} (default: every call they are in). isMuted true; a roster notification in group calls.', (ctx) => ok({ value: people().setMuted(ctx.params.personId, true, optionalString(jsonBody(ctx), 'callId')) }));
	add('POST', '/_emulator/people/{personId}/unmute', 'The person unmutes themself: {"callId"?}.', (ctx) => ok({ value: people().setMuted(ctx.params.personId, false, optionalString(jsonBody(ctx), 'callId')) }));
	add('POST', '/_emulator/people/{personId}/hangUp', 'The person hangs up or leaves: {"callId"?}. A 1:1 call ends (200/4521, 200/540000 for a phone); a group call or meeting goes on without them.', (ctx) => ok(people().hangUp(ctx.params.personId, optionalString(jsonBody(ctx), 'callId'))));
	add('POST', '/_emulator/people/{personId}/joinMeeting', 'The person joins a meeting the bot is in: {"joinUrl"} or {"joinMeetingId","passcode"?}; the meeting\'s lobbyBypassSettings may hold them in the lobby (isInLobby).', (ctx) => ({ status: 201, body: people().joinMeeting(ctx.params.personId, jsonBody(ctx)) }));
	add('GET', '/_emulator/meetings', 'The directory\'s meetings with their Teams join URL and lobbyBypassSettings.', () => ok({ value: emu.engine.directory.meetings.map((m) => ({ ...m, joinWebUrl: PeopleWorld.joinUrl(m) })) }));
	add('POST', '/_emulator/calls/{callId}/participants/{participantId}/admit', 'Someone in the meeting admits a participant (a person or the bot) from the lobby. Graph v1.0 has no admit action for bots.', (ctx) => ok(emu.engine.lobby.admit(callOf(ctx), ctx.params.participantId)));
	add('POST', '/_emulator/incomingGroupCall', 'Someone invites the bot into a group call or a meeting: {"from":"userId", "members":["userId"|"+E.164"], "meeting"?: joinMeetingId, "callbackUri"?}. The notification carries chatInfo and meetingInfo.', (ctx) => {
		const b = jsonBody(ctx);
		const to = target(emu, b);
		const meetingId = optionalString(b, 'meeting', 64);
		const meeting = meetingId === undefined ? undefined : emu.engine.directory.meetings.find((m) => m.joinMeetingId === meetingId || m.id === meetingId);
		if (meetingId !== undefined && !meeting) throw new GraphHttpError(404, 'itemNotFound', `No meeting ${meetingId}: GET /_emulator/meetings lists them.`);
		const from = b.from === undefined && meeting ? { userId: meeting.organizerId } : party(b.from, 'from');
		return created(emu.engine.invitations.groupCall(to, from, parties(b.members, 'members'), meeting));
	});
	add('POST', '/_emulator/recordingInvitation', 'A compliance recording policy invites the bot: {"userId" (the person under the policy), "with"?: ["userId"|"+E.164"], "policyIdentifier"?, "callbackUri"?}. Answer within 5 s (call-answer.md), with participantCapacity if you like.', (ctx) => {
		const b = jsonBody(ctx);
		const to = target(emu, b);
		const userId = optionalString(b, 'userId');
		if (!userId) throw badRequest('userId is required: the person under the recording policy.');
		return created(emu.engine.invitations.recording(to, { userId }, parties(b.with, 'with'), optionalString(b, 'policyIdentifier', 256)));
	});
}
