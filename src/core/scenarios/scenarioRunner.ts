import { startEmulator, type EmulatorHandle } from '../emulator';
import { Redactor } from '../graph/redaction';
import { BotProcess, canConnect, describeExit, freePort } from './botProcess';
import { ControlError, EmulatorControl } from './emulatorControl';
import { actionOf, callbackTrouble, checkKeepAlive, describeRequest, findRequest, findState } from './expectationMatch';
import { formatDuration, type BotConfig, type Expectation, type Scenario, type ScenarioStep, type WorldAction } from './scenarioModel';
import type { ScenarioResult, ScenarioRunEvent, StepResult } from './scenarioResult';
import { TrafficRecord, type OutboundEntry, type TrafficEntry } from './trafficRecord';

export interface RunOptions {
	/** The bot to test; without it, the scenario's own (from its file or the config beside it). */
	readonly bot?: BotConfig;
	/** Emulator state dir (CA, keys), shared by runs so they are created once. */
	readonly stateDir?: string;
	/** Port of the emulator when the bot already runs (it was configured for a fixed address). */
	readonly emulatorPort?: number;
	readonly onEvent?: (e: ScenarioRunEvent) => void;
}

/** An expectation without `within` waits this long (real time) before it fails. */
export const DEFAULT_EXPECT_WAIT_MS = 10_000;
/** Port the emulator listens on for a bot given by URL, unless told otherwise (as in docs/emulator.md). */
export const DEFAULT_URL_BOT_EMULATOR_PORT = 8443;

type WaitOutcome<T> = { value: T } | { reason: 'timeout' | 'scenarioTimeout' | 'botExited' };

/** A step failed or the scenario cannot go on; the message is the reason shown to the user. */
class StepFailure extends Error {
	constructor(message: string, readonly details: Partial<StepResult> = {}) {
		super(message);
	}
}

/** The environment the bot contract promises a bot under test (see docs/scenario-tests.md). */
export function botEnvironment(emu: EmulatorHandle, rate: number, botPort: number | undefined, callbackUrl: string): Record<string, string> {
	return {
		GRAPH_BASE_URL: emu.graphBaseUrl,
		GRAPH_AUTHORITY: emu.authority,
		GRAPH_TENANT_ID: emu.tenantId,
		GRAPH_CLIENT_ID: emu.clientId,
		GRAPH_CLIENT_SECRET: emu.clientSecret,
		GRAPH_CA_FILE: emu.caCertFile,
		NODE_EXTRA_CA_CERTS: emu.caCertFile,
		SSL_CERT_FILE: emu.caCertFile,
		REQUESTS_CA_BUNDLE: emu.caCertFile,
		GRAPH_CALLBACK_OPENID_CONFIGURATION: emu.webhookOpenIdConfigurationUrl,
		GRAPH_CLOCK_RATE: String(rate),
		GRAPH_CALLBACK_URL: callbackUrl,
		...(botPort !== undefined ? { BOT_PORT: String(botPort) } : {}),
	};
}

/**
 * Plays one scenario against a bot: a fresh emulator, the bot started (or reached), the world's actions on the
 * emulator's clock, each expectation checked against the recorded traffic. Every wait has a deadline, so a
 * broken bot ends as a failed result, never as a hang.
 */
export class ScenarioRun {
	private readonly steps: StepResult[];
	private emu?: EmulatorHandle;
	private record?: TrafficRecord;
	private control?: EmulatorControl;
	private bot?: BotProcess;
	private callId?: string;
	private readonly used = new Set<number>();
	private waitedMs = 0;
	private readonly startedAt = Date.now();
	/** When the world started acting (the incoming call, or the bot's turn to call): emulated 00:00:00. */
	private worldStartedAt = Date.now();
	private deadline: number;
	private readonly redactor = new Redactor();

	constructor(private readonly scenario: Scenario, private readonly options: RunOptions = {}) {
		const caller = scenario.incoming?.label ?? scenario.invitation?.from.label ?? 'the other side';
		this.steps = scenario.steps.map((s) => ({
			index: s.index, line: s.line, title: s.title, kind: s.world ? 'world' : 'expect', status: 'skipped',
			actor: !s.world || s.world.kind === 'wait' ? undefined : 'who' in s.world ? s.world.who?.label ?? 'the meeting' : caller,
		}));
		// Until the bot listens, its own startTimeout bounds the wait; then the steps get the scenario's timeout.
		this.deadline = this.startedAt + scenario.timeoutMs + this.waitStepsRealMs() + (scenario.bot?.startTimeoutMs ?? 0);
	}

