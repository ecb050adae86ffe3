// The product's TypeScript sources, read for the structure tests (layering, import cycles, size, comments).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The repository root (this file runs from out/test/unit). */
export const repoRoot = path.resolve(__dirname, '../../..');
export const srcRoot = path.join(repoRoot, 'src');

export function tsFilesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? tsFilesUnder(p) : e.name.endsWith('.ts') ? [p] : [];
	});
}

/** A path as a failure message shows it: relative to the repository, with forward slashes. */
export function shown(file: string): string {
	return path.relative(repoRoot, file).split(path.sep).join('/');
}

export interface SourceFile {
	readonly file: string;
	readonly text: string;
	readonly ast: ts.SourceFile;
	/** 1-based line of a character offset. */
	lineOf(pos: number): number;
}

export function readSource(file: string): SourceFile {
	return parseSource(file, fs.readFileSync(file, 'utf8'));
}

export function parseSource(file: string, text: string): SourceFile {
	const ast = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	return { file, text, ast, lineOf: (pos) => ast.getLineAndCharacterOfPosition(pos).line + 1 };
}

/** Every src/**.ts file, parsed. */
export function productSources(): SourceFile[] {
	return tsFilesUnder(srcRoot).map(readSource);
}
