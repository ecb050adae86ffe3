/**
 * The contributed snippets (media/snippets/*.json) are generated from CALL_EXAMPLES so they never drift from the
 * examples the golden files test; a unit test fails when the checked-in files differ from this output.
 */
import { CALL_EXAMPLES, type CallExample } from './callExamples';
import { serialiseRequest } from './httpDocument';

interface SnippetEntry {
	prefix: string;
	description: string;
	body: string[];
}

/** VS Code snippet bodies treat `$` as a tab stop: escape it. */
function escape(line: string): string {
	return line.replace(/\\/g, '\\\\').replace(/\$/g, '\\$');
}

export function exampleAsHttp(example: CallExample): string {
	return serialiseRequest({ comment: example.title, method: example.method, url: example.path, body: example.body });
}

/** Snippets for `.http` documents: each a complete request. */
export function httpSnippets(): Record<string, SnippetEntry> {
	const out: Record<string, SnippetEntry> = {};
	for (const e of CALL_EXAMPLES) {
		out[`Graph Calls: ${e.title}`] = { prefix: e.prefix, description: `${e.method} ${e.path} (${e.action})`, body: exampleAsHttp(e).trimEnd().split('\n').map(escape) };
	}
	return out;
}

/** Snippets for JSON files: the documented request body of every action that has one. */
export function jsonSnippets(): Record<string, SnippetEntry> {
	const out: Record<string, SnippetEntry> = {};
	for (const e of CALL_EXAMPLES) {
		if (!e.body) continue;
		out[`Graph Calls: ${e.title} (body)`] = { prefix: e.prefix, description: `Body of ${e.method} ${e.path} (${e.action})`, body: JSON.stringify(e.body, null, '\t').split('\n').map(escape) };
	}
	return out;
}

export function snippetFileText(entries: Record<string, SnippetEntry>): string {
	return JSON.stringify(entries, null, '\t') + '\n';
}
