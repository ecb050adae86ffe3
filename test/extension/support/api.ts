// Gets the extension under test and its exported API from inside the extension host.
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import type { TenantProfile } from '../../../src/core/auth/tenantProfile';
import type { GraphCallsApi } from '../../../src/extension';
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

/** Activates the extension (once) and returns the API object its activate() returned. */
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
	(await getApi()).setUserInput(input);
	return input;
}

/** Puts back a ScriptedUserInput with no answers, so any prompt outside a scripted test fails loudly. */
export async function restoreUserInput(): Promise<void> {
	(await getApi()).setUserInput(new ScriptedUserInput());
}

/**
 * Starts the bundled emulator as the active profile (Use Local Emulator) and waits for the callback receiver, which
 * starts by itself for the emulator profile and whose URL every create call needs.
 */
export async function useEmulatorProfile(api: GraphCallsApi): Promise<TenantProfile> {
	const profile = await vscode.commands.executeCommand<TenantProfile>('graphCalls.emulator.start');
	assert.ok(profile?.emulator, `the emulator profile is active (last error: ${api.commandContext.lastError})`);
	await waitFor('the callback receiver', () => {
		try {
			return api.receiver.callbackUri(profile);
		} catch {
			return undefined;
		}
	});
	return profile;
}
