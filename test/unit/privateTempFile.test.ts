import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writePrivateTempFile } from '../../src/core/files/privateTempFile';

describe('private temp files (another local user plants paths under the shared temp folder)', () => {
	const planted: string[] = [];
	const victim = path.join(os.tmpdir(), `graph-calls-victim-${process.pid}.txt`);

	afterEach(() => {
		for (const p of planted.splice(0)) fs.rmSync(p, { recursive: true, force: true });
		fs.rmSync(victim, { force: true });
	});

	it('never writes through a symlink planted where the file used to go, and never into a directory someone else made', async () => {
		fs.writeFileSync(victim, 'precious');
		// The old, predictable place of an edited notification, pre-created by an attacker: a directory of theirs
		// holding a symlink under the exact file name, pointing at a file of the victim.
		const predictable = path.join(os.tmpdir(), 'graph-calls-replay');
		const plantedByAttacker = !fs.existsSync(predictable);
		if (plantedByAttacker) {
			fs.mkdirSync(predictable, { mode: 0o777 });
			planted.push(predictable);
		}
		const name = `notification-n${process.pid}.replay.json`;
		const trap = path.join(predictable, name);
		fs.symlinkSync(victim, trap);
		if (!plantedByAttacker) planted.push(trap);

		const file = await writePrivateTempFile('graph-calls-replay', name, '{"stolen":false}');
		planted.push(path.dirname(file));
		assert.equal(fs.readFileSync(victim, 'utf8'), 'precious', 'the victim file is untouched');
		assert.notEqual(path.dirname(file), predictable, 'a fresh directory, not the planted one');
		assert.equal(fs.readFileSync(file, 'utf8'), '{"stolen":false}');
		assert.ok(!fs.lstatSync(file).isSymbolicLink());
		if (process.platform !== 'win32') {
			assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700, 'only this user can enter the directory');
			assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'only this user can read the file');
		}
	});

	it('gets a new unguessable directory every time', async () => {
		const a = await writePrivateTempFile('graph-calls-replay', 'x.json', 'a');
		const b = await writePrivateTempFile('graph-calls-replay', 'x.json', 'b');
		planted.push(path.dirname(a), path.dirname(b));
		assert.notEqual(path.dirname(a), path.dirname(b));
		assert.match(path.basename(path.dirname(a)), /^graph-calls-replay-[A-Za-z0-9]{6}$/);
	});

	it('refuses a name that would leave its directory', async () => {
		for (const bad of ['../escape.json', '/etc/passwd', '..', '']) {
			await assert.rejects(writePrivateTempFile('graph-calls-replay', bad, 'x'), /not a plain file name/);
		}
	});
});
