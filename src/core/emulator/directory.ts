import type { Permission } from '../schema/endpoints';
import type { AppSetup } from './appSetup';
import { ALL_PERMISSIONS } from '../schema/endpoints';

/**
 * How a simulated person or phone reacts when the bot calls them (or when they are invited or transferred to).
 * `manual` rings until someone tells the emulator what the person does (POST /_emulator/people/{id}/answer or
 * /decline: a softphone panel or a scenario step), or until the ring timeout ends it as unanswered.
 */
export type Behaviour = 'answers' | 'busy' | 'declines' | 'neverAnswers' | 'offline' | 'manual';
export const BEHAVIOURS: readonly Behaviour[] = ['answers', 'busy', 'declines', 'neverAnswers', 'offline', 'manual'];

/**
 * Who bypasses a meeting's lobby: the onlineMeeting's lobbyBypassSettings (resources/lobbybypasssettings.md, v1.0).
 * The emulator applies `scope` to the people and the bot that join the meeting's call.
 */
export type LobbyBypassScope = 'organizer' | 'organization' | 'organizationAndFederated' | 'everyone' | 'invited' | 'organizationExcludingGuests';
export const LOBBY_BYPASS_SCOPES: readonly LobbyBypassScope[] = ['organizer', 'organization', 'organizationAndFederated', 'everyone', 'invited', 'organizationExcludingGuests'];

export interface LobbyBypassSettings {
	scope: LobbyBypassScope;
	/** Whether dial-in (phone) callers always bypass the lobby. */
	isDialInBypassEnabled?: boolean;
}

export interface DirectoryUser {
	id: string;
	displayName: string;
	behaviour: Behaviour;
	/** For `answers`: how long they ring before picking up (emulated milliseconds). */
	answerAfterMs?: number;
}

export interface DirectoryPhone {
	/** E.164, for example +14255550101 */
	id: string;
	displayName: string;
	behaviour: Behaviour;
	answerAfterMs?: number;
}

export interface DirectoryMeeting {
	id: string;
	subject: string;
	joinMeetingId: string;
	passcode?: string;
	/** chatInfo.threadId for organizerMeetingInfo joins. */
	threadId: string;
	organizerId: string;
	/** User ids already in the meeting when the bot joins. */
	participants: string[];
	/** Without it everyone bypasses the lobby (as with scope `everyone`). */
	lobbyBypassSettings?: LobbyBypassSettings;
}

export interface Directory {
	users: DirectoryUser[];
	phones: DirectoryPhone[];
	meetings: DirectoryMeeting[];
}

export interface AppSecret {
	value: string;
	/** ISO date; a secret past it fails with AADSTS7000222. */
	expiresAt?: string;
}

export interface AppRegistration {
	clientId: string;
	displayName: string;
	secrets: AppSecret[];
	/** PEM certificates whose keys may sign client assertions. */
	certificates: string[];
	/** Application permissions consented for the app: they become the token's `roles`. */
	roles: Permission[];
	/** Where incoming-call notifications go (the bot's calling webhook in its Bot Framework registration). */
	callingWebhook?: string;
	/** Consent, tenant and Azure Bot setup; undefined is healthy. */
	setup?: AppSetup;
}

/** Identities of the default tenant and app. Fixed so docs, tests and bot configs can name them. */
export const EMULATOR_TENANT = {
	tenantId: '7f3a1c2e-9b4d-4e8f-a6c5-0d1e2f3a4b5c',
	domain: 'emulator.onmicrosoft.com',
	clientId: '4c1d9e2f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
	clientSecret: 'Emu8Q~local-emulator-secret-not-for-production',
	/** Registered for the default app but expired: token requests with it fail with AADSTS7000222. */
	expiredClientSecret: 'Emu8Q~expired-emulator-secret-not-for-production',
	/** The bot's own application instance (source.identity.applicationInstance for PSTN calls). */
	applicationInstanceId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
	botDisplayName: 'Emulator Bot',
} as const;

/**
 * The default app's Azure Bot, as the emulator's Resource Manager stand-in serves it. Fixed so the doctor can find
 * it for the Emulator profile without asking.
 */
export const EMULATOR_AZURE_BOT = {
	subscriptionId: '5e7a0c1d-2b3c-4d5e-8f90-a1b2c3d4e5f6',
	resourceGroup: 'graph-calls-emulator',
	botName: 'emulator-bot',
} as const;

/** The default directory's named people: tests and docs rely on these ids and behaviours. */
export const EMULATOR_PEOPLE = {
	adele: { id: '0d5e1a6b-0001-4a00-8000-000000000001', displayName: 'Adele Vance', behaviour: 'answers', answerAfterMs: 300 },
	alex: { id: '0d5e1a6b-0002-4a00-8000-000000000002', displayName: 'Alex Wilber', behaviour: 'answers', answerAfterMs: 2000 },
	megan: { id: '0d5e1a6b-0003-4a00-8000-000000000003', displayName: 'Megan Bowen', behaviour: 'busy' },
	lee: { id: '0d5e1a6b-0004-4a00-8000-000000000004', displayName: 'Lee Gu', behaviour: 'declines' },
	nestor: { id: '0d5e1a6b-0005-4a00-8000-000000000005', displayName: 'Nestor Wilke', behaviour: 'neverAnswers' },
	diego: { id: '0d5e1a6b-0006-4a00-8000-000000000006', displayName: 'Diego Siciliani', behaviour: 'offline' },
	lidia: { id: '0d5e1a6b-0007-4a00-8000-000000000007', displayName: 'Lidia Holloway', behaviour: 'answers', answerAfterMs: 100 },
	johanna: { id: '0d5e1a6b-0008-4a00-8000-000000000008', displayName: 'Johanna Lorenz', behaviour: 'answers', answerAfterMs: 500 },
} as const satisfies Record<string, DirectoryUser>;

