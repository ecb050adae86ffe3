import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the emulator keeps what must survive restarts (CA, server certificate, signing keys), so a bot that
 * trusted the CA once keeps trusting it. `GRAPH_CALLS_EMULATOR_STATE_DIR` overrides the default.
 */
export function defaultStateDir(): string {
	return process.env.GRAPH_CALLS_EMULATOR_STATE_DIR || path.join(os.homedir(), '.graph-calls-emulator');
}

/**
 * Returns the files of `name` under `stateDir`, generating them the first time. Generation happens in a private
 * temporary directory that is then renamed into place, so two emulators starting at once never mix halves of
 * two different key pairs: the loser of the rename race simply uses the winner's files.
 */
export async function loadOrCreateDir(
	stateDir: string,
	name: string,
	files: readonly string[],
	generate: (dir: string) => Promise<void>,
	isCurrent: (existing: Record<string, string>) => boolean = () => true,
): Promise<Record<string, string>> {
	const target = path.join(stateDir, name);
	const existing = await readAll(target, files);
	if (existing && isCurrent(existing)) return existing;
	await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
	if (existing) await retire(stateDir, name);
	const tmp = path.join(stateDir, `.${name}-${randomUUID()}`);
	await fs.mkdir(tmp, { mode: 0o700 });
	try {
		await generate(tmp);
		try {
			await fs.rename(tmp, target);
		} catch (err) {
			const code = (err as NodeJS.ErrnoException).code;
			if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw err;
		}
	} finally {
		await fs.rm(tmp, { recursive: true, force: true });
	}
	const created = await readAll(target, files);
	if (!created) throw new Error(`The emulator could not create ${target}: delete that directory and start the emulator again.`);
	return created;
}

/** Moves an outdated set aside (then deletes it); another emulator doing the same at once is fine. */
async function retire(stateDir: string, name: string): Promise<void> {
	const old = path.join(stateDir, `.${name}-retired-${randomUUID()}`);
	try {
		await fs.rename(path.join(stateDir, name), old);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
		return;
	}
	await fs.rm(old, { recursive: true, force: true });
}

async function readAll(dir: string, files: readonly string[]): Promise<Record<string, string> | undefined> {
	try {
		const out: Record<string, string> = {};
		for (const f of files) out[f] = await fs.readFile(path.join(dir, f), 'utf8');
		return out;
	} catch {
		return undefined;
	}
}
