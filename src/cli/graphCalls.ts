/**
 * `graph-calls`: the workbench's command line. One subcommand per capability; each returns its exit code
 * (0 success, 1 a check or test failed, 2 bad input).
 */
import { runDoctorCommand } from './doctorCommand';
import { emulatorMain } from './emulatorCommand';
import { runLint } from './lint';
import { runTestCommand } from './testCommand';

const HELP = `Usage: graph-calls <command> [options]

Commands:
  emulator    run the local Graph calls emulator (same as graph-calls-emulator)
  test        run scenario files against your bot (graph-calls test --help)
  lint        check a HAR traffic record against Graph's calling rules (graph-calls lint --help)
  doctor      check the calling setup of a real tenant: token, roles, consent, Azure Bot, manifest (graph-calls doctor --help)

graph-calls <command> --help shows a command's options.`;

async function main(argv: readonly string[]): Promise<void> {
	const [command, ...rest] = argv;
	switch (command) {
		case 'emulator':
			// Runs until a signal; its own handlers exit the process.
			emulatorMain(rest);
			return;
		case 'test': {
			const code = await runTestCommand(rest);
			// Exit once stdout is flushed: a bot that ignored SIGTERM must not keep the run alive.
			process.stdout.write('', () => process.exit(code));
			return;
		}
		case 'lint': {
			const code = await runLint([...rest], { stdout: process.stdout, stderr: process.stderr });
			process.stdout.write('', () => process.exit(code));
			return;
		}
		case 'doctor': {
			const code = await runDoctorCommand(rest, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
			process.stdout.write('', () => process.exit(code));
			return;
		}
		case undefined: case '--help': case '-h': case 'help':
			process.stdout.write(`${HELP}\n`);
			process.exitCode = command === undefined ? 2 : 0;
			return;
		default:
			process.stderr.write(`Unknown command "${command}".\n${HELP}\n`);
			process.exitCode = 2;
	}
}

main(process.argv.slice(2)).catch((err) => {
	process.stderr.write(`graph-calls failed: ${(err as Error).message}\n`);
	process.exit(1);
});
