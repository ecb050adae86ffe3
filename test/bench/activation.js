// Loads the production bundle with a fake 'vscode' module and runs activate(), in a fresh Node process.
// Prints {activateMs, requireMs, msalLoadedAtActivate} as JSON on the last line.
'use strict';
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const bundle = path.resolve(process.argv[2] ?? path.join(__dirname, '../../dist/extension.js'));
const fakePath = require.resolve('./fakeVscode.js');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
	return request === 'vscode' ? fakePath : originalResolve.call(this, request, ...rest);
};
const vscode = require(fakePath);
const storage = path.join(os.tmpdir(), `graph-calls-bench-${process.pid}`);
const context = {
	subscriptions: [],
	globalState: vscode.__memento(),
	workspaceState: vscode.__memento(),
	secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
	extensionUri: vscode.Uri.file(path.resolve(__dirname, '../..')),
	extensionPath: path.resolve(__dirname, '../..'),
	globalStorageUri: vscode.Uri.file(storage),
	storageUri: vscode.Uri.file(path.join(storage, 'ws')),
	logUri: vscode.Uri.file(path.join(storage, 'log')),
	extensionMode: 3,
	asAbsolutePath: (p) => path.resolve(__dirname, '../..', p),
	extension: { id: 'graph-calls-workbench.graph-calls-workbench', packageJSON: require('../../package.json') },
	environmentVariableCollection: {},
};

const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
const api = ext.activate(context);
const t2 = performance.now();
const msalInCache = Object.keys(require.cache).some((k) => k.includes('msal-node'));
const result = {
	requireMs: t1 - t0,
	activateMs: t2 - t0,
	msalLoadedAtActivate: Boolean(api?.msalLoadedAtActivation) || Boolean(api?.isMsalLoaded?.()) || msalInCache,
	subscriptions: context.subscriptions.length,
};
for (const d of context.subscriptions) {
	try {
		d?.dispose?.();
	} catch {
		// Disposing fake-backed services may throw; the timing is already taken.
	}
}
console.log(JSON.stringify(result));
process.exit(0);
