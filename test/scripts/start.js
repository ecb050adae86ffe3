#!/usr/bin/env node
// `npm start`: runs the product. Installs the tools if needed (test/scripts/setupTools.js), builds the extension,
// installs it into a code-server (VS Code 1.139) on 127.0.0.1 with a sample workspace of .http requests, and
// prints the URL to open and the password of this run. Ctrl+C stops code-server's whole process group, and with it
// the extension host and the emulator the extension started.
//
// Served as safely as a local VS Code in a browser can be: any web page the developer opens can reach 127.0.0.1
// (DNS rebinding), so code-server asks for a password that is new every run and printed only here (code-server
// takes no password in a URL), workspace trust stays on, and the port is a free one unless --port asks for one.
//
// Options: --port N (default: any free port), --state-dir DIR (default .cache/start),
// --skip-setup (no tool check and no build: for tests that built already).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
require('./ensureDependencies').ensureDependencies('start: ');

function option(name) {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

function step(label, args) {
	console.log(`start: ${label}`);
	const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) {
		console.error(`start: ${label} failed (exit ${r.status ?? r.signal}); fix the error above and run \`npm start\` again.`);
		process.exit(1);
	}
}

/** --port N: a port number, or undefined for any free port. Exits with a message on anything else. */
function requestedPort() {
	const raw = option('--port');
	if (raw === undefined) return undefined;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		console.error(`start: --port wants a port number from 1 to 65535, not "${raw}".`);
		process.exit(1);
	}
	return port;
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Sample request documents, written once: later runs keep the user's edits. */
const SAMPLES = {
	'README.md': `# Graph Calls Workbench sample workspace

Created by \`npm start\`. The **Graph Calls** view in the activity bar shows your calls; with no profile yet,
click **Use Local Emulator** there: the local emulator needs no Azure tenant.

- \`calls.http\`: create a call to a directory user of the emulator, read it, play a prompt, hang up.
  Click **Send** above a request (the CodeLens) to send it with the active profile.
- \`participants.http\`: list, invite and mute participants of a call.

Requests are logged in the **Graph Calls** output channel (\`Graph Calls: Show Log\`) without secrets or tokens.
`,
	'calls.http': `# Requests are sent with the active profile's token; paths join its Graph base URL.
# {{callId}} is the call selected in the Calls view; {{callbackUri}} comes from the profile.
@userId = 0d5e1a6b-0001-4a00-8000-000000000001

### Create a call to Adele Vance (a directory user who answers)
POST /communications/calls
Content-Type: application/json

{
  "@odata.type": "#microsoft.graph.call",
  "callbackUri": "{{callbackUri}}",
  "targets": [
    {
      "@odata.type": "#microsoft.graph.invitationParticipantInfo",
      "identity": { "@odata.type": "#microsoft.graph.identitySet", "user": { "@odata.type": "#microsoft.graph.identity", "id": "{{userId}}", "displayName": "Adele Vance" } }
    }
  ],
  "requestedModalities": ["audio"],
  "mediaConfig": { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
  "tenantId": "{{tenantId}}"
}

### Get the selected call
GET /communications/calls/{{callId}}

### Play a prompt in the selected call
POST /communications/calls/{{callId}}/playPrompt
Content-Type: application/json

{
  "clientContext": "{{$guid}}",
  "prompts": [
    { "@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": { "@odata.type": "#microsoft.graph.mediaInfo", "uri": "https://cdn.contoso.com/beep.wav", "resourceId": "{{$guid}}" } }
  ]
}

### Hang up the selected call
DELETE /communications/calls/{{callId}}
`,
	'participants.http': `@userId = 0d5e1a6b-0002-4a00-8000-000000000002

### List the participants of the selected call
GET /communications/calls/{{callId}}/participants

### Invite Alex Wilber into the selected call
POST /communications/calls/{{callId}}/participants/invite
Content-Type: application/json

{
  "participants": [
    {
      "@odata.type": "#microsoft.graph.invitationParticipantInfo",
      "identity": { "@odata.type": "#microsoft.graph.identitySet", "user": { "@odata.type": "#microsoft.graph.identity", "id": "{{userId}}", "displayName": "Alex Wilber" } }
    }
  ],
  "clientContext": "{{$guid}}"
}

### Mute the bot in the selected call
POST /communications/calls/{{callId}}/mute
Content-Type: application/json

{ "clientContext": "{{$guid}}" }
`,
};