export const EMULATOR_PHONES = {
	answers: { id: '+14255550101', displayName: 'Reception desk', behaviour: 'answers', answerAfterMs: 400 },
	busy: { id: '+14255550102', displayName: 'Busy line', behaviour: 'busy' },
	neverAnswers: { id: '+14255550103', displayName: 'Unattended phone', behaviour: 'neverAnswers' },
	declines: { id: '+14255550104', displayName: 'Declining caller', behaviour: 'declines' },
} as const satisfies Record<string, DirectoryPhone>;

export const EMULATOR_MEETINGS = {
	weeklySync: {
		id: 'e1000000-0000-4000-8000-000000000001',
		subject: 'Weekly sync',
		joinMeetingId: '1234567890',
		passcode: 'emu123',
		threadId: '19:meeting_ZW11bGF0b3Itd2Vla2x5LXN5bmM@thread.v2',
		organizerId: EMULATOR_PEOPLE.adele.id,
		participants: [EMULATOR_PEOPLE.adele.id, EMULATOR_PEOPLE.alex.id, EMULATOR_PEOPLE.johanna.id],
	},
	standup: {
		id: 'e1000000-0000-4000-8000-000000000002',
		subject: 'Daily stand-up (empty)',
		joinMeetingId: '9876543210',
		threadId: '19:meeting_ZW11bGF0b3Itc3RhbmR1cA@thread.v2',
		organizerId: EMULATOR_PEOPLE.lidia.id,
		participants: [],
	},
	/** A meeting whose lobby holds everyone but its organizer: the bot and people who join wait until admitted. */
	townHall: {
		id: 'e1000000-0000-4000-8000-000000000003',
		subject: 'Town hall (lobby)',
		joinMeetingId: '5550001111',
		threadId: '19:meeting_ZW11bGF0b3ItdG93bmhhbGw@thread.v2',
		organizerId: EMULATOR_PEOPLE.adele.id,
		participants: [EMULATOR_PEOPLE.adele.id],
		lobbyBypassSettings: { scope: 'organizer', isDialInBypassEnabled: false },
	},
} as const;

export function defaultDirectory(): Directory {
	return {
		users: Object.values(EMULATOR_PEOPLE).map((u) => ({ ...u })),
		phones: Object.values(EMULATOR_PHONES).map((p) => ({ ...p })),
		meetings: Object.values(EMULATOR_MEETINGS).map((m): DirectoryMeeting => ({ ...m, participants: [...m.participants], ...('lobbyBypassSettings' in m ? { lobbyBypassSettings: { ...m.lobbyBypassSettings } } : {}) })),
	};
}

export function defaultApp(clientCertPem?: string): AppRegistration {
	return {
		clientId: EMULATOR_TENANT.clientId,
		displayName: EMULATOR_TENANT.botDisplayName,
		secrets: [
			{ value: EMULATOR_TENANT.clientSecret },
			{ value: EMULATOR_TENANT.expiredClientSecret, expiresAt: '2024-01-01T00:00:00Z' },
		],
		certificates: clientCertPem ? [clientCertPem] : [],
		roles: [...ALL_PERMISSIONS],
	};
}

/** Checks a directory loaded from JSON (scenario or control API); throws a message naming the bad entry. */
export function validateDirectory(value: unknown): Directory {
	const d = value as Partial<Directory> | null;
	if (!d || typeof d !== 'object') throw new Error('A directory must be an object with "users", "phones" and "meetings" arrays.');
	const users = d.users ?? [];
	const phones = d.phones ?? [];
	const meetings = d.meetings ?? [];
	for (const [i, u] of [...users, ...phones].entries()) {
		if (!u || typeof u.id !== 'string' || typeof u.displayName !== 'string') throw new Error(`Directory entry ${i} needs a string "id" and "displayName".`);
		if (!BEHAVIOURS.includes(u.behaviour)) throw new Error(`Directory entry "${u.id}" has behaviour "${String(u.behaviour)}": use one of ${BEHAVIOURS.join(', ')}.`);
	}
	for (const m of meetings) {
		if (!m || typeof m.joinMeetingId !== 'string' || typeof m.threadId !== 'string') throw new Error('Each meeting needs a string "joinMeetingId" and "threadId".');
		m.participants ??= [];
		m.id ??= m.joinMeetingId;
		m.subject ??= 'Meeting';
		const lobby = m.lobbyBypassSettings as unknown;
		if (lobby !== undefined && (!lobby || typeof lobby !== 'object' || !LOBBY_BYPASS_SCOPES.includes((lobby as LobbyBypassSettings).scope))) {
			throw new Error(`Meeting "${m.joinMeetingId}" has lobbyBypassSettings without a valid scope: use one of ${LOBBY_BYPASS_SCOPES.join(', ')}.`);
		}
	}
	return { users: [...users], phones: [...phones], meetings: [...meetings] };
}

/** An app without its secrets (control API output). */
export function publicApp(app: AppRegistration): unknown {
	return { clientId: app.clientId, displayName: app.displayName, roles: app.roles, callingWebhook: app.callingWebhook, certificates: app.certificates.length, secrets: app.secrets.length, ...(app.setup ? { setup: app.setup } : {}) };
}
