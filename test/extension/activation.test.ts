// The extension inside a real extension host: it activates, contributes its view container and commands,
// and hands other extensions (and these tests) its small public API. Also checks the ScriptedUserInput that every
// other extension test relies on.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, getExtension, EXTENSION_ID, msalLoaded, runCommand, assertSucceeded } from './support/api';
import { GRAPH_CALLS_LOG_FILE, waitForLog } from './support/logFiles';
import { ScriptedUserInput } from './support/scriptedInput';
import { UserCancelledError } from '../../src/vscode/shared/userInput';

describe('activation', () => {
	it('activates and returns the documented public API, nothing more', async () => {
		const api = await getApi();
		assert.equal(getExtension().isActive, true);
		assert.equal(api.apiVersion, 1);
		assert.deepEqual(Object.keys(api).sort(), ['apiVersion', 'automation', 'calls', 'commands', 'emulator', 'notifications', 'profiles', 'requests', 'scenarios'].sort(), 'the API is the surface src/api.ts documents');
		assert.equal(typeof api.automation.setUserInput, 'function');
		assert.equal(typeof api.commands.onDidFinish, 'function');
	});

	// This file runs first (the runner sorts the files): nothing has asked for a token yet.
	it('activation did not load msal-node', async () => {
		await getApi();
		assert.equal(msalLoaded(), false, 'dist/vendor/msal-node.js is not in require.cache after activation');
	});

	it('runs the bundled dist/extension.js of this repository', () => {
		const ext = getExtension();
		assert.equal(ext.id, EXTENSION_ID);
		assert.equal(ext.packageJSON.main, './dist/extension.js');
		assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace, 'runs in the Node extension host, not a web worker');
	});

	it('registers every command declared in package.json', async () => {
		await getApi();
		const registered = new Set(await vscode.commands.getCommands(true));
		const declared: { command: string }[] = getExtension().packageJSON.contributes.commands;
		assert.ok(declared.some((c) => c.command === 'graphCalls.log.show'));
		const missing = declared.map((c) => c.command).filter((id) => !registered.has(id));
		assert.deepEqual(missing, [], 'declared commands with no registered handler');
	});

	it('contributes the Graph Calls view container with the Calls view', async () => {
		const registered = new Set(await vscode.commands.getCommands(true));
		// VS Code creates these commands only for contributed containers and views.
		assert.ok(registered.has('workbench.view.extension.graphCalls'), 'view container graphCalls is contributed');
		assert.ok(registered.has('graphCalls.calls.focus'), 'view graphCalls.calls is contributed');
		await vscode.commands.executeCommand('workbench.view.extension.graphCalls');
		await vscode.commands.executeCommand('graphCalls.calls.focus');
	});

	it('shows the log channel from its command without an error; the channel is the "Graph Calls" log', async () => {
		await getApi();
		assertSucceeded(await runCommand('graphCalls.log.show'), 'Show Log');
		// A command that logs one line: the line lands in the file VS Code keeps for a log channel named "Graph Calls".
		const run = await runCommand('graphCalls.calls.clearEnded');
		assertSucceeded(run, 'Clear Ended Calls');
		assert.match(run.message, /No ended calls to clear\.|Cleared \d+ ended calls?\./);
		await waitForLog(run.message);
		assert.equal(GRAPH_CALLS_LOG_FILE, 'Graph Calls.log');
	});
});

describe('ScriptedUserInput', () => {
	it('answers prompts from its queue in order', async () => {
		const input = new ScriptedUserInput([
			{ kind: 'quickPick', pick: /second/ },
			{ kind: 'inputBox', value: 'hello' },
			{ kind: 'warning', choose: 'Hang Up' },
		]);
		const picked = await input.showQuickPick([{ label: 'first' }, { label: 'the second' }], { title: 'Pick a call' });
		assert.equal(picked.label, 'the second');
		assert.equal(await input.showInputBox({ prompt: 'Say something' }), 'hello');
		assert.equal(await input.showWarningMessage('Hang up?', { modal: true }, 'Hang Up'), 'Hang Up');
		input.assertAllUsed();
		assert.deepEqual(input.asked.map((a) => a.name), ['Pick a call', 'Say something', 'Hang up?']);
	});

	it('fails with the prompt name when nothing is queued', async () => {
		const input = new ScriptedUserInput();
		await assert.rejects(input.showInputBox({ title: 'Tenant ID' }), /unexpected inputBox "Tenant ID" with no scripted answer/);
		await assert.rejects(input.showQuickPick([{ label: 'a' }], { placeHolder: 'Choose a call' }), /unexpected quickPick "Choose a call".*items: a/);
	});

	it('fails when the prompt kind does not match the next answer, and on unknown items or invalid values', async () => {
		await assert.rejects(new ScriptedUserInput([{ kind: 'inputBox', value: 'x' }]).showQuickPick([{ label: 'a' }], { title: 'Pick' }),
			/showed a quickPick "Pick" but the next scripted answer is a inputBox/);
		await assert.rejects(new ScriptedUserInput([{ kind: 'quickPick', pick: 'zzz' }]).showQuickPick([{ label: 'a' }], { title: 'Pick' }),
			/no item of quick pick "Pick" matches zzz; items: a/);
		await assert.rejects(new ScriptedUserInput([{ kind: 'inputBox', value: 'bad' }]).showInputBox({ title: 'Id', validateInput: (v) => (v === 'bad' ? 'must be a GUID' : undefined) }),
			/rejected the scripted value: must be a GUID/);
		await assert.rejects(new ScriptedUserInput([{ kind: 'warning', choose: 'Delete' }]).showWarningMessage('Sure?', {}, 'Keep'),
			/offers Keep, not "Delete"/);
	});

	it('turns a scripted cancel into UserCancelledError and reports unused answers', async () => {
		const input = new ScriptedUserInput([{ kind: 'cancel' }, { kind: 'inputBox', value: 'left over' }]);
		await assert.rejects(input.showInputBox({ title: 'Name' }), UserCancelledError);
		assert.equal(input.remaining, 1);
		assert.throws(() => input.assertAllUsed(), /1 scripted answer\(s\) were not used: inputBox/);
	});
});
