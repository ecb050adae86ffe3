// Scenario tests in a real extension host: the sample Node bot's scenarios run from the Test Explorer (VS Code's
// testing commands on the open file, Run and Debug profiles), a failing scenario's message, diagnostics for a broken
// scenario as it is typed, and Save Call as Scenario on a call made by hand against the emulator.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScenarioTestReport } from '../../src/api';
import { parseScenario } from '../../src/core/scenarios';
import { EMULATOR_TENANT } from '../../src/core/emulator/directory';
import type { CallResource } from '../../src/core/schema/types';
import { assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { waitFor } from './support/waitFor';

const root = path.resolve(__dirname, '../../..');
const nodeBot = path.join(root, 'examples', 'node-bot');
const pythonBot = path.join(root, 'examples', 'python-bot');

function workspaceDir(): string {
	const folder = vscode.workspace.workspaceFolders?.[0];
	assert.ok(folder, 'the extension tests open a folder');
	return folder.uri.fsPath;
}

/** A directory of scenarios in the test workspace with a graph-calls.json naming the bot, as a user would set it up. */
function scenarioDir(name: string, bot: { command: string; cwd: string }): string {
	const dir = path.join(workspaceDir(), name);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'graph-calls.json'), JSON.stringify({ bot: { ...bot, startTimeout: '30s' } }));
	return dir;
}

/** Opens the scenario in an editor and runs a testing command on it, resolving with the public API's report of it. */
async function runInTestExplorer(file: string, command: 'testing.runCurrentFile' | 'testing.debugCurrentFile', timeoutMs = 90_000): Promise<ScenarioTestReport> {
	const api = await getApi();
	const reports: ScenarioTestReport[] = [];
	const sub = api.scenarios.onDidFinish((r) => {
		if (r.file === file) reports.push(r);
	});
	try {
		await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
		// Opening the document gives the Test Explorer its items for it; the testing command runs what the file has.
		// Until the items are there the command finds nothing to run, so it is asked again.
		const end = Date.now() + timeoutMs;
		let lastAsk = 0;
		while (!reports.length) {
			if (Date.now() > end) throw new Error(`no report for ${path.basename(file)} from ${command}`);
			if (Date.now() - lastAsk > 20_000) {
				lastAsk = Date.now();
				void vscode.commands.executeCommand(command);
			}
			await new Promise((r) => setTimeout(r, 200));
		}
		return reports[0];
	} finally {
		sub.dispose();
	}
}

