// The mocha runner inside the VS Code extension host (extensionTestsPath points at its compiled out/ file).
// The same runner serves code-server (test/extension/launchCodeServer.js) and desktop VS Code
// (test/extension/launchDesktop.js). Mocha's console output is invisible in the browser case, so the runner
// writes its own results file: counts for test/scripts/runAllTests.js plus a spec-style transcript the
// launcher prints.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Repository root: out/test/extension/index.js → three levels up. */
const root = path.resolve(__dirname, '../../..');

export interface ExtensionTestResults {
	passed: number;
	failed: number;
	skipped: number;
	failures: { title: string; error: string }[];
	/** Spec-style transcript: one line per suite and test, failures with their stack at the end. */
	output: string[];
	durationMs: number;
}

function resultsFile(): string {
	return process.env.GRAPH_CALLS_RESULTS_FILE || path.join(root, 'test-results', 'extension.json');
}

/**
 * Which suite this host runs (GRAPH_CALLS_EXTENSION_SUITE, set by the launcher in the extension host's environment):
 * "restricted" runs only restricted/ (the workbench opened the folder in Restricted Mode); anything else runs every
 * other test file, since those expect a trusted workspace.
 */
export const RESTRICTED_SUITE_DIR = 'restricted';

function suiteDir(): { dir: string; skip?: string } {
	return process.env.GRAPH_CALLS_EXTENSION_SUITE === 'restricted'
		? { dir: path.join(__dirname, RESTRICTED_SUITE_DIR) }
		: { dir: __dirname, skip: path.join(__dirname, RESTRICTED_SUITE_DIR) };
}

/**
 * The main suite expects a trusted folder, the restricted suite an untrusted one. Workspace trust is on in both
 * runs (the launcher trusts the main run's folder through VS Code's trust prompt), so a wrong state means the
 * launcher did not get there: say so once instead of letting tests fail for a reason they do not name.
 * Trust can settle a moment after the host starts (VS Code resolves the folder's canonical URI first): wait a little.
 */
async function trustProblem(): Promise<string | undefined> {
	const wantTrusted = process.env.GRAPH_CALLS_EXTENSION_SUITE !== 'restricted';
	if (!wantTrusted) return vscode.workspace.isTrusted ? 'the Restricted Mode run opened a trusted folder' : undefined;
	if (vscode.workspace.isTrusted) return undefined;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(() => { listener.dispose(); resolve(); }, 10000);
		const listener = vscode.workspace.onDidGrantWorkspaceTrust(() => { clearTimeout(timer); listener.dispose(); resolve(); });
	});
	return vscode.workspace.isTrusted ? undefined : 'the trusted run opened a folder VS Code does not trust (was the trust prompt answered?)';
}

function findTestFiles(dir: string, skip?: string): string[] {
	const files: string[] = [];
	if (!fs.existsSync(dir)) return files;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (full !== skip) files.push(...findTestFiles(full, skip));
		} else if (entry.name.endsWith('.test.js')) files.push(full);
	}
	return files.sort();
}

function write(results: ExtensionTestResults): void {
	const file = resultsFile();
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

/** Called by VS Code once the extension under test is loaded; rejecting makes the host exit non-zero. */
export async function run(): Promise<void> {
	const started = Date.now();
	const results: ExtensionTestResults = { passed: 0, failed: 0, skipped: 0, failures: [], output: [], durationMs: 0 };
	const grep = process.env.GRAPH_CALLS_TEST_GREP;
	const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20000, reporter: 'base', ...(grep ? { grep } : {}) });
	const problem = await trustProblem();
	if (problem) {
		results.failed = 1;
		results.failures.push({ title: 'workspace trust', error: problem });
		results.output.push(`workspace trust: ${problem}`);
		write(results);
		throw new Error(problem);
	}
	const suite = suiteDir();
	const files = findTestFiles(suite.dir, suite.skip);
	for (const file of files) mocha.addFile(file);

	try {
		await mocha.loadFilesAsync();
	} catch (err) {
		// A test file that throws while loading would otherwise look like "0 tests": make it a failure.
		results.failed = 1;
		results.failures.push({ title: 'loading test files', error: err instanceof Error ? err.stack ?? err.message : String(err) });
		results.output.push(`failed to load test files: ${err instanceof Error ? err.message : String(err)}`);
		write(results);
		throw err;
	}

	await new Promise<void>((resolve) => {
		const runner = mocha.run(() => resolve());
		let depth = 0;
		const indent = () => '  '.repeat(depth);
		runner.on('suite', (suite) => {
			if (suite.title) results.output.push(`${indent()}${suite.title}`);
			depth++;
		});
		runner.on('suite end', () => {
			depth--;
		});
		runner.on('pass', (test) => {
			results.passed++;
			results.output.push(`${indent()}✔ ${test.title} (${test.duration ?? 0} ms)`);
		});
		runner.on('pending', (test) => {
			results.skipped++;
			results.output.push(`${indent()}- ${test.title} (skipped)`);
		});
		runner.on('fail', (test, err: Error) => {
			results.failed++;
			results.failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) });
			results.output.push(`${indent()}✘ ${test.title}: ${err?.message ?? String(err)}`);
		});
	});

	results.durationMs = Date.now() - started;
	results.output.push('', `${results.passed} passing, ${results.failed} failing${results.skipped ? `, ${results.skipped} skipped` : ''} (${files.length} files, ${results.durationMs} ms)`);
	results.failures.forEach((f, i) => results.output.push('', `${i + 1}) ${f.title}`, f.error));
	write(results);
	for (const line of results.output) console.log(line);
	if (results.failed > 0) throw new Error(`${results.failed} extension-host test(s) failed; see ${resultsFile()}`);
	// With a grep, one of the launcher's runs may hold no matching test; the launcher fails if no run ran any.
	if (results.passed === 0 && !grep) throw new Error(`no extension-host tests ran (looked for *.test.js under ${suite.dir})`);
}
