// The log files VS Code writes for this window, read from disk as a user (or a bug report) would see them. The
// launcher (launchCodeServer.js) passes code-server's user-data dir as GRAPH_CALLS_USER_DATA_DIR: the extension
// host inherits code-server's environment, and every log lives under <user-data>/logs/<session>/. It also sets
// this extension's log level to trace, so every line the product writes, at any level, reaches the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ID } from './api';
import { waitFor } from './waitFor';

/** The channel's file name: VS Code names a log output channel's file after the channel. */
export const GRAPH_CALLS_LOG_FILE = 'Graph Calls.log';

export function logsRoot(): string {
	const userData = process.env.GRAPH_CALLS_USER_DATA_DIR;
	if (!userData) throw new Error('GRAPH_CALLS_USER_DATA_DIR is not set: run the extension tests through test/extension/launchCodeServer.js, which passes the user-data dir to the extension host.');
	return path.join(userData, 'logs');
}

function filesUnder(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The "Graph Calls" log channel as written to disk (<logs>/<session>/.../<extension id>/Graph Calls.log). */
export function graphCallsLog(): string {
	return filesUnder(logsRoot())
		.filter((f) => path.basename(f) === GRAPH_CALLS_LOG_FILE && path.basename(path.dirname(f)).toLowerCase() === EXTENSION_ID)
		.map((f) => fs.readFileSync(f, 'utf8'))
		.join('\n');
}

/** Every log file of this session (every channel, the extension host, the server): for leak checks. */
export function allLogs(): string {
	return filesUnder(logsRoot()).filter((f) => f.endsWith('.log')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** Polls the "Graph Calls" log file until it holds `expected` (the logger writes asynchronously); returns the text. */
export async function waitForLog(expected: RegExp | string, timeoutMs = 10_000): Promise<string> {
	const matches = (t: string) => (typeof expected === 'string' ? t.includes(expected) : expected.test(t));
	return waitFor(`${String(expected)} in ${GRAPH_CALLS_LOG_FILE} under ${logsRoot()}`, () => {
		const text = graphCallsLog();
		return matches(text) ? text : undefined;
	}, timeoutMs, 100);
}
