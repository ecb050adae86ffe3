import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';

/** Every graphCalls.* setting, typed and kept in range; package.json declares them with the same defaults. */
export interface GraphCallsSettings {
	readonly receiverPort: number;
	readonly callbackUrl: string;
	readonly relayTarget: string;
	readonly relaxValidationFor: readonly string[];
	readonly keepAliveEnabled: boolean;
	/** Inside Graph's 45-minute limit: 1 to 44. */
	readonly keepAliveIntervalMinutes: number;
	readonly pollAfterSeconds: number;
	readonly requestVariables: Readonly<Record<string, unknown>>;
	readonly startEmulatorOnStartup: boolean;
	readonly requestTimeoutMs: number;
}

export type SettingKey = keyof GraphCallsSettings;

const SECTIONS: Record<SettingKey, string> = {
	receiverPort: 'receiver.port',
	callbackUrl: 'callbackUrl',
	relayTarget: 'relay.target',
	relaxValidationFor: 'receiver.relaxValidation',
	keepAliveEnabled: 'keepAlive.enabled',
	keepAliveIntervalMinutes: 'keepAlive.intervalMinutes',
	pollAfterSeconds: 'calls.pollAfterSeconds',
	requestVariables: 'requests.variables',
	startEmulatorOnStartup: 'startEmulatorOnStartup',
	requestTimeoutMs: 'requestTimeoutSeconds',
};

function clamp(v: unknown, min: number, max: number, fallback: number): number {
	return typeof v === 'number' && Number.isFinite(v) ? Math.max(min, Math.min(max, v)) : fallback;
}

/** Reads the settings now (VS Code applies workspace trust to restricted settings before they reach here). */
export function readSettings(): GraphCallsSettings {
	const c = vscode.workspace.getConfiguration('graphCalls');
	const text = (key: string) => String(c.get<string>(key, '') ?? '').trim();
	const variables = c.get<Record<string, unknown>>('requests.variables');
	return {
		receiverPort: clamp(c.get('receiver.port'), 0, 65535, 0),
		callbackUrl: text('callbackUrl'),
		relayTarget: text('relay.target'),
		relaxValidationFor: (c.get<unknown[]>('receiver.relaxValidation') ?? []).filter((v): v is string => typeof v === 'string'),
		keepAliveEnabled: c.get<boolean>('keepAlive.enabled', true) !== false,
		keepAliveIntervalMinutes: clamp(c.get('keepAlive.intervalMinutes'), 1, 44, 15),
		pollAfterSeconds: clamp(c.get('calls.pollAfterSeconds'), 1, 3600, 10),
		requestVariables: variables && typeof variables === 'object' && !Array.isArray(variables) ? variables : {},
		startEmulatorOnStartup: c.get<boolean>('startEmulatorOnStartup', false) === true,
		requestTimeoutMs: clamp(c.get('requestTimeoutSeconds'), 1, 600, 30) * 1000,
	};
}

/** The settings with one change event that says which of them changed. */
export class Configuration extends Disposable {
	private readonly changed = this._register(new Emitter<ReadonlySet<SettingKey>>());
	/** Fires with the keys whose setting changed. */
	readonly onDidChange: Event<ReadonlySet<SettingKey>> = this.changed.event;

	constructor() {
		super();
		this._register(vscode.workspace.onDidChangeConfiguration((e) => {
			if (!e.affectsConfiguration('graphCalls')) return;
			const keys = new Set((Object.keys(SECTIONS) as SettingKey[]).filter((k) => e.affectsConfiguration(`graphCalls.${SECTIONS[k]}`)));
			if (keys.size) this.changed.fire(keys);
		}));
	}

	get current(): GraphCallsSettings {
		return readSettings();
	}

	/** Writes a user (global) setting: the commands that change settings write there, never into a workspace. */
	updateGlobal(key: SettingKey, value: unknown): Thenable<void> {
		return vscode.workspace.getConfiguration('graphCalls').update(SECTIONS[key], value, vscode.ConfigurationTarget.Global);
	}

	/** Subscribes to changes of some settings only. */
	onDidChangeAny(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
		const d = this.onDidChange((changed) => {
			if (keys.some((k) => changed.has(k))) listener();
		});
		return { dispose: () => d.dispose() };
	}
}
