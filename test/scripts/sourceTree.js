// The refresh scripts read a public repository's files from whatever copy is at hand: a clone or a bare git dir
// (at HEAD, every file of that commit), or a plain folder laid out like the repository, with the commit of each
// file in SOURCE-COMMITS.json at its root ({ "<path>": "<commit>" }).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** `list(folder)` gives the paths of the files in it (a git copy: in its subfolders too); `read(path)`; `commit(path)` (null when unknown). */
function openSource(dir) {
	const gitDir = fs.existsSync(path.join(dir, '.git')) ? path.join(dir, '.git') : fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects')) ? dir : undefined;
	const folderOf = (folder) => folder.replace(/\/+$/, '');
	if (gitDir) {
		const git = (...a) => execFileSync('git', ['--git-dir', gitDir, ...a], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
		const head = git('rev-parse', 'HEAD').trim();
		return {
			list: (folder) => git('ls-tree', '-r', '--name-only', 'HEAD', '--', `${folderOf(folder)}/`).split('\n').filter(Boolean),
			read: (p) => git('show', `${head}:${p}`),
			commit: () => head,
		};
	}
	const commitsFile = path.join(dir, 'SOURCE-COMMITS.json');
	const commits = fs.existsSync(commitsFile) ? JSON.parse(fs.readFileSync(commitsFile, 'utf8')) : {};
	return {
		list: (folder) => {
			const f = folderOf(folder);
			return fs.existsSync(path.join(dir, f)) ? fs.readdirSync(path.join(dir, f)).map((name) => `${f}/${name}`) : [];
		},
		read: (p) => fs.readFileSync(path.join(dir, p), 'utf8'),
		commit: (p) => commits[p] ?? null,
	};
}

module.exports = { openSource };
