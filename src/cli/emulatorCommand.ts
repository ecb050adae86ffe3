/**
 * `graph-calls emulator` (also `graph-calls-emulator` and `npm run emulator`): runs the local Graph calls emulator.
 * Prints one JSON "ready" line on stdout, then human-readable logs on stderr. SIGINT/SIGTERM stop it cleanly.
 */
import * as path from 'node:path';
import { isLoopbackAddress } from '../core/localServerGuard';
import { parseFaultSpec, startEmulator, validateScenario, loadScenarioFile, type Scenario } from '../core/emulator';
import oneToOne from '../core/emulator/scenarios/one-to-one.json';
import ivr from '../core/emulator/scenarios/ivr-dtmf.json';
import meeting from '../core/emulator/scenarios/meeting-50.json';
import flaky from '../core/emulator/scenarios/flaky-tenant.json';

const BUILT_IN: Record<string, unknown> = { 'one-to-one': oneToOne, 'ivr-dtmf': ivr, 'meeting-50': meeting, 'flaky-tenant': flaky };

const HELP = `Usage: graph-calls emulator [options]   (also: graph-calls-emulator [options])

A local Microsoft Graph calls API and Entra ID token endpoint over HTTPS, with simulated people and webhooks.

Options:
  --host HOST         address to listen on (default 127.0.0.1); beyond loopback only with --allow-remote
  --allow-remote      allow a --host other machines can reach (the emulator has no authentication: careful)
  --port PORT         port, 0 for any free port (default 0)
  --scenario FILE     scenario JSON file, or a built-in name: ${Object.keys(BUILT_IN).join(', ')}
  --faults SPEC       faults, e.g. "429:0.1@call.create,503:0.05,latency:50,drop:0.1,dup:0.1,reorder,token-down"
  --state-dir DIR     where the CA, certificates and keys are kept (default ~/.graph-calls-emulator)
  --clock-speed N     emulated time runs N times faster
  --parent-pid PID    stop when that process is gone (the extension passes its own, so a crashed host leaves nothing behind)
  --quiet             no logs on stderr
  --help              this text

On start it prints one JSON line to stdout: {"event":"ready","graphBaseUrl",...}.`;

interface Args {
	host?: string;
	allowRemote: boolean;
	port?: number;
	scenario?: string;
	faults?: string;
	stateDir?: string;
	clockSpeed?: number;
	parentPid?: number;
	quiet: boolean;
	help: boolean;
}

function parseArgs(argv: string[]): Args {
	const args: Args = { quiet: false, help: false, allowRemote: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value: see --help.`);
			return v;
		};
		switch (flag) {
			case '--host': args.host = value(); break;
			case '--port': {
				const p = Number(value());
				if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error('--port must be 0-65535.');
				args.port = p;
				break;
			}
			case '--scenario': args.scenario = value(); break;
			case '--faults': args.faults = value(); break;
			case '--state-dir': args.stateDir = path.resolve(value()); break;
			case '--clock-speed': args.clockSpeed = Number(value()); break;
			case '--parent-pid': {
				const pid = Number(value());
				if (!Number.isInteger(pid) || pid <= 0) throw new Error('--parent-pid must be a process id.');
				args.parentPid = pid;
				break;
			}
			case '--allow-remote': args.allowRemote = true; break;
			case '--quiet': args.quiet = true; break;
			case '--help': case '-h': args.help = true; break;
			default: throw new Error(`Unknown option ${a}: see --help.`);
		}
	}
	return args;
}

/** Runs until a signal stops the emulator (the process exits then); returns at once for --help. */
export async function runEmulatorCommand(argv: readonly string[]): Promise<void> {
	let args: Args;
	try {
		args = parseArgs([...argv]);
		if (args.host !== undefined && !isLoopbackAddress(args.host) && !args.allowRemote) {
			throw new Error(`--host ${args.host} would let other machines reach the emulator, which has no authentication. ` +
				'Use the default 127.0.0.1, or add --allow-remote if you really mean to expose it.');
		}
	} catch (err) {
		process.stderr.write(`${(err as Error).message}\n`);
		process.exit(2);
	}
	if (args.help) {
		process.stdout.write(`${HELP}\n`);
		return;
	}
	const log = (line: string) => {
		if (!args.quiet) process.stderr.write(`[emulator] ${line}\n`);
	};
	let scenario: Scenario | undefined;
	if (args.scenario) {
		scenario = BUILT_IN[args.scenario] ? validateScenario(BUILT_IN[args.scenario], args.scenario) : loadScenarioFile(args.scenario);
	}
	const handle = await startEmulator({
		host: args.host,
		allowRemote: args.allowRemote,
		port: args.port,
		stateDir: args.stateDir,
		scenario,
		clockSpeed: args.clockSpeed,
		faults: args.faults ? parseFaultSpec(args.faults) : undefined,
		log,
	});
	process.stdout.write(`${JSON.stringify({
		event: 'ready',
		graphBaseUrl: handle.graphBaseUrl,
		betaBaseUrl: handle.betaBaseUrl,
		authority: handle.authority,
		tenantId: handle.tenantId,
		clientId: handle.clientId,
		clientSecret: handle.clientSecret,
		caCertFile: handle.caCertFile,
		controlUrl: handle.controlUrl,
		baseUrl: handle.baseUrl,
		listenUrl: handle.emulator.listenUrl,
		clientCertFile: handle.clientCertificate.certFile,
		clientKeyFile: handle.clientCertificate.keyFile,
		clientCertThumbprintSha256: handle.clientCertificate.thumbprintSha256,
		webhookOpenIdConfigurationUrl: handle.webhookOpenIdConfigurationUrl,
		scenario: scenario?.name,
	})}\n`);
	const remote = !isLoopbackAddress(args.host ?? '127.0.0.1');
	if (remote) {
		// Said even with --quiet: an unauthenticated server reachable from the network is not something to miss.
		process.stderr.write(`[emulator] WARNING: listening on ${handle.emulator.listenUrl}, reachable from other machines (--allow-remote). ` +
			'The control API and the demo credentials have no protection beyond the network: stop it when you are done.\n');
	}
	log(`listening on ${handle.emulator.listenUrl}${remote ? ` (use ${handle.baseUrl} from this machine)` : ''} (Graph ${handle.graphBaseUrl}, authority ${handle.authority}, CA ${handle.caCertFile})${scenario ? `, scenario "${scenario.name}"` : ''}`);
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping`);
		const force = setTimeout(() => process.exit(1), 5000);
		force.unref();
		handle.stop().then(() => process.exit(0), () => process.exit(1));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	if (args.parentPid) watchParent(args.parentPid, () => stop(`parent ${args.parentPid} exited`));
}

/** Polls the parent: signal 0 throws once the process is gone (ESRCH); EPERM still means it exists. */
function watchParent(pid: number, onGone: () => void): void {
	const timer = setInterval(() => {
		try {
			process.kill(pid, 0);
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code === 'ESRCH') {
				clearInterval(timer);
				onGone();
			}
		}
	}, 2000);
	timer.unref();
}

/** The bin entry points call this: a failure to start is exit code 1 with the reason. */
export function emulatorMain(argv: readonly string[]): void {
	runEmulatorCommand(argv).catch((err) => {
		process.stderr.write(`The emulator could not start: ${(err as Error).message}\n`);
		process.exit(1);
	});
}