describe('scenario tests in the Test Explorer', function () {
	this.timeout(180_000);
	let nodeDir: string;

	before(() => {
		nodeDir = scenarioDir('node-scenarios', { command: `node ${path.join(nodeBot, 'start.js')}`, cwd: nodeBot });
	});
	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('runs a sample scenario against the sample bot: every step passes and the call\'s traffic is saved as a HAR without secrets', async () => {
		const file = path.join(nodeDir, 'hang-up.yaml');
		fs.copyFileSync(path.join(nodeBot, 'scenarios', 'hang-up.yaml'), file);
		const report = await runInTestExplorer(file, 'testing.runCurrentFile');
		assert.equal(report.status, 'passed', JSON.stringify(report.messages));
		assert.equal(report.mode, 'run');
		assert.deepEqual(report.steps.map((s) => s.status), ['passed', 'passed', 'passed', 'passed', 'passed']);
		assert.deepEqual(report.steps.map((s) => s.line), [6, 8, 10, 11, 13], 'each step is reported at its line in the YAML (its gutter)');
		assert.ok(report.trafficFile && fs.existsSync(report.trafficFile), 'the traffic file exists');
		const har = fs.readFileSync(report.trafficFile, 'utf8');
		const entries = (JSON.parse(har) as { log: { entries: { request: { url: string } }[] } }).log.entries;
		assert.ok(entries.some((e) => /\/answer$/.test(e.request.url)), 'the HAR has the bot\'s answer request');
		assert.ok(!har.includes(EMULATOR_TENANT.clientSecret), 'the client secret is redacted');
		assert.ok(!/eyJ[\w-]{10,}\.[\w-]{10,}\./.test(har), 'no token in the HAR');
		if (process.platform !== 'win32') assert.equal(fs.statSync(report.trafficFile).mode & 0o077, 0, 'only the user can read the traffic');
	});

	it('a failing scenario says what was expected and what the bot did, with the request as evidence and a link to the traffic', async () => {
		const file = path.join(nodeDir, 'wrong-prompt.yaml');
		// Real time and no "within" on the prompt: the bot has the runner's full default wait to play the prompt it does
		// play, so a slow machine cannot turn the wrong-prompt failure into a no-prompt one.
		fs.writeFileSync(file, ['name: plays the goodbye prompt first', 'call:', '  from: alex', 'steps:', '  - expect: answer', '    within: 15s', '  - expect: playPrompt', '    uri: "*/goodbye.wav"', '  - press: "0"', ''].join('\n'));
		const report = await runInTestExplorer(file, 'testing.runCurrentFile');
		assert.equal(report.status, 'failed');
		assert.deepEqual(report.steps.map((s) => s.status), ['passed', 'failed', 'skipped']);
		assert.equal(report.messages.length, 1);
		const m = report.messages[0];
		assert.equal(m.line, 7, 'the message is on the failed step\'s line');
		assert.match(m.text, /^bot plays a prompt \*\/goodbye\.wav: nothing within 10s/);
		assert.match(m.expected ?? '', /goodbye\.wav/);
		assert.match(m.actual ?? '', /the bot sent 1 call\.playPrompt request\(s\), not as expected/);
		assert.match(m.evidence ?? '', /menu\.wav/, 'the prompt the bot did play is the evidence');
		assert.ok(!(m.evidence ?? '').includes(EMULATOR_TENANT.clientSecret));

		// The message's link opens the traffic; a path outside the runs' traffic is refused.
		const open = await runCommand('graphCalls.scenario.openTraffic', report.trafficFile);
		assert.ok(open.succeeded, open.message);
		assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, report.trafficFile);
		const refused = await runCommand('graphCalls.scenario.openTraffic', path.join(workspaceDir(), 'node-scenarios', 'graph-calls.json'));
		assert.ok(refused.failed, 'only the traffic of scenario runs opens');
		// Its other link draws the run's call as a timeline.
		const timeline = await runCommand('graphCalls.scenario.openTimeline', report.trafficFile);
		assert.ok(timeline.succeeded, timeline.message);
		await waitFor('a timeline tab for the run\'s traffic', () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label.includes(path.basename(report.trafficFile!)))));
		const refusedTimeline = await runCommand('graphCalls.scenario.openTimeline', path.join(workspaceDir(), 'node-scenarios', 'graph-calls.json'));
		assert.ok(refusedTimeline.failed, 'only the traffic of scenario runs becomes a timeline');
	});

	it('Debug starts a Node bot under the debugger and runs the scenario against it', async () => {
		const file = path.join(nodeDir, 'menu-hours.yaml');
		fs.copyFileSync(path.join(nodeBot, 'scenarios', 'menu-hours.yaml'), file);
		let sessionName: string | undefined;
		const sub = vscode.debug.onDidStartDebugSession((s) => {
			sessionName ??= s.name;
		});
		try {
			const report = await runInTestExplorer(file, 'testing.debugCurrentFile', 120_000);
			assert.equal(report.mode, 'debug');
			assert.equal(report.debugUnavailable, undefined);
			assert.equal(report.status, 'passed', JSON.stringify(report.messages));
			assert.match(sessionName ?? '', /^Bot under test: /, 'the bot ran in a debug session');
		} finally {
			sub.dispose();
		}
	});

	it('Debug says why a bot that is not a Node program cannot be debugged, and runs it normally', async () => {
		const dir = scenarioDir('python-scenarios', { command: 'python3 bot.py', cwd: pythonBot });
		const file = path.join(dir, 'hang-up.yaml');
		fs.copyFileSync(path.join(pythonBot, 'scenarios', 'hang-up.yaml'), file);
		const report = await runInTestExplorer(file, 'testing.debugCurrentFile');
		assert.equal(report.mode, 'debug');
		assert.match(report.debugUnavailable ?? '', /Debug is not available for the bot of .*"python3 bot\.py" does not start node.*runs without the debugger/);
		assert.equal(report.status, 'passed', JSON.stringify(report.messages));
	});
});

