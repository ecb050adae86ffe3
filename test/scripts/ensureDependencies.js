// A fresh clone has no node_modules: `npm test` and `npm start` install exactly the lockfile (npm ci) before
// anything resolves a module. Exits with a next step when that fails.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

function ensureDependencies(label) {
	if (fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) return;
	console.log(`${label}npm ci (the first run after a clone installs the npm packages)`);
	const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) {
		console.error('\nnpm ci failed: check that the npm registry is reachable and package-lock.json is committed, then run again.');
		process.exit(1);
	}
}

module.exports = { ensureDependencies };
