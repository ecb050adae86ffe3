import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeDebugTarget } from '../../src/core/scenarios';

const CWD = path.resolve('/work/bot');

describe('Debug profile: which bot commands the JavaScript debugger can start', () => {
	it('node SCRIPT ARGS, with node options, a path to node, quoted words', () => {
		assert.deepEqual(nodeDebugTarget('node start.js', CWD), { runtimeExecutable: 'node', runtimeArgs: [], program: path.join(CWD, 'start.js'), args: [] });
		assert.deepEqual(nodeDebugTarget('/usr/bin/node --enable-source-maps -r dotenv/config dist/bot.js --port 1 "a b"', CWD), {
			runtimeExecutable: '/usr/bin/node', runtimeArgs: ['--enable-source-maps', '-r', 'dotenv/config'], program: path.join(CWD, 'dist/bot.js'), args: ['--port', '1', 'a b'],
		});
		assert.equal((nodeDebugTarget('node /abs/bot.js', CWD) as { program: string }).program, path.resolve('/abs/bot.js'));
	});

	it('says why for anything else: another runtime, npm, the shell, no script, a bot given by URL', () => {
		const reason = (cmd: string | undefined) => {
			const t = nodeDebugTarget(cmd, CWD);
			assert.ok('reason' in t, `${cmd} should not be debuggable`);
			return t.reason;
		};
		assert.match(reason('python3 bot.py'), /does not start node/);
		assert.match(reason('npm start'), /does not start node/);
		assert.match(reason('node bot.js && echo done'), /uses the shell/);
		assert.match(reason('node bot.js > log.txt'), /uses the shell/);
		assert.match(reason('node "$BOT"'), /uses the shell/);
		assert.match(reason('node --inspect'), /names no script/);
		assert.match(reason('node -e "require(1)"'), /does not run a script file/);
		assert.match(reason(undefined), /given by URL/);
	});
});
