import type { CallRecord, EmulatedIdentitySet, EmulatedParticipant } from './callModel';
import type { CallTable } from './callTable';
import type { DirectoryMeeting } from './directory';
import { GraphHttpError } from './http';
import type { Roster } from './roster';

/** Who knocks on a meeting's door. */
export type Entrant = { kind: 'bot' } | { kind: 'user'; userId: string } | { kind: 'guest' } | { kind: 'phone' };

/**
 * A meeting's lobby. What the docs say, and where:
 * - The participant resource has `isInLobby` ("true if the participant is in lobby", resources/participant.md).
 * - A bot joining a meeting "might be put in lobby waiting to be admitted by a user. This is defined by the
 *   isInLobby property", and "the application will not receive the roster for participants in the meeting until
 *   it's admitted from lobby" (application-post-calls.md, the "join channel meeting as guest" example, whose
 *   roster notification lists only the bot, with isInLobby true).
 * - Who bypasses the lobby is the meeting's lobbyBypassSettings (resources/lobbybypasssettings.md).
 * - Graph v1.0 has no action for a bot to admit someone (the participant methods are list, get, delete, invite,
 *   mute, startHoldMusic and stopHoldMusic: resources/participant.md; a microsoft-graph-comms-samples thread,
 *   "Lobby admission - can a bot admit another participant through the lobby",
 *   asks for one). People in the meeting admit; in the emulator that is the control API's admit.
 * Not documented, so chosen here: the bot's call reaches `established` while it waits (the lobby is signalled by
 * isInLobby, not by the call state), a bot bypasses only a lobby with scope `everyone` (the comms-samples thread "Lobby rules - breaking through the lobby with a guest identity"
 * found the same for guest and app identities), and nobody is turned out of the lobby after a while.
 */
export class Lobby {
	constructor(private readonly table: CallTable, private readonly roster: Roster) {}

	/** True when the meeting's lobbyBypassSettings let this entrant straight in. */
	bypasses(meeting: DirectoryMeeting, who: Entrant): boolean {
		const settings = meeting.lobbyBypassSettings;
		if (!settings || settings.scope === 'everyone') return true;
		if (who.kind === 'phone') return settings.isDialInBypassEnabled === true;
		if (who.kind !== 'user') return false;
		const id = who.userId.toLowerCase();
		if (id === meeting.organizerId.toLowerCase()) return true;
		switch (settings.scope) {
			case 'organizer': return false;
			case 'invited': return meeting.participants.some((p) => p.toLowerCase() === id);
			// The directory's people are all members of the emulator's tenant.
			default: return this.table.directory.users.some((u) => u.id.toLowerCase() === id);
		}
	}

	/**
	 * The bot arrives in the meeting: established, with only itself in the roster and isInLobby true, when the
	 * lobby holds it (false when it gets straight in and the caller builds the roster as usual).
	 */
	holdBot(call: CallRecord, meeting: DirectoryMeeting, others: readonly string[]): boolean {
		if (this.bypasses(meeting, { kind: 'bot' })) return false;
		const bot = call.participants.get(call.botParticipantId) ?? this.roster.botParticipant(call);
		bot.isInLobby = true;
		call.participants.set(bot.id, bot);
		call.lobbyPending = [...others];
		this.table.setState(call, 'established');
		this.table.notify.roster(call);
		return true;
	}

	/** A person in the meeting lets a participant (the bot or a person) in from the lobby. */
	admit(call: CallRecord, participantId: string): EmulatedParticipant {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], 'admit');
		const p = call.participants.get(participantId.toLowerCase()) ?? call.participants.get(participantId);
		if (!p) throw new GraphHttpError(404, 'itemNotFound', `Participant ${participantId.slice(0, 64)} is not in call ${call.id}.`);
		if (!p.isInLobby) throw new GraphHttpError(409, 'NotInLobby', `Participant ${p.id} is not in the lobby: nothing to admit.`);
		p.isInLobby = false;
		if (p.id === call.botParticipantId) {
			for (const userId of call.lobbyPending ?? []) {
				if (![...call.participants.values()].some((x) => x.info.identity.user?.id === userId)) this.roster.add(call, this.roster.userParticipant(userId), false);
			}
			call.lobbyPending = undefined;
		}
		this.table.notify.roster(call);
		return p;
	}

	/** Someone joins the meeting's call: in the lobby unless they bypass it. While the bot waits there, it sees nobody. */
	enter(call: CallRecord, meeting: DirectoryMeeting, participant: EmulatedParticipant): void {
		const identity: EmulatedIdentitySet = participant.info.identity;
		const who: Entrant = identity.user ? { kind: 'user', userId: String(identity.user.id) } : identity.phone ? { kind: 'phone' } : { kind: 'guest' };
		participant.isInLobby = !this.bypasses(meeting, who);
		if (call.participants.get(call.botParticipantId)?.isInLobby) {
			// The bot sees nobody until it is admitted; then it finds the people who came meanwhile in the meeting.
			if (identity.user) call.lobbyPending = [...(call.lobbyPending ?? []), String(identity.user.id)];
			return;
		}
		this.roster.add(call, participant, true);
	}
}
