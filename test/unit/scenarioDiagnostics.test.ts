import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseScenario, problemSpan, SCENARIO_SCHEMA } from '../../src/core/scenarios';

/** The text a problem's span underlines. */
function underlined(text: string, line: number, column: number): string {
	const s = problemSpan(text, { line, column });
	assert.equal(s.startLine, s.endLine);
	return text.split('\n')[s.startLine].slice(s.startColumn, s.endColumn);
}

/** What an editor would underline for each problem the parser finds in a scenario. */
function squiggles(text: string): { line: number; text: string; message: string }[] {
	return parseScenario(text, 'x.yaml').problems.map((p) => {
		const s = problemSpan(text, p);
		return { line: s.startLine, text: text.split('\n')[s.startLine].slice(s.startColumn, s.endColumn), message: p.message };
	});
}

describe('scenario diagnostics: problems underline what is wrong', () => {
	it('a bad value, an unknown key and an unknown person are each underlined where they are, on their 0-based line', () => {
		const text = ['name: x', 'clock: fast', 'call:', '  from: zed', 'steps:', '  - expect: answer', '    url: https://x', ''].join('\n');
		const found = squiggles(text);
		assert.ok(found.length >= 2, JSON.stringify(found));
		const clock = found.find((f) => /clock/.test(f.message));
		assert.ok(clock, JSON.stringify(found));
		assert.equal(clock.line, 1);
		assert.match(clock.text, /clock|fast/);
		const url = found.find((f) => /url/.test(f.message));
		assert.ok(url, JSON.stringify(found));
		assert.equal(url.line, 6);
		assert.match(url.text, /url/);
	});

	it('a person nobody knows is underlined on their name', () => {
		const text = ['call:', '  from: zed', 'steps:', '  - expect: answer', ''].join('\n');
		const found = squiggles(text);
		assert.equal(found.length, 1, JSON.stringify(found));
		assert.equal(found[0].line, 1);
		assert.equal(found[0].text, 'zed');
		assert.match(found[0].message, /nobody called "zed"/);
	});

	it('a YAML syntax error gets a span on its line', () => {
		const text = 'steps:\n  - expect: answer\n    within: [15s\n';
		const found = squiggles(text);
		assert.ok(found.length >= 1);
		for (const f of found) assert.ok(f.line >= 0 && f.line <= 3);
	});

	it('spans: a key to its colon, a quoted value whole, a word to its end, past the line to the line\'s text, past the text to the last line', () => {
		const text = 'steps:\n  - press: "1 2"   # keys\n  - wait: 2h, x\n';
		assert.equal(underlined(text, 2, 5), 'press:');
		assert.equal(underlined(text, 2, 12), '"1 2"');
		assert.equal(underlined(text, 3, 11), '2h');
		assert.equal(underlined(text, 1, 40), 'steps:');
		const last = problemSpan(text, { line: 99, column: 1 });
		assert.equal(last.startLine, 3);
	});
});

describe('the YAML extension\'s copy of the scenario schema', () => {
	it('media/scenario.schema.json (contributes.yamlValidation) is the schema the runner checks with', () => {
		const root = path.resolve(__dirname, '../../..');
		const media = JSON.parse(readFileSync(path.join(root, 'media', 'scenario.schema.json'), 'utf8')) as unknown;
		const source = JSON.parse(readFileSync(path.join(root, 'src', 'core', 'scenarios', 'scenario.schema.json'), 'utf8')) as unknown;
		assert.deepEqual(media, source, 'copy src/core/scenarios/scenario.schema.json to media/ after changing it');
		assert.deepEqual(source, SCENARIO_SCHEMA);
		const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { yamlValidation?: { url: string }[] } };
		assert.deepEqual(pkg.contributes.yamlValidation?.map((v) => v.url), ['./media/scenario.schema.json']);
	});
});
