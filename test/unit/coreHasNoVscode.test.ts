import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tsFilesUnder } from './sourceFiles';

describe('layering', () => {
	it('no file under src/core imports vscode', () => {
		const files = tsFilesUnder(path.join(repoRoot, 'src/core'));
		assert.ok(files.length > 5, 'src/core should hold the product code');
		const offenders = files.filter((f) => /(from\s+['"]vscode['"])|(require\(\s*['"]vscode['"]\s*\))|(import\(\s*['"]vscode['"]\s*\))/.test(fs.readFileSync(f, 'utf8')));
		assert.deepEqual(offenders.map((f) => path.relative(repoRoot, f)), []);
	});

	it('nothing calls setGlobalDispatcher (it would take over every extension\'s fetch)', () => {
		const offenders = tsFilesUnder(path.join(repoRoot, 'src')).filter((f) => fs.readFileSync(f, 'utf8').includes('setGlobalDispatcher'));
		assert.deepEqual(offenders.map((f) => path.relative(repoRoot, f)), []);
	});
});
