import * as vscode from 'vscode';

/**
 * The "Graph Calls" log channel. Text reaching it has already been redacted in core
 * (src/core/graph/redaction.ts); this adapter only formats and forwards.
 */
export function createLogChannel(): vscode.LogOutputChannel {
	return vscode.window.createOutputChannel('Graph Calls', { log: true });
}
