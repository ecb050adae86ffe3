// House rules for the product code that a reviewer would otherwise check by eye: files small enough to read,
// no fields kept only so tests can peek, and comments that say why instead of pointing at an issue.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseSource, productSources, shown, srcRoot, type SourceFile } from './sourceFiles';

const MAX_LINES = 500;

/** Names of fields and variables that only ever existed for tests to read what the product did. */
const TEST_HOOK_NAMES = new Set(['lastError', 'lastResult', 'lastReplay', 'lastCode', 'treeCommandResults']);

/** A comment that cites an issue instead of giving the reason: "(issue 12)", "issue #12", "issues 3 and 4", "(#12)". */
const ISSUE_CITATION = /\bissues?\s*#?\s*\d+|\(#\d+\)/i;

function lineCount(text: string): number {
	return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Every node and token of a file, in order (comments hang off tokens too, such as a closing brace). */
function everyNode(source: SourceFile, visit: (node: ts.Node) => void): void {
	const walk = (node: ts.Node): void => {
		visit(node);
		for (const child of node.getChildren(source.ast)) walk(child);
	};
	walk(source.ast);
}

interface Comment {
	readonly pos: number;
	readonly text: string;
}

function comments(source: SourceFile): Comment[] {
	const seen = new Map<number, Comment>();
	const collect = (ranges: ts.CommentRange[] | undefined) => {
		for (const r of ranges ?? []) if (!seen.has(r.pos)) seen.set(r.pos, { pos: r.pos, text: source.text.slice(r.pos, r.end) });
	};
	everyNode(source, (node) => {
		collect(ts.getLeadingCommentRanges(source.text, node.getFullStart()));
		collect(ts.getTrailingCommentRanges(source.text, node.end));
	});
	return [...seen.values()].sort((a, b) => a.pos - b.pos);
}

describe('source rules', () => {
	const sources = productSources();

	it(`no file in src is over ${MAX_LINES} lines`, () => {
		assert.ok(sources.length > 50, 'src should hold the product code');
		const long = sources.filter((s) => lineCount(s.text) > MAX_LINES).map((s) => `${shown(s.file)} has ${lineCount(s.text)} lines`);
		assert.deepEqual(long, []);
	});

	it('product code keeps no test hooks (lastError, lastResult, lastReplay, lastCode, treeCommandResults)', () => {
		const hooks: string[] = [];
		for (const source of sources) {
			const file = shown(source.file);
			everyNode(source, (node) => {
				if (!ts.isIdentifier(node) || !TEST_HOOK_NAMES.has(node.text)) return;
				hooks.push(`${file}:${source.lineOf(node.getStart(source.ast))} ${node.text}`);
			});
		}
		assert.deepEqual(hooks, []);
	});

	it('no comment in src cites an issue number: comments say why', () => {
		assert.deepEqual(sources.flatMap(issueCitations), []);
	});

	it('the citation finder reads line, block and JSDoc comments, and nothing inside strings or templates', () => {
		const text = [
			'const a = `x ${1} // (issue 1)`; // (issue 2)',
			'/*',
			' * refers to issue #3',
			' */',
			'function f() {',
			'\t/** see (#4) */',
			'\treturn "issue 5";',
			'\t// the #1 reason: callers press 1, 2 and #',
			'\t// issues 7 and 8',
			'}',
		].join('\n');
		assert.deepEqual(issueCitations(parseSource(path.join(srcRoot, 'fake.ts'), text)), ['src/fake.ts:1 issue 2', 'src/fake.ts:3 issue #3', 'src/fake.ts:6 (#4)', 'src/fake.ts:9 issues 7']);
	});
});

/** `file:line citation` for each comment that cites an issue, at the line of the citation itself. */
function issueCitations(source: SourceFile): string[] {
	return comments(source).flatMap((c) => {
		const m = ISSUE_CITATION.exec(c.text);
		return m ? [`${shown(source.file)}:${source.lineOf(c.pos + m.index)} ${m[0]}`] : [];
	});
}
