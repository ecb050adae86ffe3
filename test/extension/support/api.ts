// Gets the extension under test and its exported API from inside the extension host.
import * as vscode from 'vscode';
import type { GraphCallsApi } from '../../../src/extension';
import { ScriptedUserInput, type ScriptedAnswer } from './scriptedInput';

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
