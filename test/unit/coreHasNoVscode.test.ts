import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? filesUnder(p) : e.name.endsWith('.ts') ? [p] : [];
	});
}

describe('layering', () => {
	it('no file under src/core imports vscode', () => {
		const files = filesUnder(path.join(root, 'src/core'));
		assert.ok(files.length > 5, 'src/core should hold the product code');
		const offenders = files.filter((f) => /(from\s+['"]vscode['"])|(require\(\s*['"]vscode['"]\s*\))|(import\(\s*['"]vscode['"]\s*\))/.test(fs.readFileSync(f, 'utf8')));
		assert.deepEqual(offenders.map((f) => path.relative(root, f)), []);
	});

	it('nothing calls setGlobalDispatcher (it would take over every extension\'s fetch)', () => {
		const offenders = filesUnder(path.join(root, 'src')).filter((f) => fs.readFileSync(f, 'utf8').includes('setGlobalDispatcher'));
		assert.deepEqual(offenders.map((f) => path.relative(root, f)), []);
	});
});
