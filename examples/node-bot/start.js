#!/usr/bin/env node
// Runs the bot with one command on a fresh checkout: bundles src/ into dist/bot.js with esbuild when dist/bot.js is
// missing or older than a source file, then runs it. `npm run build` + `node dist/bot.js` does the same in two steps.
const fs = require('node:fs');
const path = require('node:path');

const src = path.join(__dirname, 'src');
const out = path.join(__dirname, 'dist', 'bot.js');

function stale() {
	let built;
	try {
		built = fs.statSync(out).mtimeMs;
	} catch {
		return true;
	}
	return fs.readdirSync(src).some((f) => fs.statSync(path.join(src, f)).mtimeMs > built);
}

if (stale()) {
	// Build beside the target and rename, so bots started in parallel never run a half-written file.
	const tmp = `${out}.${process.pid}.tmp`;
	require('esbuild').buildSync({ entryPoints: [path.join(src, 'bot.ts')], bundle: true, platform: 'node', target: 'node20', outfile: tmp, logLevel: 'error' });
	fs.renameSync(tmp, out);
}
require(out);
