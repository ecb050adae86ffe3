import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EMULATOR_TENANT } from '../../../src/core/emulator';
import { loadScenarioFile, runScenario, type ScenarioRunEvent } from '../../../src/core/scenarios';
import { testStateDir } from '../support/emulatorFixture';
import { scenarioDir } from '../support/scenarioFiles';

/**
 * A bot that never answers and talks about it: its client secret at start (as careless bots do), each notification
 * as it comes, and a last line with no newline when it is stopped.
 */
const CHATTY_BOT = `
const http = require('node:http');
console.log('starting with secret ' + process.env.GRAPH_CLIENT_SECRET);
process.on('SIGTERM', () => { process.stdout.write('stopped without newline'); process.exit(0); });
http.createServer((req, res) => {
	let body = '';
	req.on('data', (c) => (body += c));
	req.on('end', () => {
		res.writeHead(202).end();
		for (const n of JSON.parse(body).value) console.error('notified: ' + n.resourceData.state);
	});
}).listen(Number(process.env.BOT_PORT), '127.0.0.1');
`;

describe('scenarios: the bot\'s output as it prints it', function () {
	this.timeout(30_000);

	it('streams whole lines, redacted, while a step still waits, and the last unfinished line when the bot stops', async () => {
		const dir = scenarioDir({ 's.yaml': `clock: 10\nbot:\n  command: node chatty.js\n  startTimeout: 5s\ncall:\n  from: adele\nsteps:\n  - expect: answer\n    within: 20s\n` });
		writeFileSync(path.join(dir, 'chatty.js'), CHATTY_BOT);
		const events: ScenarioRunEvent[] = [];
		const r = await runScenario(loadScenarioFile(path.join(dir, 's.yaml')), { stateDir: testStateDir(), onEvent: (e) => events.push(e) });
		assert.equal(r.status, 'failed', 'the bot never answers');

		const lines = events.flatMap((e) => (e.type === 'botOutput' ? e.text.split('\n') : []));
		assert.ok(lines.some((l) => /^starting with secret \S+/.test(l)), lines.join(' | '));
		assert.ok(!lines.join('\n').includes(EMULATOR_TENANT.clientSecret), 'the client secret never leaves the runner');
		assert.ok(lines.includes('notified: incoming'), lines.join(' | '));
		assert.ok(lines.includes('stopped without newline'), 'the last line without a newline is not lost');
		for (const l of lines) assert.ok(!l.includes('\n') && !l.endsWith('\r'), 'whole lines only');

		// Live: the notification's line came while the answer step was still waiting, not with the result.
		const notified = events.findIndex((e) => e.type === 'botOutput' && e.text.includes('notified: incoming'));
		const stepEnded = events.findIndex((e) => e.type === 'stepFinished');
		assert.ok(notified >= 0 && notified < stepEnded, `the bot's line came at event ${notified}, after the step ended at ${stepEnded}`);
	});
});
