import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ENDPOINTS, type Permission } from '../schema/endpoints';
import type { Behaviour } from '../emulator';
import { SchemaChecker } from './scenarioSchema';
import { People, type PersonSpec } from './scenarioPeople';
import { formatDuration, parseDuration, ScenarioFileError, type BotConfig, type Expectation, type ExpectKind, type Invitation, type Party, type Scenario, type ScenarioProblem, type ScenarioStep, type WorldAction } from './scenarioModel';

/** Defaults a scenario can change: see docs/scenario-tests.md. */
export const SCENARIO_DEFAULTS = { timeoutMs: 60_000, botStartTimeoutMs: 15_000, callbackPath: '/api/calling' } as const;

interface RawBot { command?: string; cwd?: string; env?: Record<string, string>; url?: string; callbackPath?: string; startTimeout?: string | number }
interface RawScenario {
	name?: string;
	description?: string;
	bot?: RawBot;
	clock?: number;
	timeout?: string | number;
	permissions?: Permission[];
	people?: Record<string, PersonSpec | Behaviour>;
	call?: { from?: string; group?: string[]; meeting?: string; lobby?: boolean; recording?: string };
	steps: Record<string, unknown>[];
}

/** Reads YAML (or JSON) keeping node positions, so every problem can name its line. */
export function parseYaml(text: string, file: string): { doc: Document; lines: LineCounter; problems: ScenarioProblem[] } {
	const lines = new LineCounter();
	const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
	const problems: ScenarioProblem[] = [...doc.errors, ...doc.warnings].map((e) => {
		const p = lines.linePos(e.pos[0]);
		return { file, line: p.line, column: p.col, message: e.message.replace(/ at line \d+, column \d+.*$/s, '') };
	});
	return { doc, lines, problems };
}

/** A `bot:` mapping (from a scenario or a config file) with its paths resolved against that file. */
export function botFromRaw(raw: RawBot, file: string): BotConfig {
	return {
		command: raw.command,
		cwd: path.resolve(path.dirname(file), raw.cwd ?? '.'),
		env: { ...raw.env },
		url: raw.url,
		callbackPath: raw.callbackPath ?? SCENARIO_DEFAULTS.callbackPath,
		startTimeoutMs: raw.startTimeout !== undefined ? parseDuration(raw.startTimeout) : SCENARIO_DEFAULTS.botStartTimeoutMs,
		source: file,
	};
}

