import { createHash } from 'node:crypto';
import { defaultDirectory, type Behaviour, type Directory, type DirectoryMeeting, type DirectoryPhone, type DirectoryUser } from '../emulator';
import { parseDuration, type Party } from './scenarioModel';

const E164 = /^\+[1-9]\d{5,14}$/;

export interface PersonSpec {
	behaviour?: Behaviour;
	answerAfter?: string | number;
	displayName?: string;
}

/**
 * The emulator's directory as a scenario sees it: people are named by first name ("adele"), display name
 * ("Adele Vance"), user id, or E.164 number, case-insensitively.
 */
export class People {
	readonly directory: Directory = defaultDirectory();

	private findUser(name: string): DirectoryUser | undefined {
		const n = name.trim().toLowerCase();
		return this.directory.users.find((u) => u.id.toLowerCase() === n || u.displayName.toLowerCase() === n || u.displayName.split(' ')[0].toLowerCase() === n);
	}

	private findPhone(name: string): DirectoryPhone | undefined {
		const n = name.trim().toLowerCase();
		return this.directory.phones.find((p) => p.id === name.trim() || p.displayName.toLowerCase() === n);
	}

	findMeeting(name: string): DirectoryMeeting | undefined {
		const n = name.trim().toLowerCase();
		return this.directory.meetings.find((m) => m.subject.toLowerCase() === n || m.joinMeetingId === n || m.threadId.toLowerCase() === n || m.id === n);
	}

	/** Applies one `people:` entry: changes a known person or phone, or adds a new one. */
	apply(name: string, spec: PersonSpec | Behaviour): void {
		const s: PersonSpec = typeof spec === 'string' ? { behaviour: spec } : spec;
		const answerAfterMs = s.answerAfter !== undefined ? parseDuration(s.answerAfter) : undefined;
		const existing = this.findUser(name) ?? this.findPhone(name);
		if (existing) {
			if (s.behaviour) existing.behaviour = s.behaviour;
			if (answerAfterMs !== undefined) existing.answerAfterMs = answerAfterMs;
			if (s.displayName) existing.displayName = s.displayName;
			return;
		}
		const entry = { displayName: s.displayName ?? name, behaviour: s.behaviour ?? 'answers', ...(answerAfterMs !== undefined ? { answerAfterMs } : {}) };
		if (E164.test(name.trim())) this.directory.phones.push({ id: name.trim(), ...entry });
		else this.directory.users.push({ id: stableUserId(name), ...entry });
	}

	/** A person or phone the scenario names, or undefined when the directory has nobody by that name. */
	resolve(name: string): Party | undefined {
		const u = this.findUser(name);
		if (u) return { userId: u.id, label: u.displayName };
		const p = this.findPhone(name);
		if (p) return { phone: p.id, label: `${p.displayName} (${p.id})` };
		return undefined;
	}

	/** For "unknown person" messages: the names a scenario can use. */
	knownNames(): string {
		return [...this.directory.users.map((u) => u.displayName.split(' ')[0].toLowerCase()), ...this.directory.phones.map((p) => p.id)].join(', ');
	}
}

/** A new person gets a user id derived from their name, so the same scenario always gives the same id. */
function stableUserId(name: string): string {
	const h = createHash('sha256').update(name.trim().toLowerCase()).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
