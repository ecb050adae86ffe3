import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Writes `content` to a file no other local user can plant, swap or read first: a fresh directory made by mkdtemp
 * (a random name, mode 0700, created atomically) and the file created exclusively in it (`wx`: never through a path
 * that already exists, symlinks included) with mode 0600. Returns the file's path.
 */
export async function writePrivateTempFile(prefix: string, fileName: string, content: string): Promise<string> {
	if (fileName !== path.basename(fileName) || fileName === '' || fileName === '.' || fileName === '..') {
		throw new Error(`"${fileName}" is not a plain file name.`);
	}
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
	const file = path.join(dir, fileName);
	await fs.writeFile(file, content, { encoding: 'utf8', flag: 'wx', mode: 0o600 });
	return file;
}
