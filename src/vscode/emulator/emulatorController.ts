import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { uniqueName } from '../../core/auth/profileExport';
import { EmulatorProcess, type EmulatorReady } from './emulatorProcess';
import type { ProfileStore } from '../profiles/profileStore';

/** The fixed id of the profile "Use Local Emulator" creates and refreshes. */
export const EMULATOR_PROFILE_ID = 'emulator';
export const EMULATOR_PROFILE_NAME = 'Emulator';

export interface EmulatorControllerOptions {
	readonly profiles: ProfileStore;
	/** Absolute path of dist/emulator.js. */
	readonly scriptPath: string;
	/** Where the emulator keeps its CA and keys: <globalStorage>/emulator. */
	readonly stateDir: string;
	readonly log: vscode.LogOutputChannel;
}

/**
 * Runs the emulator child process, pipes its log to the "Graph Calls Emulator" channel, and keeps the Emulator
 * profile pointing at it.
 */
export class EmulatorController extends Disposable {
	readonly output: vscode.OutputChannel;
	private process: EmulatorProcess | undefined;
	private starting: Promise<TenantProfile> | undefined;
	private readonly _onDidChangeState = this._register(new Emitter<boolean>());
	/** Fires true when the emulator is ready, false when it stopped or crashed. */
	readonly onDidChangeState: Event<boolean> = this._onDidChangeState.event;

	constructor(private readonly options: EmulatorControllerOptions) {
		super();
		this.output = this._register(vscode.window.createOutputChannel('Graph Calls Emulator'));
		this._register({ dispose: () => this.process?.dispose() });
		// Stop and Restart show in the palette only while the emulator runs.
		this._register(this.onDidChangeState((running) => void vscode.commands.executeCommand('setContext', 'graphCalls.emulator.running', running)));
	}

	get running(): boolean {
		return !!this.process?.running && !!this.process.ready;
	}

	/** The ready line of the running emulator (its secret included): only the emulator's own commands read it. */
	get ready(): EmulatorReady | undefined {
		return this.running ? this.process?.ready : undefined;
	}

	get pid(): number | undefined {
		return this.process?.pid;
	}

	/** Starts the emulator unless it runs, refreshes the Emulator profile and makes it active. */
	start(): Promise<TenantProfile> {
		this.starting ??= this.doStart().finally(() => (this.starting = undefined));
		return this.starting;
	}

	private async doStart(): Promise<TenantProfile> {
		if (this.running && this.process?.ready) return this.applyProfile(this.process.ready);
		this.process?.dispose();
		const proc = new EmulatorProcess({
			scriptPath: this.options.scriptPath,
			stateDir: this.options.stateDir,
			onOutput: (line) => this.output.appendLine(line),
		});
		this.process = proc;
		proc.onDidExit(({ code, signal, expected }) => {
			if (this.process !== proc) return;
			this._onDidChangeState.fire(false);
			if (!expected && proc.ready) {
				this.options.log.error(`The emulator stopped unexpectedly (${signal ?? `code ${code}`}).`);
				void vscode.window.showErrorMessage(`The local emulator stopped unexpectedly (${signal ?? `code ${code}`}).`, 'Restart Emulator', 'Show Emulator Log').then((c) => {
					if (c === 'Restart Emulator') void vscode.commands.executeCommand('graphCalls.emulator.restart');
					if (c === 'Show Emulator Log') this.output.show(true);
				});
			}
		});
		this.output.appendLine(`[graph-calls] starting ${this.options.scriptPath} (state ${this.options.stateDir})`);
		const ready = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local Graph calls emulator…', cancellable: true }, (_p, cancel) => {
			const abort = new AbortController();
			cancel.onCancellationRequested(() => abort.abort());
			return proc.start(abort.signal);
		});
		this.options.log.info(`Emulator ready at ${new URL(ready.graphBaseUrl).origin} (pid ${proc.pid}).`);
		this.output.appendLine(`[graph-calls] ready: Graph ${ready.graphBaseUrl}, authority ${ready.authority}`);
		this._onDidChangeState.fire(true);
		return this.applyProfile(ready);
	}

	/** Creates or refreshes the Emulator profile from the ready line; its secret goes to SecretStorage only. */
	private async applyProfile(ready: EmulatorReady): Promise<TenantProfile> {
		const { profiles } = this.options;
		const existing = profiles.get(EMULATOR_PROFILE_ID);
		const fields: TenantProfile = {
			id: EMULATOR_PROFILE_ID,
			// A tenant profile the user named "Emulator" keeps its name; ours takes the next free one.
			name: existing?.name ?? uniqueName(EMULATOR_PROFILE_NAME, profiles.list().map((p) => p.name)),
			cloud: 'global',
			tenantId: ready.tenantId,
			clientId: ready.clientId,
			credentialKind: 'secret',
			apiVersion: existing?.apiVersion ?? 'v1.0',
			emulator: { authority: ready.authority, graphHost: new URL(ready.graphBaseUrl).origin, caCertPem: ready.caCertPem, controlUrl: ready.controlUrl },
		};
		if (existing?.callbackUrl) fields.callbackUrl = existing.callbackUrl;
		const credential = { kind: 'secret', clientSecret: ready.clientSecret } as const;
		const profile = existing ? await profiles.update(fields, credential) : await profiles.add(fields, credential);
		await profiles.setActive(profile.id);
		return profile;
	}

	async stop(): Promise<void> {
		const proc = this.process;
		if (!proc) return;
		await proc.stop();
		proc.dispose();
		if (this.process === proc) this.process = undefined;
		this.output.appendLine('[graph-calls] stopped');
		this.options.log.info('Emulator stopped.');
	}

	async restart(): Promise<TenantProfile> {
		await this.stop();
		return this.start();
	}
}
