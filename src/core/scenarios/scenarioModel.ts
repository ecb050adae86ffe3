import type { Directory } from '../emulator';
import type { Permission } from '../schema/endpoints';

/** Where something is in a scenario file (1-based, as editors and `file:line:` messages count). */
export interface SourcePosition {
	readonly line: number;
	readonly column: number;
}

/** One thing wrong with a scenario file, with its place: printed as `file:line: message`. */
export interface ScenarioProblem extends SourcePosition {
	readonly file: string;
	readonly message: string;
}

export function formatProblem(p: ScenarioProblem): string {
	return `${p.file}:${p.line}: ${p.message}`;
}

/** Thrown when a scenario (or a bot config) cannot be used; carries every problem found, not just the first. */
export class ScenarioFileError extends Error {
	constructor(readonly problems: readonly ScenarioProblem[]) {
		super(problems.map(formatProblem).join('\n'));
		this.name = 'ScenarioFileError';
	}
}

/** The bot under test: a command to start, or the callback URL of a bot that already runs. */
export interface BotConfig {
	readonly command?: string;
	/** Absolute working directory of the command. */
	readonly cwd: string;
	readonly env: Readonly<Record<string, string>>;
	readonly url?: string;
	readonly callbackPath: string;
	/** Real milliseconds the command has to listen on BOT_PORT. */
	readonly startTimeoutMs: number;
	/** The file that named the bot (scenario, config beside it, or "command line"). */
	readonly source: string;
}

/** Whom the scenario's people calls are about, as the emulator's control API names them. */
export interface Party {
	readonly userId?: string;
	readonly phone?: string;
	/** As the scenario wrote it, for messages. */
	readonly label: string;
}

export type WorldAction =
	| { readonly kind: 'press'; readonly keys: string }
	| { readonly kind: 'hangUp' | 'hold' | 'resume' }
	| { readonly kind: 'join' | 'leave' | 'mute' | 'unmute' | 'answer' | 'decline'; readonly who: Party }
	/** Someone in the meeting admits a person from the lobby; without `who`, the bot. */
	| { readonly kind: 'admit'; readonly who?: Party }
	| { readonly kind: 'wait'; readonly ms: number };

export type ExpectKind = 'answer' | 'reject' | 'redirect' | 'playPrompt' | 'recordResponse' | 'subscribeToTone' | 'sendDtmfTones' | 'transfer' | 'invite' | 'hangUp' | 'create' | 'mute' | 'unmute' | 'keepAlive' | 'request' | 'state';

export interface Expectation {
	readonly kind: ExpectKind;
	/** Emulated milliseconds the bot has, from the previous world action (or the call's start). */
	readonly withinMs?: number;
	readonly modalities?: readonly string[];
	readonly uri?: string;
	readonly reason?: string;
	readonly to?: Party & { readonly meetingIds?: readonly string[] };
	readonly tones?: string;
	readonly everyMs?: number;
	readonly action?: string;
	readonly body?: Readonly<Record<string, unknown>>;
	readonly state?: string;
	readonly result?: string;
}

export interface ScenarioStep {
	readonly index: number;
	readonly line: number;
	/** Short human text: "caller presses 1", "bot answers within 5s with audio". */
	readonly title: string;
	readonly world?: WorldAction;
	readonly expect?: Expectation;
}

/** A scenario file, checked and resolved against the emulator's directory. */
export interface Scenario {
	readonly file: string;
	readonly name: string;
	readonly description?: string;
	/** Set when the file (or a config beside it) names the bot. */
	readonly bot?: BotConfig;
	readonly clockRate: number;
	/** Real milliseconds the whole scenario may take. */
	readonly timeoutMs: number;
	readonly permissions?: readonly Permission[];
	readonly directory: Directory;
	/** Someone calls the bot; without it the bot's first created call is the scenario's call. */
	readonly incoming?: Party;
	/** Instead of a 1:1 call: the bot is invited into a group call or meeting, or by a recording policy. */
	readonly invitation?: Invitation;
	readonly steps: readonly ScenarioStep[];
}

/** An incoming call that is not 1:1: `from` invites the bot (or is the person a recording policy applies to). */
export interface Invitation {
	readonly kind: 'group' | 'meeting' | 'recording';
	readonly from: Party;
	readonly members: readonly Party[];
	/** kind meeting: the meeting's joinMeetingId. */
	readonly meetingJoinId?: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** "500ms", "15s", "45m", "2h", or a number of seconds, in milliseconds. */
export function parseDuration(value: string | number): number {
	if (typeof value === 'number') return value * 1000;
	const m = DURATION_PATTERN.exec(value.trim());
	if (!m) throw new Error(`"${value}" is not a duration: write 500ms, 15s, 45m or 2h.`);
	return Number(m[1]) * UNITS[m[2]];
}

/** The shortest readable form: 90000 -> "1m 30s", 2700000 -> "45m", 1500 -> "1.5s". */
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)}ms`;
	if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms % 1000 ? 1 : 0))}s`;
	const total = Math.round(ms / 1000);
	const parts = [[Math.floor(total / 3600), 'h'], [Math.floor((total % 3600) / 60), 'm'], [total % 60, 's']] as const;
	return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join(' ');
}