describe('scenario diagnostics as you type', function () {
	this.timeout(30_000);

	it('a broken scenario gets its problems on their lines; fixing it in the editor clears them before saving', async () => {
		const dir = path.join(workspaceDir(), 'broken');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, 'broken.yaml');
		fs.writeFileSync(file, ['name: broken', 'clock: fast', 'call:', '  from: zed', 'steps:', '  - expect: answer', '    url: https://x', ''].join('\n'));
		const doc = await vscode.workspace.openTextDocument(file);
		const editor = await vscode.window.showTextDocument(doc);
		const diagnostics = await waitFor('diagnostics for broken.yaml', () => {
			const d = vscode.languages.getDiagnostics(doc.uri);
			return d.length ? d : undefined;
		});
		const lines = diagnostics.map((d) => d.range.start.line).sort();
		assert.ok(lines.includes(1), `"clock: fast" is on line 2: ${JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.message]))}`);
		assert.ok(lines.includes(6), 'the unknown key "url" is on line 7');
		assert.ok(diagnostics.every((d) => d.source === 'Graph Calls scenario' && d.severity === vscode.DiagnosticSeverity.Error));
		const url = diagnostics.find((d) => d.range.start.line === 6)!;
		assert.equal(doc.getText(url.range), 'url:');

		await editor.edit((e) => {
			e.replace(new vscode.Range(1, 0, 1, doc.lineAt(1).text.length), 'clock: 10');
			e.replace(new vscode.Range(3, 0, 3, doc.lineAt(3).text.length), '  from: adele');
			e.delete(new vscode.Range(6, 0, 7, 0));
		});
		assert.equal(doc.isDirty, true);
		await waitFor('diagnostics to clear', () => vscode.languages.getDiagnostics(doc.uri).length === 0);
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
	});
});

describe('Save Call as Scenario', function () {
	this.timeout(60_000);

	before(async () => {
		await useEmulatorProfile(await getApi());
	});
	afterEach(async () => {
		await restoreUserInput();
	});
	after(async () => {
		await stopEmulator(await getApi());
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('turns a call made by hand (create, prompt, hang up) into a scenario that validates, saved where asked and opened', async () => {
		const api = await getApi();
		let input = await scriptInput({ kind: 'quickPick', pick: /Teams user/ }, { kind: 'quickPick', pick: 'Lidia Holloway' });
		const created = assertSucceeded(await runCommand<CallResource>('graphCalls.call.create'), 'created');
		input.assertAllUsed();
		const callId = created!.id;
		await waitFor('established', async () => {
			await runCommand('graphCalls.call.get', { callId });
			return api.calls.get(callId)?.call.state === 'established';
		}, 20_000, 300);
		assertSucceeded(await runCommand('graphCalls.call.hangUp', { callId }));
		// The hang-up's notification ends the call in the store; the scenario's hang-up comes from the DELETE either way.
		await waitFor('ended', () => api.calls.get(callId)?.ended, 10_000, 100).catch(() => undefined);

		const target = vscode.Uri.file(path.join(workspaceDir(), 'saved', 'call-to-lidia.yaml'));
		input = await scriptInput({ kind: 'saveDialog', uri: target });
		const run = await runCommand<vscode.Uri>('graphCalls.calls.saveAsScenario', { callId });
		input.assertAllUsed();
		assert.ok(run.succeeded, run.message);
		assert.match(run.message, /^Saved the call as scenario saved\/call-to-lidia\.yaml/);
		const text = fs.readFileSync(target.fsPath, 'utf8');
		assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'the scenario is open in an editor');
		const parsed = parseScenario(text, target.fsPath);
		assert.deepEqual(parsed.problems, [], text);
		const expectations = parsed.scenario!.steps.map((s) => s.expect?.kind ?? s.world?.kind);
		assert.equal(expectations[0], 'create');
		assert.ok(expectations.includes('hangUp'), text);
		assert.equal(parsed.scenario!.steps[0].expect?.to?.label, 'Lidia Holloway', text);
		await new Promise((r) => setTimeout(r, 600));
		assert.deepEqual(vscode.languages.getDiagnostics(target), [], 'the editor finds nothing wrong with it');
	});
});