	/** The timeout guards against hangs, not against the waits the scenario asks for: those come on top. */
	private waitStepsRealMs(): number {
		return this.scenario.steps.reduce((sum, s) => sum + (s.world?.kind === 'wait' ? this.realMs(s.world.ms) : 0), 0);
	}

	private emit(e: ScenarioRunEvent): void {
		this.options.onEvent?.(e);
	}

	async run(): Promise<ScenarioResult> {
		const s = this.scenario;
		this.emit({ type: 'scenarioStarted', file: s.file, name: s.name, steps: this.steps.map(({ index, line, title }) => ({ index, line, title })) });
		let failure: { message: string; line?: number } | undefined;
		try {
			await this.start();
			// What the bot did before the first world action counts from its start (a bot may call out at once);
			// `within` counts from the call's start, or from the last world action.
			let window = { from: this.startedAt, clock: this.worldStartedAt };
			for (const [i, step] of s.steps.entries()) {
				const r = this.steps[i];
				r.startedAt = Date.now();
				this.emit({ type: 'stepStarted', file: s.file, index: step.index, title: step.title });
				try {
					if (this.bot?.exit) throw new StepFailure(`the bot ${describeExit(this.bot.exit)} before this step`);
					if (step.world) {
						// Graph reacts to a person at once (the notification may go out before the control call returns),
						// so what follows counts from the action's start; after a wait, `within` counts from its end.
						const actStart = Date.now();
						await this.act(step.world);
						window = { from: actStart, clock: step.world.kind === 'wait' ? Date.now() : actStart };
						r.message = 'done';
					} else {
						Object.assign(r, await this.check(step, window));
					}
					r.status = 'passed';
				} catch (err) {
					r.status = 'failed';
					if (err instanceof StepFailure) Object.assign(r, err.details);
					r.message = (err as Error).message;
					failure = { message: `${step.title}: ${r.message}`, line: step.line };
				}
				r.durationMs = Date.now() - r.startedAt;
				this.emit({ type: 'stepFinished', file: s.file, step: r });
				if (failure) break;
			}
		} catch (err) {
			failure = { message: (err as Error).message };
		} finally {
			await this.stop();
		}
		const bot = this.bot;
		const result: ScenarioResult = {
			file: s.file,
			name: s.name,
			status: failure ? 'failed' : 'passed',
			message: failure?.message,
			line: failure?.line,
			steps: this.steps,
			traffic: this.record?.entries ?? [],
			callId: this.callId,
			botOutput: bot ? bot.outputTail() : undefined,
			clockRate: s.clockRate,
			startedAt: this.startedAt,
			durationMs: Date.now() - this.startedAt,
			waitedMs: this.waitedMs,
		};
		this.emit({ type: 'scenarioFinished', file: s.file, result });
		return result;
	}

	private botConfig(): BotConfig {
		const bot = this.options.bot ?? this.scenario.bot;
		if (!bot || (!bot.command && !bot.url)) throw new Error('no bot to test: give the scenario a "bot" with a command or url, put a graph-calls.json beside it, or pass --bot-command or --bot-url');
		return bot;
	}

