import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type EmulatorHandle } from '../../../src/core/emulator';
import type { CommsNotification } from '../../../src/core/schema/types';
import { testStateDir } from '../support/emulatorFixture';

/** A notification as the emulator sends one for a call state. */
function stateNotification(callId: string, state: string): CommsNotification {
	return { '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', state } } as CommsNotification;
}

/**
 * A receiver in a process of its own, so it keeps answering while this test blocks its own thread: it answers 202
 * and remembers, per POST, the wall-clock time the body had arrived and the body.
 */
const RECEIVER = `
const http = require('node:http');
const posts = [];
const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => { posts.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8') }); res.writeHead(202).end(); });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', () => process.send({ posts }));
process.on('disconnect', () => server.close(() => process.exit(0)));
`;

function startReceiverProcess(): Promise<{ child: ChildProcess; url: string }> {
	const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
	return new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`the receiver process exited (${code}) before listening`)));
		child.once('message', (m: { port: number }) => resolve({ child, url: `http://127.0.0.1:${m.port}/api/calling` }));
	});
}

const postsOf = (child: ChildProcess) => new Promise<{ at: number; body: string }[]>((resolve) => {
	child.once('message', (m: { posts: { at: number; body: string }[] }) => resolve(m.posts));
	child.send('posts');
});

/** Keeps this thread busy, as a flood of Graph requests keeps the emulator's, until `ms` have passed. */
function busyFor(ms: number): number {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		// spin: nothing else on this thread runs meanwhile
	}
	return Date.now();
}

describe('emulator: webhook delivery', function () {
	this.timeout(30000);
	let emu: EmulatorHandle | undefined;
	afterEach(async () => {
		await emu?.stop();
		emu = undefined;
	});

	it('posts a notification while the thread that queued it is still busy answering requests', async () => {
		emu = await startEmulator({ port: 0, stateDir: testStateDir() });
		const receiver = await startReceiverProcess();
		try {
			emu.emulator.webhooks.send(receiver.url, emu.clientId, emu.tenantId, [stateNotification('busy-1', 'establishing')]);
			const freeAgainAt = busyFor(2000);
			await emu.webhooksIdle();
			const posts = await postsOf(receiver.child);
			assert.equal(posts.length, 1);
			assert.equal(JSON.parse(posts[0].body).value[0].resourceData.state, 'establishing');
			assert.ok(posts[0].at < freeAgainAt, `the POST arrived ${posts[0].at - freeAgainAt} ms after the emulator's thread was free again, so it waited for it`);
		} finally {
			receiver.child.disconnect();
		}
	});

	it('keeps one call\'s notifications in order and batches what piles up for one callback', async () => {
		emu = await startEmulator({ port: 0, stateDir: testStateDir() });
		const receiver = await startReceiverProcess();
		try {
			const states = ['establishing', 'ringing', 'established', 'terminating', 'terminated'];
			for (const s of states) emu.emulator.webhooks.send(receiver.url, emu.clientId, emu.tenantId, [stateNotification('order-1', s)]);
			await emu.webhooksIdle();
			const posts = await postsOf(receiver.child);
			const seen = posts.flatMap((p) => (JSON.parse(p.body).value as CommsNotification[]).map((n) => (n.resourceData as { state: string }).state));
			assert.deepEqual(seen, states);
			assert.ok(posts.length < states.length, `${posts.length} POSTs for ${states.length} notifications queued together: they were not batched`);
			const records = emu.emulator.webhooks.history.filter((r) => r.delivered && r.notifications.some((n) => n.resourceUrl === '/communications/calls/order-1'));
			assert.deepEqual(records.flatMap((r) => r.notifications.map((n) => (n.resourceData as { state: string }).state)), states, 'the delivery records carry the notifications each POST had');
		} finally {
			receiver.child.disconnect();
		}
	});

	it('gives up on a callback that never answers after the acknowledgement timeout, retrying, and records why', async () => {
		emu = await startEmulator({ port: 0, stateDir: testStateDir(), clockSpeed: 20, webhooks: { ackTimeoutMs: 300, attempts: 2, retryBaseMs: 500 } });
		const held: http.ServerResponse[] = [];
		const silent = http.createServer((_req, res) => held.push(res));
		await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
		try {
			const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/calling`;
			emu.emulator.webhooks.send(url, emu.clientId, emu.tenantId, [stateNotification('silent-1', 'establishing')]);
			await emu.webhooksIdle();
			const attempts = emu.emulator.webhooks.history.filter((r) => r.callbackUri === url);
			assert.deepEqual(attempts.map((a) => [a.attempt, a.delivered]), [[1, false], [2, false]]);
			for (const a of attempts) assert.match(a.error ?? '', /did not answer within 300 ms/);
			assert.equal(held.length, 2, 'the receiver saw both attempts');
		} finally {
			for (const res of held) res.destroy();
			silent.closeAllConnections();
			silent.close();
		}
	});

	it('stops delivering when the emulator stops: nothing waits for a callback that never answers', async () => {
		emu = await startEmulator({ port: 0, stateDir: testStateDir() });
		const silent = http.createServer(() => undefined);
		await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
		try {
			const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/calling`;
			emu.emulator.webhooks.send(url, emu.clientId, emu.tenantId, [stateNotification('stop-1', 'establishing')]);
			const idle = emu.webhooksIdle();
			await emu.stop();
			emu = undefined;
			await idle;
		} finally {
			silent.closeAllConnections();
			silent.close();
		}
	});
});
