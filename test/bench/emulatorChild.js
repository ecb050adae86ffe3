// Starts dist/emulator.js in its own process, as the extension starts it, and resolves with its ready line plus the
// CA PEM. The benchmark's request path runs against it, so the emulator's own work does not share a CPU queue with
// the client being measured. `stop()` ends the process and removes its state folder.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const EMULATOR = path.resolve(__dirname, '../../dist/emulator.js');

/** @param {string[]} [extraArgs] more CLI options, for example ['--clock-speed', '50'] */
async function startEmulatorChild(extraArgs = []) {
	if (!fs.existsSync(EMULATOR)) throw new Error(`${EMULATOR} is missing: run "node esbuild.js" first (npm run bench does).`);
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcw-bench-emu-'));
	const child = spawn(process.execPath, [EMULATOR, '--port', '0', '--state-dir', stateDir, '--quiet', '--parent-pid', String(process.pid), ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
	const ready = await new Promise((resolve, reject) => {
		let buffered = '';
		child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before it was ready`)));
		child.stdout.on('data', (d) => {
			buffered += d;
			const nl = buffered.indexOf('\n');
			if (nl >= 0) resolve(JSON.parse(buffered.slice(0, nl)));
		});
	});
	return {
		...ready,
		caCertPem: fs.readFileSync(ready.caCertFile, 'utf8'),
		pid: child.pid,
		stop: () => new Promise((resolve) => {
			const done = () => {
				fs.rmSync(stateDir, { recursive: true, force: true });
				resolve();
			};
			if (child.exitCode !== null) return done();
			child.once('exit', done);
			child.kill('SIGTERM');
		}),
	};
}

module.exports = { startEmulatorChild };