	private async start(): Promise<void> {
		const s = this.scenario;
		const bot = this.botConfig();
		const botPort = bot.url ? undefined : await freePort();
		const callbackUrl = bot.url ?? `http://127.0.0.1:${botPort}${bot.callbackPath}`;
		try {
			this.emu = await startEmulator({
				stateDir: this.options.stateDir,
				port: bot.url ? this.options.emulatorPort ?? DEFAULT_URL_BOT_EMULATOR_PORT : 0,
				clockSpeed: s.clockRate,
				directory: s.directory,
				roles: s.permissions ? [...s.permissions] : undefined,
				callingWebhook: callbackUrl,
			});
		} catch (err) {
			throw new Error(`the emulator could not start: ${(err as Error).message}`);
		}
		this.redactor.addSecret(this.emu.clientSecret);
		this.record = new TrafficRecord(this.emu);
		this.record.onDidRecord((entry) => this.emit({ type: 'traffic', file: s.file, entry }));
		this.control = new EmulatorControl(this.emu.controlUrl, this.emu.caCertPem);
		const waitStart = Date.now();
		try {
			if (bot.command) {
				const env = { ...process.env, ...bot.env, ...botEnvironment(this.emu, s.clockRate, botPort, callbackUrl) };
				this.bot = new BotProcess(bot.command, { cwd: bot.cwd, env, onLines: (text) => this.emit({ type: 'botOutput', file: s.file, text }) }, this.redactor);
				const listening = await this.bot.waitForListening(botPort!, bot.startTimeoutMs);
				if (!listening.ok) throw new Error(listening.reason);
			} else {
				const u = new URL(bot.url!);
				const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
				if (!(await canConnect(u.hostname, port, Math.min(bot.startTimeoutMs, 5000)))) throw new Error(`nothing accepts connections at ${bot.url}: start the bot first (it must use the emulator at ${this.emu.graphBaseUrl})`);
			}
		} finally {
			this.waitedMs += Date.now() - waitStart;
		}
		this.worldStartedAt = Date.now();
		this.deadline = this.worldStartedAt + s.timeoutMs + this.waitStepsRealMs();
		if (s.incoming) {
			try {
				// The handle's shortcut, in process: the control API would cost a TLS handshake on the clock.
				this.callId = this.emu.incomingCall(s.incoming.userId ? { userId: s.incoming.userId } : { phone: s.incoming.phone }, callbackUrl);
			} catch (err) {
				throw new Error(`the emulator could not place the incoming call from ${s.incoming.label}: ${(err as Error).message}`);
			}
		}
		const inv = s.invitation;
		if (inv) {
			const ref = (p: { userId?: string; phone?: string }) => (p.userId ? { userId: p.userId } : { phone: p.phone });
			try {
				this.callId = inv.kind === 'recording'
					? this.emu.recordingInvitation(inv.from.userId!, inv.members.map(ref), callbackUrl)
					: this.emu.incomingGroupCall(ref(inv.from), inv.members.map(ref), inv.meetingJoinId, callbackUrl);
			} catch (err) {
				throw new Error(`the emulator could not send the ${inv.kind} invitation from ${inv.from.label}: ${(err as Error).message}`);
			}
		}
	}

	private async stop(): Promise<void> {
		const botStopping = Date.now();
		await this.bot?.stop().catch(() => undefined);
		this.waitedMs += Date.now() - botStopping;
		this.control?.dispose();
		await this.emu?.stop().catch(() => undefined);
		this.record?.dispose();
	}

	/** Resolves with check()'s first value, or why it stopped waiting: its deadline, the scenario's, or the bot's exit. */
	private waitFor<T>(check: () => T | undefined, until: number): Promise<WaitOutcome<T>> {
		const first = check();
		if (first !== undefined) return Promise.resolve({ value: first });
		const started = Date.now();
		return new Promise((resolve) => {
			let done = false;
			const end = Math.min(until, this.deadline);
			const finish = (o: WaitOutcome<T>) => {
				if (done) return;
				done = true;
				sub.dispose();
				clearTimeout(timer);
				this.waitedMs += Date.now() - started;
				resolve(o);
			};
			const sub = this.record!.onDidRecord(() => {
				const v = check();
				if (v !== undefined) finish({ value: v });
			});
			const timer = setTimeout(() => finish({ reason: end < until ? 'scenarioTimeout' : 'timeout' }), Math.max(0, end - Date.now()));
			void this.bot?.exited.then(() => finish({ reason: 'botExited' }));
		});
	}

	private whyStopped(reason: 'timeout' | 'scenarioTimeout' | 'botExited', waited: string): string {
		if (reason === 'botExited') return `the bot ${describeExit(this.bot!.exit!)} while the runner waited`;
		if (reason === 'scenarioTimeout') return `the scenario's timeout (${formatDuration(this.scenario.timeoutMs)} real time, plus its waits) ran out`;
		return `nothing within ${waited}`;
	}

	private realMs(emulatedMs: number): number {
		return emulatedMs / this.scenario.clockRate;
	}

	private async act(w: WorldAction): Promise<void> {
		if (w.kind === 'wait') {
			const outcome = await this.waitFor(() => undefined, Date.now() + this.realMs(w.ms));
			if ('reason' in outcome && outcome.reason !== 'timeout') throw new StepFailure(this.whyStopped(outcome.reason, ''));
			return;
		}
		const callId = this.callId ?? this.createdCallId();
		if (!callId) throw new StepFailure('there is no call yet: the bot has not created one');
		try {
			switch (w.kind) {
				case 'press': this.emu!.pressKeys(callId, w.keys); break;
				case 'hangUp': case 'hold': case 'resume': await this.control!.callAction(callId, w.kind); break;
				case 'join': await this.control!.join(callId, w.who.userId!); break;
				case 'leave': await this.control!.leave(callId, w.who.userId!); break;
				case 'mute': case 'unmute': await this.control!.person(w.who.userId!, w.kind, { callId }); break;
				case 'answer': case 'decline': await this.control!.person(w.who.userId ?? w.who.phone!, w.kind, {}); break;
				case 'admit': await this.control!.admit(callId, w.who?.userId); break;
			}
		} catch (err) {
			const status = err instanceof ControlError ? err.status : (err as { status?: unknown }).status;
			if (typeof status === 'number') throw new StepFailure(`the emulator could not do it (${status}): ${(err as Error).message}`);
			throw err;
		}
	}

