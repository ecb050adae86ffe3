// Bundles the extension and the command line (graph-calls, and graph-calls-emulator) (see vscode-extension-samples/esbuild-sample for the shape).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile') || production;

/** Prints errors in the format the `$esbuild-watch` problem matcher understands. */
const problemMatcherPlugin = {
	name: 'esbuild-problem-matcher',
	setup(build) {
		build.onStart(() => console.log('[watch] build started'));
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
			}
			console.log('[watch] build finished');
		});
	},
};

const common = {
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	minify: production,
	sourcemap: !production,
	sourcesContent: false,
	logLevel: 'silent',
	metafile,
	plugins: [problemMatcherPlugin],
};

/**
 * undici and msal-node are two thirds of the extension's code but are only needed on the first request or token
 * (src/core/lazyUndici.ts, src/core/auth/msalTokenProvider.ts require them lazily). Bundling them into their own
 * files keeps them out of what VS Code has to read and compile at activation.
 */
const vendored = { undici: 'undici', '@azure/msal-node': 'msal-node' };
const vendorPlugin = {
	name: 'lazy-vendor',
	setup(build) {
		build.onResolve({ filter: /^(undici|@azure\/msal-node)$/ }, (args) => ({ path: `./vendor/${vendored[args.path]}.js`, external: true }));
	},
};

/**
 * The scenario parser and runner bring the emulator, ajv and yaml: the extension loads them on first use
 * (src/vscode/scenarios/scenarioEngine.ts) from their own file, like the vendored packages above.
 */
const scenariosPlugin = {
	name: 'lazy-scenarios',
	setup(build) {
		build.onResolve({ filter: /core\/scenarios$/ }, (args) => (args.importer.includes(`${path.sep}vscode${path.sep}`) ? { path: './scenarios.js', external: true } : undefined));
	},
};

const entries = [
	{ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [...common.plugins, vendorPlugin, scenariosPlugin] },
	{ ...common, entryPoints: ['src/core/scenarios/index.ts'], outfile: 'dist/scenarios.js', plugins: [...common.plugins, vendorPlugin] },
	...Object.entries(vendored).map(([pkg, name]) => ({ ...common, entryPoints: [require.resolve(pkg)], outfile: `dist/vendor/${name}.js` })),
	{ ...common, entryPoints: ['src/cli/emulator.ts'], outfile: 'dist/emulator.js', banner: { js: '#!/usr/bin/env node' } },
	{ ...common, entryPoints: ['src/cli/graphCalls.ts'], outfile: 'dist/graph-calls.js', banner: { js: '#!/usr/bin/env node' } },
];

async function main() {
	const contexts = await Promise.all(entries.map((options) => esbuild.context(options)));
	if (watch) {
		await Promise.all(contexts.map((ctx) => ctx.watch()));
		return;
	}
	const results = await Promise.all(contexts.map((ctx) => ctx.rebuild()));
	await Promise.all(contexts.map((ctx) => ctx.dispose()));
	if (metafile) {
		fs.mkdirSync('dist', { recursive: true });
		results.forEach((result, i) => {
			const name = path.basename(entries[i].outfile, '.js');
			fs.writeFileSync(path.join('dist', `${name}.meta.json`), JSON.stringify(result.metafile));
			const bytes = fs.statSync(entries[i].outfile).size;
			console.log(`${entries[i].outfile}: ${(bytes / 1024).toFixed(1)} KB`);
		});
	}
	fs.chmodSync('dist/emulator.js', 0o755);
	fs.chmodSync('dist/graph-calls.js', 0o755);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
