import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallStoreReader } from '../../core/calls/callStore';
import type { GraphRequestEvent } from '../../core/graph/requestEvent';
import type { CallPickers } from '../calls/callPickers';
import type { Commands } from '../shared/commands';
import type { UserInput } from '../shared/userInput';
import { saveCallAsScenario } from './saveCallAsScenario';
import { ScenarioDiagnostics } from './scenarioDiagnostics';
import { ScenarioTestItems } from './scenarioTestItems';
import { ScenarioTestRunner } from './scenarioTestRun';

export interface ScenarioServices {
	readonly context: vscode.ExtensionContext;
	readonly commands: Commands;
	readonly calls: CallStoreReader;
	readonly requests: () => readonly GraphRequestEvent[];
	readonly pick: CallPickers;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
	readonly version: string;
}

/** Scenario tests in VS Code: the Test Explorer's items and profiles, diagnostics as you type, Save Call as Scenario. */
export function registerScenarios(s: ScenarioServices): { disposables: vscode.Disposable[]; runner: ScenarioTestRunner } {
	const storage = s.context.storageUri ?? s.context.globalStorageUri;
	const trafficDir = path.join(storage.fsPath, 'scenario-traffic');
	const controller = vscode.tests.createTestController('graphCalls.scenarios', 'Graph Calls Scenarios');
	const items = new ScenarioTestItems(controller);
	const runner = new ScenarioTestRunner(items, { stateDir: path.join(s.context.globalStorageUri.fsPath, 'scenario-emulator'), trafficDir, version: s.version, log: s.log });
	const diagnostics = new ScenarioDiagnostics((uri, parsed) => items.update(uri, parsed));

	/** From a failure message's link (the file's path): only the runs' own HAR files, so a link opens nothing else. */
	const runTraffic = (arg: unknown): vscode.Uri => {
		const file = typeof arg === 'string' ? arg : undefined;
		if (!file) throw new Error('Open a scenario failure\'s "Open the call\'s traffic" link to see that run\'s traffic.');
		if (path.relative(trafficDir, path.resolve(file)).startsWith('..') || !file.endsWith('.har')) throw new Error('That is not the traffic of a scenario run.');
		return vscode.Uri.file(file);
	};
	const openTraffic = s.commands.register('graphCalls.scenario.openTraffic', async (arg: unknown) => {
		await vscode.window.showTextDocument(runTraffic(arg), { preview: true });
	});
	const openTimeline = s.commands.register('graphCalls.scenario.openTimeline', async (arg: unknown) => {
		await vscode.commands.executeCommand('graphCalls.timeline.openHar', runTraffic(arg));
	});
	const saveCall = s.commands.register('graphCalls.calls.saveAsScenario', async (node: unknown) => {
		const callId = await s.pick.pickCall(node, 'Save which call as a scenario?', { knownOnly: true });
		const entry = s.calls.get(callId);
		if (!entry) throw new Error(`Call ${callId} is not in the Calls view any more.`);
		const uri = await saveCallAsScenario(entry, s.requests(), (defaultUri) => s.input().showSaveDialog({ title: 'Save Call as Scenario', defaultUri, filters: { 'Scenario (YAML)': ['yaml', 'yml'] }, saveLabel: 'Save Scenario' }));
		void s.commands.report(`Saved the call as scenario ${vscode.workspace.asRelativePath(uri, false)}. Give it a bot (bot: or a graph-calls.json beside it) and run it in the Test Explorer.`);
		return uri;
	});
	return { disposables: [controller, items, runner, diagnostics, openTraffic, openTimeline, saveCall], runner };
}