/** Parses and checks a scenario; problems (with lines) instead of a scenario when anything is wrong. */
export function parseScenario(text: string, file: string): { scenario?: Scenario; problems: readonly ScenarioProblem[] } {
	const { doc, lines, problems } = parseYaml(text, file);
	if (problems.length) return { problems };
	const value = doc.toJS() as unknown;
	const checker = new SchemaChecker(file, doc, lines);
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		checker.report([], 'a scenario is a mapping with at least "steps" (see docs/scenario-tests.md)');
		return { problems: checker.problems };
	}
	if (!checker.check(value)) return { problems: checker.problems };
	const raw = value as RawScenario;
	const people = new People();
	for (const [name, spec] of Object.entries(raw.people ?? {})) people.apply(name, spec);

	const resolve = (p: (string | number)[], name: string): Party | undefined => {
		const party = people.resolve(name);
		if (!party) checker.report(p, `nobody called "${name}" in the emulator's directory: use ${people.knownNames()}, or add them under "people"`);
		return party;
	};

	let incoming: Party | undefined;
	let invitation: Invitation | undefined;
	if (raw.call) {
		const c = raw.call;
		const from = c.from !== undefined ? resolve(['call', 'from'], c.from) : undefined;
		const members = (c.group ?? []).map((name, i) => resolve(['call', 'group', i], name)).filter((x): x is Party => !!x);
		const meeting = c.meeting !== undefined ? people.findMeeting(c.meeting) : undefined;
		if (c.meeting !== undefined && !meeting) checker.report(['call', 'meeting'], `no meeting "${c.meeting}" in the emulator's directory: use ${people.directory.meetings.map((m) => `"${m.subject}"`).join(', ')} or a joinMeetingId`);
		if (c.lobby !== undefined && c.meeting === undefined) checker.report(['call', 'lobby'], 'a lobby belongs to a meeting: add "meeting"');
		if (meeting && c.lobby === true) meeting.lobbyBypassSettings = { scope: 'organizer', isDialInBypassEnabled: false };
		if (meeting && c.lobby === false) delete meeting.lobbyBypassSettings;
		if (from?.phone && (c.recording !== undefined || c.meeting !== undefined || c.group)) {
			checker.report(['call', 'from'], 'only a Teams user invites the bot into a group call or meeting, or is under a recording policy: "from" must be a person, not a phone number');
		}
		if (c.recording !== undefined) {
			if (c.from === undefined) checker.report(['call'], 'missing "from": the person under the recording policy');
			else if (from) invitation = { kind: 'recording', from, members };
		} else if (meeting) {
			if (from) invitation = { kind: 'meeting', from, members, meetingJoinId: meeting.joinMeetingId };
		} else if (c.group) {
			const inviter = from ?? members[0];
			if (!inviter) checker.report(['call', 'group'], 'a group call needs people: the first one invites the bot');
			else invitation = { kind: 'group', from: inviter, members: members.filter((m) => m !== inviter) };
		} else if (from) {
			incoming = from;
		} else if (c.from === undefined) {
			checker.report(['call'], 'missing "from": who calls the bot');
		}
	}

	const steps: ScenarioStep[] = [];
	let callKnown = raw.call !== undefined;
	raw.steps.forEach((s, i) => {
		const p = ['steps', i];
		const line = checker.lineOf(p);
		if ('expect' in s) {
			const e = expectation(s, p, checker, people, resolve);
			if (e) steps.push({ index: i, line, title: expectTitle(e), expect: e });
			if (s.expect === 'create') callKnown = true;
			return;
		}
		const w = worldAction(s, p, checker, resolve);
		if (!w) return;
		if (w.kind !== 'wait' && !callKnown) checker.report(p, `"${Object.keys(s)[0]}" needs a call: add "call: { from: ... }" or an "expect: create" step before it`);
		steps.push({ index: i, line, title: worldTitle(w), world: w });
	});

	if (checker.problems.length) return { problems: checker.problems };
	return {
		problems: [],
		scenario: {
			file,
			name: raw.name ?? path.basename(file).replace(/\.ya?ml$/i, ''),
			description: raw.description,
			bot: raw.bot ? botFromRaw(raw.bot, file) : undefined,
			clockRate: raw.clock ?? 1,
			timeoutMs: raw.timeout !== undefined ? parseDuration(raw.timeout) : SCENARIO_DEFAULTS.timeoutMs,
			permissions: raw.permissions,
			directory: people.directory,
			incoming,
			invitation,
			steps,
		},
	};
}

function worldAction(s: Record<string, unknown>, p: (string | number)[], checker: SchemaChecker, resolve: (p: (string | number)[], name: string) => Party | undefined): WorldAction | undefined {
	if ('press' in s) return { kind: 'press', keys: String(s.press) };
	if ('hangUp' in s) return { kind: 'hangUp' };
	if ('hold' in s) return { kind: 'hold' };
	if ('resume' in s) return { kind: 'resume' };
	if ('wait' in s) return { kind: 'wait', ms: parseDuration(s.wait as string | number) };
	for (const kind of ['join', 'leave', 'mute', 'unmute', 'answer', 'decline'] as const) {
		if (!(kind in s)) continue;
		const who = resolve([...p, kind], String(s[kind]));
		if (who?.phone && kind !== 'answer' && kind !== 'decline' && kind !== 'leave') {
			checker.report([...p, kind], `${kind} takes a person: the emulator's control API cannot make a phone number ${kind}`);
			return undefined;
		}
		return who && { kind, who };
	}
	if ('admit' in s) {
		if (String(s.admit).toLowerCase() === 'bot') return { kind: 'admit' };
		const who = resolve([...p, 'admit'], String(s.admit));
		return who && { kind: 'admit', who };
	}
	return undefined;
}

