import * as path from 'node:path';

/** A bot command the debugger can launch itself: node, its options, the program and its arguments. */
export interface NodeDebugTarget {
	readonly runtimeExecutable: string;
	readonly runtimeArgs: readonly string[];
	/** Absolute path of the script. */
	readonly program: string;
	readonly args: readonly string[];
}

/** Splits a command line into words the way a POSIX shell would for a simple command; undefined when it uses the shell. */
function words(command: string): string[] | undefined {
	const out: string[] = [];
	let word: string | undefined;
	for (let i = 0; i < command.length; i++) {
		const c = command[i];
		if (c === "'" || c === '"') {
			const end = command.indexOf(c, i + 1);
			if (end < 0) return undefined;
			const quoted = command.slice(i + 1, end);
			if (c === '"' && /[$`\\]/.test(quoted)) return undefined;
			word = (word ?? '') + quoted;
			i = end;
		} else if (/\s/.test(c)) {
			if (word !== undefined) out.push(word);
			word = undefined;
		} else if (/[|&;<>()$`\\*?[\]{}~]/.test(c)) {
			return undefined;
		} else {
			word = (word ?? '') + c;
		}
	}
	if (word !== undefined) out.push(word);
	return out;
}

const NODE = /^(?:.*[/\\])?node(?:js)?(?:\.exe)?$/i;

/**
 * Whether a bot's command is a Node program VS Code's JavaScript debugger can start (`node [options] script [args]`),
 * and if not, why: the Debug profile then says so and runs the bot normally. A shell pipeline, an npm script or
 * another runtime are not taken apart, since debugging them would start something other than what the command runs.
 */
export function nodeDebugTarget(command: string | undefined, cwd: string): NodeDebugTarget | { reason: string } {
	if (!command) return { reason: 'the bot is given by URL: it already runs, so start it under the debugger yourself' };
	const w = words(command.trim());
	if (!w) return { reason: `its command "${command}" uses the shell (quotes with variables, pipes, redirections or several commands); write it as "node SCRIPT ARGS" to debug it` };
	if (!w.length || !NODE.test(w[0])) return { reason: `its command "${command}" does not start node; only "node SCRIPT ARGS" commands can be started under the JavaScript debugger` };
	let i = 1;
	const runtimeArgs: string[] = [];
	while (i < w.length && w[i].startsWith('-')) {
		// Options that take the next word as their value (node --require x script.js).
		if (/^(-r|--require|--import|--loader|--experimental-loader|--env-file|--conditions|-C)$/.test(w[i]) && i + 1 < w.length) runtimeArgs.push(w[i++]);
		if (/^(-e|--eval|-p|--print|-i|--interactive|-)$/.test(w[i])) return { reason: `its command "${command}" does not run a script file` };
		runtimeArgs.push(w[i++]);
	}
	if (i >= w.length) return { reason: `its command "${command}" names no script for node to run` };
	return { runtimeExecutable: w[0], runtimeArgs, program: path.resolve(cwd, w[i]), args: w.slice(i + 1) };
}