	/** The scenario's call when the bot made it: the id in the first successful create's response. */
	private createdCallId(): string | undefined {
		const create = this.record?.entries.find((t): t is OutboundEntry => t.direction === 'out' && t.action === 'call.create' && t.status === 201);
		const id = (create?.responseBody as { id?: unknown } | undefined)?.id;
		return typeof id === 'string' ? id : undefined;
	}

	private async check(step: ScenarioStep, window: { from: number; clock: number }): Promise<Partial<StepResult>> {
		const windowStart = window.from;
		const e = step.expect!;
		const stepStart = Date.now();
		const until = e.withinMs !== undefined ? window.clock + this.realMs(e.withinMs) : stepStart + DEFAULT_EXPECT_WAIT_MS;
		const waited = e.withinMs !== undefined ? `${formatDuration(e.withinMs)}${this.scenario.clockRate !== 1 ? ` (emulated; ${formatDuration(this.realMs(e.withinMs))} real)` : ''}` : `${formatDuration(DEFAULT_EXPECT_WAIT_MS)} (real time)`;
		const inWindow = () => this.record!.entries.filter((t) => t.at >= windowStart);
		const callId = () => this.callId ?? this.createdCallId();

		if (e.kind === 'keepAlive') {
			const v = checkKeepAlive(e, this.record!.entries, callId(), Date.now(), this.scenario.clockRate);
			if (!v.ok) throw new StepFailure(v.message, { evidence: v.evidence, expected: step.title, actual: v.message });
			return { message: v.message, evidence: v.evidence };
		}
		if (e.kind === 'state') {
			const outcome = await this.waitFor(() => findState(e, inWindow(), callId()).match, until);
			if ('value' in outcome) return { message: `notified at ${this.clockText(outcome.value.at)}`, evidence: outcome.value };
			const seen = findState(e, inWindow(), callId()).seen;
			const actual = seen.length ? `the call went through ${seen.join(', ')}` : 'no state notification for the call';
			throw new StepFailure(`${this.whyStopped(outcome.reason, waited)}; ${actual}${this.trouble(windowStart)}`, { expected: step.title, actual });
		}
		const outcome = await this.waitFor(() => findRequest(e, inWindow(), callId(), this.used).match, until);
		if ('value' in outcome) {
			this.used.add(outcome.value.seq);
			if (e.kind === 'create' && !this.callId) this.callId = this.createdCallId();
			return { message: `${describeRequest(outcome.value)} at ${this.clockText(outcome.value.at)}`, evidence: outcome.value };
		}
		const { nearMisses } = findRequest(e, inWindow(), callId(), this.used);
		const actual = this.actualText(e, nearMisses, inWindow());
		throw new StepFailure(`${this.whyStopped(outcome.reason, waited)}; ${actual}${this.trouble(windowStart)}`, { expected: step.title, actual, evidence: nearMisses[nearMisses.length - 1] });
	}

	private actualText(e: Expectation, nearMisses: readonly OutboundEntry[], window: readonly TrafficEntry[]): string {
		if (nearMisses.length) {
			const last = nearMisses[nearMisses.length - 1];
			const ok = last.status >= 200 && last.status < 300;
			return `the bot sent ${nearMisses.length} ${actionOf(e)} request(s), not as expected: ${describeRequest(last)}${ok ? ` with body ${JSON.stringify(last.requestBody)}` : ''}`;
		}
		const asked = [...new Set(window.filter((t): t is OutboundEntry => t.direction === 'out' && t.action !== undefined).map((t) => t.action!))];
		return `no ${actionOf(e)} request${e.kind === 'create' ? '' : ' for the call'}${asked.length ? `; the bot sent ${asked.join(', ')}` : '; the bot sent no Graph request meanwhile'}`;
	}

	private trouble(since: number): string {
		const t = callbackTrouble(this.record!.entries, since);
		return t ? `; ${t}` : '';
	}

	/** When something happened in emulated time since the run started: "00:15:02". */
	private clockText(at: number): string {
		const s = Math.max(0, Math.round(((at - this.worldStartedAt) * this.scenario.clockRate) / 1000));
		const hh = String(Math.floor(s / 3600)).padStart(2, '0');
		const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
		return `${hh}:${mm}:${String(s % 60).padStart(2, '0')} emulated`;
	}
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
	return new ScenarioRun(scenario, options).run();
}
