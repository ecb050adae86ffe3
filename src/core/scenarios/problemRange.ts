import type { SourcePosition } from './scenarioModel';

/** A span in a text, 0-based as editors count (VS Code's Range, LSP's Range). */
export interface TextSpan {
	readonly startLine: number;
	readonly startColumn: number;
	readonly endLine: number;
	readonly endColumn: number;
}

/**
 * Where to underline a problem reported at a 1-based line and column: from that column to the end of the token
 * there (a key, a value, a quoted string), so a squiggle covers `clock: fast`'s value, not the whole file. A
 * position past the end of its line (a problem at the end of the document) underlines the line's text instead,
 * and a line past the end of the text is clamped to the last line.
 */
export function problemSpan(text: string, at: SourcePosition): TextSpan {
	const lines = text.split(/\r?\n/);
	const line = Math.min(Math.max(at.line, 1), lines.length) - 1;
	const content = lines[line] ?? '';
	let start = Math.max(at.column, 1) - 1;
	if (start >= content.trimEnd().length) start = content.length - content.trimStart().length;
	let end = start;
	const quote = content[start];
	if (quote === '"' || quote === "'") {
		end = content.indexOf(quote, start + 1);
		end = end < 0 ? content.length : end + 1;
	} else {
		// A key ends with its colon; a value at the end of its word (a comma stops it; a URL's colons do not).
		const keyColon = (i: number) => content[i] === ':' && (i + 1 >= content.length || /\s/.test(content[i + 1]));
		while (end < content.length && !/[\s,]/.test(content[end]) && !keyColon(end)) end++;
		if (keyColon(end)) end++;
	}
	if (end === start) end = Math.max(start, content.trimEnd().length);
	return { startLine: line, startColumn: start, endLine: line, endColumn: end };
}
