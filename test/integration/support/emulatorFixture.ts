import * as os from 'node:os';
import * as path from 'node:path';

/** One state directory shared by every test run, so the CA and keys are created once per machine. */
export function testStateDir(): string {
	return process.env.GRAPH_CALLS_EMULATOR_STATE_DIR || path.join(os.tmpdir(), 'graph-calls-emulator-test-state');
}
