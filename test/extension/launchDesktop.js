#!/usr/bin/env node
// `npm run test:desktop`: the same extension-host suite (out/test/extension) on desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code. Offline machines (CI here) use
// test/extension/launchCodeServer.js instead; this launcher says so instead of failing obscurely.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

async function main() {
	const runner = path.join(root, 'out', 'test', 'extension', 'index.js');
	if (!fs.existsSync(runner)) {
		console.error('test:desktop: out/test/extension/index.js is missing: compile the tests with `npx tsc -p tsconfig.json` first.');
		return 1;
	}
	const resultsFile = process.env.GRAPH_CALLS_RESULTS_FILE || path.join(root, 'test-results', 'extension-desktop.json');
	fs.rmSync(resultsFile, { force: true });
	const workspace = path.join(root, '.cache', 'vscode-test', 'desktop', 'workspace');
	fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
	fs.mkdirSync(workspace, { recursive: true });
	const { runTests, downloadAndUnzipVSCode } = require('@vscode/test-electron');
	let vscodeExecutablePath;
	try {
		vscodeExecutablePath = await downloadAndUnzipVSCode({ version: process.env.GRAPH_CALLS_VSCODE_VERSION || 'stable', cachePath: path.join(root, '.vscode-test') });
	} catch (err) {
		console.error(`test:desktop: could not download VS Code (${err instanceof Error ? err.message : String(err)}).\n` +
			'This launcher needs internet access to update.code.visualstudio.com. Without it, run the same suite in code-server: ' +
			'`node test/extension/launchCodeServer.js` (what `npm test` does).');
		return 1;
	}
	try {
		await runTests({
			vscodeExecutablePath,
			extensionDevelopmentPath: root,
			extensionTestsPath: runner,
			// Desktop VS Code serves nothing to a browser (no port, no login to protect). Its trust prompt is a native
			// modal nobody can answer here and its trusted folders live in a SQLite store, so this one test instance
			// runs with trust off; the trust-on runs (trusted folder and Restricted Mode) are launchCodeServer.js's.
			launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
			extensionTestsEnv: { GRAPH_CALLS_RESULTS_FILE: resultsFile },
		});
	} catch (err) {
		console.error(`test:desktop: the extension-host tests failed (${err instanceof Error ? err.message : String(err)}); results in ${path.relative(root, resultsFile)}.`);
		return 1;
	}
	const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	console.log(`test:desktop: ${results.passed} passed, ${results.failed} failed`);
	return results.failed === 0 && results.passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