function writeSampleWorkspace(dir) {
	fs.mkdirSync(dir, { recursive: true });
	for (const [name, text] of Object.entries(SAMPLES)) {
		const file = path.join(dir, name);
		if (!fs.existsSync(file)) fs.writeFileSync(file, text);
	}
	return dir;
}

/**
 * Settings for the product workbench: the extension's own `graphCalls.*` startup settings are applied only when
 * package.json declares them, so this keeps working whatever the profiles feature provides.
 */
function startSettings() {
	const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const properties = (manifest.contributes && manifest.contributes.configuration && manifest.contributes.configuration.properties) || {};
	const settings = {};
	if ('graphCalls.startEmulatorOnStartup' in properties) settings['graphCalls.startEmulatorOnStartup'] = true;
	return { settings, emulatorOnStartup: 'graphCalls.startEmulatorOnStartup' in settings };
}

async function main() {
	const stateDir = path.resolve(option('--state-dir') || path.join(root, '.cache', 'start'));
	if (!process.argv.includes('--skip-setup')) {
		step('checking tools (Chromium, Node 24, code-server)', ['test/scripts/setupTools.js']);
		step('building the extension', ['esbuild.js', '--production']);
	}
	const { startCodeServer, installExtension } = require('../extension/launchCodeServer.js');
	const workspace = writeSampleWorkspace(path.join(stateDir, 'workspace'));
	const extensionsDir = path.join(stateDir, 'extensions');
	const installed = installExtension(extensionsDir);
	console.log(`start: installed the extension into ${path.relative(root, installed)}`);
	const port = requestedPort();
	if (port !== undefined && !await portIsFree(port)) {
		console.error(`start: port ${port} on 127.0.0.1 is taken; choose another with --port N, or leave --port out for any free port.`);
		process.exit(1);
	}
	const { settings, emulatorOnStartup } = startSettings();
	const logFile = path.join(stateDir, 'code-server.log');
	const server = await startCodeServer({ stateDir, workspace, extensionsDir, settings, logFile, port });

	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`\nstart: ${signal}: stopping code-server (process group ${server.pid}) and everything it started`);
		await server.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));

	const url = `${server.baseUrl}/?folder=${encodeURIComponent(workspace)}`;
	console.log('');
	console.log(`start: Graph Calls Workbench is running in VS Code at ${url}`);
	// The one place the password appears: it reaches code-server through its environment (which code-server then
	// clears), never its command line, and code-server's log does not hold it.
	console.log(`start: password (new every run): ${server.password}`);
	console.log('start: VS Code then asks whether you trust the sample folder: it holds only the requests this script wrote.');
	console.log(`start: ${emulatorOnStartup ? 'the local emulator starts with the extension (Emulator profile active).'
		: 'open the Graph Calls view and click "Use Local Emulator" to try it without a tenant.'}`);
	console.log(`start: code-server process group ${server.pid}, log ${path.relative(root, logFile)}. Press Ctrl+C to stop.`);
	// Keep running until a signal; notice if code-server dies on its own.
	let misses = 0;
	const timer = setInterval(async () => {
		try {
			const res = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(4000) });
			if (res.ok) {
				misses = 0;
				return;
			}
		} catch {
			// counted below
		}
		if (stopping || ++misses < 3) return;
		clearInterval(timer);
		console.error(`start: code-server stopped answering; see ${path.relative(root, logFile)}.`);
		await server.stop();
		process.exit(1);
	}, 5000);
}

module.exports = { SAMPLES, writeSampleWorkspace };

if (require.main === module) {
	main().catch((err) => {
		console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
		process.exit(1);
	});
}