function expectation(s: Record<string, unknown>, p: (string | number)[], checker: SchemaChecker, people: People, resolve: (p: (string | number)[], name: string) => Party | undefined): Expectation | undefined {
	const kind = s.expect as ExpectKind;
	let to: Expectation['to'];
	if (typeof s.to === 'string') {
		const meeting = kind === 'create' ? people.findMeeting(s.to) : undefined;
		to = meeting ? { label: `meeting "${meeting.subject}"`, meetingIds: [meeting.joinMeetingId, meeting.threadId] } : resolve([...p, 'to'], s.to);
		if (!to) return undefined;
	}
	if (kind === 'request' && !ENDPOINTS.some((r) => r.action === s.action)) {
		checker.report([...p, 'action'], `no action "${String(s.action)}" in the endpoint table: use one such as call.updateRecordingStatus or participant.mute`);
		return undefined;
	}
	return {
		kind,
		withinMs: s.within !== undefined ? parseDuration(s.within as string | number) : undefined,
		modalities: s.modalities as string[] | undefined,
		uri: s.uri as string | undefined,
		reason: s.reason as string | undefined,
		to,
		tones: s.tones as string | undefined,
		everyMs: s.every !== undefined ? parseDuration(s.every as string | number) : undefined,
		action: s.action as string | undefined,
		body: s.body as Record<string, unknown> | undefined,
		state: s.state as string | undefined,
		result: s.result as string | undefined,
	};
}

function worldTitle(w: WorldAction): string {
	switch (w.kind) {
		case 'press': return `caller presses ${w.keys}`;
		case 'hangUp': return 'caller hangs up';
		case 'hold': return 'caller puts the bot on hold';
		case 'resume': return 'caller resumes the call';
		case 'join': return `${w.who.label} joins`;
		case 'leave': return `${w.who.label} leaves`;
		case 'mute': return `${w.who.label} mutes themself`;
		case 'unmute': return `${w.who.label} unmutes themself`;
		case 'answer': return `${w.who.label} answers`;
		case 'decline': return `${w.who.label} declines`;
		case 'admit': return `${w.who?.label ?? 'the bot'} is admitted from the lobby`;
		case 'wait': return `${formatDuration(w.ms)} pass`;
	}
}

const VERBS: Record<ExpectKind, string> = {
	answer: 'bot answers', reject: 'bot rejects', redirect: 'bot redirects', playPrompt: 'bot plays a prompt', recordResponse: 'bot records a response',
	subscribeToTone: 'bot subscribes to tones', sendDtmfTones: 'bot sends DTMF tones', transfer: 'bot transfers', invite: 'bot invites', hangUp: 'bot hangs up',
	create: 'bot makes a call', mute: 'bot mutes itself', unmute: 'bot unmutes itself', keepAlive: 'bot keeps the call alive', request: 'bot sends', state: 'call reaches',
};

export function expectTitle(e: Expectation): string {
	const parts = [VERBS[e.kind]];
	if (e.kind === 'request') parts.push(e.action ?? '');
	if (e.kind === 'state') parts.push(e.state ?? '', e.result ?? '');
	if (e.modalities) parts.push(`with ${e.modalities.join(', ')}`);
	if (e.reason) parts.push(`(${e.reason})`);
	if (e.uri) parts.push(e.uri);
	if (e.tones) parts.push(e.tones);
	if (e.to) parts.push(`to ${e.to.label}`);
	if (e.everyMs !== undefined) parts.push(`at least every ${formatDuration(e.everyMs)}`);
	if (e.withinMs !== undefined) parts.push(`within ${formatDuration(e.withinMs)}`);
	return parts.filter(Boolean).join(' ');
}

/** Reads and checks a scenario file; throws ScenarioFileError with every problem and its line. */
export function loadScenarioFile(file: string): Scenario {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (err) {
		throw new ScenarioFileError([{ file, line: 1, column: 1, message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }]);
	}
	const { scenario, problems } = parseScenario(text, file);
	if (!scenario) throw new ScenarioFileError(problems);
	return scenario;
}
