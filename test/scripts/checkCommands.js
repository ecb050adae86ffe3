// Fails when a command declared in package.json is not registered in src/, or the reverse,
// or when a declared command has no title or category.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const declared = new Map((pkg.contributes.commands || []).map((c) => [c.command, c]));

function sources(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) ? [p] : [];
	});
}

const registered = new Set();
for (const file of sources(path.join(root, 'src/vscode')).concat(path.join(root, 'src/extension.ts'))) {
	const text = fs.readFileSync(file, 'utf8');
	// Commands are registered through the one wrapper, commands.register('graphCalls.x.y', ...).
	for (const m of text.matchAll(/(?:\.register|registerCommand)\(\s*['"`](graphCalls\.[\w.]+)['"`]/g)) registered.add(m[1]);
}

const problems = [];
for (const [id, c] of declared) {
	if (!registered.has(id)) problems.push(`declared in package.json but never registered: ${id}`);
	if (!c.title) problems.push(`declared without a title: ${id}`);
	if (c.category !== 'Graph Calls') problems.push(`declared without category "Graph Calls": ${id}`);
}
for (const id of registered) {
	if (!declared.has(id)) problems.push(`registered in code but not declared in package.json: ${id}`);
}
if (problems.length) {
	console.error(problems.map((p) => `checkCommands: ${p}`).join('\n'));
	process.exit(1);
}
console.log(`checkCommands: ${declared.size} commands declared and registered`);
