// Mocha reporter: the spec output on the console, plus the tier's counts written to a JSON file
// (env GRAPH_CALLS_RESULTS_FILE) that test/scripts/runAllTests.js reads to print one summary line per tier.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
	constructor(runner, options) {
		super(runner, options);
		const file = process.env.GRAPH_CALLS_RESULTS_FILE;
		const failures = [];
		runner.on('fail', (test, err) => failures.push({ title: test.fullTitle(), error: String(err && err.message) }));
		runner.once('end', () => {
			if (!file) return;
			const stats = runner.stats || {};
			const result = { passed: stats.passes || 0, failed: stats.failures || 0, skipped: stats.pending || 0, failures };
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, JSON.stringify(result, null, 2));
		});
	}
}

module.exports = SummaryReporter;
