// Gets the extension under test and its public API (src/api.ts) from inside the extension host, and runs its
// commands the way a user or another extension would: through vscode.commands, with their outcome as the API reports it.
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { TenantProfile } from '../../../src/core/auth/tenantProfile';
import type { CommandOutcome, GraphCallsApi } from '../../../src/api';
import { ScriptedUserInput, type ScriptedAnswer } from './scriptedInput';
import { waitFor } from './waitFor';

export const EXTENSION_ID = 'graph-calls-workbench.graph-calls-workbench';

export function getExtension(): vscode.Extension<GraphCallsApi> {
	const ext = vscode.extensions.getExtension<GraphCallsApi>(EXTENSION_ID);
	if (!ext) {
		throw new Error(`extension ${EXTENSION_ID} is not loaded in this host: check extensionDevelopmentPath points at the repository root.`);
	}
	return ext;
}

/** Activates the extension (once) and returns the public API its activate() returned. */
export async function getApi(): Promise<GraphCallsApi> {
	const ext = getExtension();
	const api = await ext.activate();
	if (!api) throw new Error(`extension ${EXTENSION_ID} activated but returned no API: activate() must return GraphCallsApi.`);
	return api;
}

/**
 * Installs a fresh ScriptedUserInput with these answers as the extension's input and returns it.
 * Call `restoreUserInput()` (e.g. in afterEach) so later tests start with no scripted answers left.
 */
export async function scriptInput(...answers: ScriptedAnswer[]): Promise<ScriptedUserInput> {
	const input = new ScriptedUserInput(answers);
	(await getApi()).automation.setUserInput(input);
	return input;
}

/** Puts back a ScriptedUserInput with no answers, so any prompt outside a scripted test fails loudly. */
export async function restoreUserInput(): Promise<void> {
	(await getApi()).automation.setUserInput(new ScriptedUserInput());
}

/** What running one command gave: executeCommand's value and how the command ended, as commands.onDidFinish said. */
export interface CommandRun<T> {
	readonly result: T | undefined;
	readonly outcome: CommandOutcome;
	/** The message shown: the information message on success, the error (with its explanation) on failure. */
	readonly message: string;
	readonly succeeded: boolean;
	readonly failed: boolean;
	readonly cancelled: boolean;
}

/**
 * Runs a Graph Calls command through vscode.commands and waits for its outcome. Subscribes before running, and keeps
 * the last outcome for this command id that fired while it ran (other commands it starts report under their own id).
 */
export async function runCommand<T = unknown>(command: string, ...args: unknown[]): Promise<CommandRun<T>> {
	const api = await getApi();
	const seen: CommandOutcome[] = [];
	const sub = api.commands.onDidFinish((o) => {
		if (o.command === command) seen.push(o);
	});
	let result: T | undefined;
	let thrown: unknown;
	try {
		try {
			result = await vscode.commands.executeCommand<T>(command, ...args);
		} catch (err) {
			// The wrapper reports failures itself; keep the rejection to name it if no outcome came.
			thrown = err;
		}
		const outcome = await waitFor(`the outcome of ${command}${thrown ? ` (executeCommand rejected: ${String(thrown)})` : ''}`, () => seen.at(-1), 5_000, 20);
		return { result, outcome, message: outcome.message ?? '', succeeded: outcome.outcome === 'succeeded', failed: outcome.outcome === 'failed', cancelled: outcome.outcome === 'cancelled' };
	} finally {
		sub.dispose();
	}
}

/** Text for an assertion message: how a command ended. */
export function describeRun(run: CommandRun<unknown>): string {
	return `${run.outcome.command} ${run.outcome.outcome}${run.outcome.message ? `: ${run.outcome.message}` : ''}`;
}

/** Asserts the command succeeded (no error was shown) and returns its result. */
export function assertSucceeded<T>(run: CommandRun<T>, what = 'the command succeeded'): T | undefined {
	assert.equal(run.outcome.outcome, 'succeeded', `${what} (${describeRun(run)})`);
	return run.result;
}

/** Asserts the command failed and returns the error message the user was shown. */
export function assertFailed(run: CommandRun<unknown>, what = 'the command failed'): string {
	assert.equal(run.outcome.outcome, 'failed', `${what} (${describeRun(run)})`);
	return run.message;
}

/** The bundled emulator's profile record (id "emulator"), as the API lists it. */
export function emulatorProfile(api: GraphCallsApi): TenantProfile | undefined {
	return api.profiles.list().find((p) => p.id === 'emulator');
}

/**
 * Starts the bundled emulator as the active profile (Use Local Emulator) and waits for the callback receiver, which
 * starts by itself for the emulator profile and whose URL every create call needs.
 */
export async function useEmulatorProfile(api: GraphCallsApi): Promise<TenantProfile> {
	const run = await runCommand<TenantProfile>('graphCalls.emulator.start');
	const profile = run.result;
	assert.ok(profile?.emulator, `the emulator profile is active (${describeRun(run)})`);
	assert.equal(api.profiles.active?.id, profile.id);
	await waitFor('the emulator to report running', () => api.emulator.running && api.emulator.endpoints);
	await waitFor('the callback receiver', () => api.notifications.receiverUrl);
	return profile;
}

/** Stops the bundled emulator through its command, if it runs. */
export async function stopEmulator(api: GraphCallsApi): Promise<void> {
	if (api.emulator.running) await vscode.commands.executeCommand('graphCalls.emulator.stop');
}

/**
 * Whether msal-node is loaded in this extension host: the extension bundles it on its own (dist/vendor/msal-node.js)
 * and requires it on the first token request; the tests share the host's module cache.
 */
export function msalLoaded(): boolean {
	const vendored = path.join('dist', 'vendor', 'msal-node.js');
	return Object.keys(require.cache).some((k) => k.endsWith(vendored));
}
