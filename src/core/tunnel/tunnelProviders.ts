import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The tunnel programs the public callback can run, with what their documentation says about them.
 *
 * Dev tunnels (learn.microsoft.com/azure/developer/dev-tunnels/get-started and cli-commands; the output below as the
 * Teams quickstart in MicrosoftDocs/msteams-docs shows it):
 *   devtunnel host -p 3978 --allow-anonymous
 *   Hosting port: 3978
 *   Connect via browser: https://4r9dd5xj-3978.usw2.devtunnels.ms
 *   Inspect network activity: https://4r9dd5xj-3978-inspect.usw2.devtunnels.ms
 *   Ready to accept connections for tunnel: joyful-dog-xgz66vp.usw2
 * Newer CLIs print two URLs on the "Connect via browser" line (`https://ID.REGION.devtunnels.ms:PORT, https://ID-PORT.REGION.devtunnels.ms`).
 * Signed out, `host` stops with "Tunnel service error: Request not permitted. Unauthorized tunnel creation access:
 * Anonymous does not have 'create' access scope ..." or "Tunnel service response status code: Unauthorized"
 * (microsoft/dev-tunnels issues, OfficeDev/microsoft-365-agents-toolkit#12352); the docs give no exit codes, so any
 * exit is treated as the end of the tunnel.
 *
 * ngrok (ngrok/ngrok-docs docs/agent/cli.mdx, docs/agent/api.md, docs/errors): `ngrok http PORT` with `--log stdout
 * --log-format json` logs one JSON object a line ("starting web service" with the agent API's `addr`, "started tunnel"
 * with `url`); the agent API at http://127.0.0.1:4040/api/tunnels lists `tunnels[].public_url` and `config.addr`.
 * Errors carry ERR_NGROK_#### codes: 4018 no authtoken, 105/107 a malformed or revoked authtoken, 108 too many agent
 * sessions. The authtoken is read from NGROK_AUTHTOKEN or the ngrok config file.
 */
export type TunnelProviderId = 'devtunnel' | 'ngrok';

export interface TunnelProvider {
	readonly id: TunnelProviderId;
	readonly displayName: string;
	/** The executable's name on PATH. */
	readonly command: string;
	/** The public host names the provider hands out; a URL outside them is never taken from the program's output. */
	readonly domains: readonly string[];
	/** How to install it, one line each, with the page that says more. */
	readonly install: readonly string[];
	readonly installUrl: string;
	args(port: number): string[];
}

export const TUNNEL_PROVIDERS: Readonly<Record<TunnelProviderId, TunnelProvider>> = {
	devtunnel: {
		id: 'devtunnel',
		displayName: 'Microsoft dev tunnels',
		command: 'devtunnel',
		domains: ['devtunnels.ms'],
		install: [
			'Windows: winget install Microsoft.devtunnel',
			'macOS: brew install --cask devtunnel',
			'Linux: curl -sL https://aka.ms/DevTunnelCliInstall | bash',
			'then sign in once: devtunnel user login',
		],
		installUrl: 'https://learn.microsoft.com/azure/developer/dev-tunnels/get-started',
		// Anonymous access: Graph posts without a dev tunnels token; the receiver checks Graph's own token instead.
		args: (port) => ['host', '-p', String(port), '--allow-anonymous'],
	},
	ngrok: {
		id: 'ngrok',
		displayName: 'ngrok',
		command: 'ngrok',
		domains: ['ngrok-free.app', 'ngrok-free.dev', 'ngrok.app', 'ngrok.dev', 'ngrok.io'],
		install: [
			'download from https://ngrok.com/download (or brew install ngrok, choco install ngrok, snap install ngrok)',
			'then add your authtoken: ngrok config add-authtoken <token>, or "Graph Calls: Set ngrok Authtoken"',
		],
		installUrl: 'https://ngrok.com/docs/getting-started/',
		// JSON logs: one object a line, so the URL and errors are read from fields, not from a screen layout.
		args: (port) => ['http', String(port), '--log', 'stdout', '--log-format', 'json'],
	},
};

/** Thrown when no tunnel program can be found; the message says how to install each. */
export class TunnelNotInstalledError extends Error {
	constructor(readonly providers: readonly TunnelProvider[]) {
		super(`${providers.map((p) => `"${p.command}"`).join(' or ')} was not found on PATH, so no public callback can be started. ` +
			providers.map((p) => `${p.displayName}: ${p.install.join('; ')} (${p.installUrl}).`).join(' '));
		this.name = 'TunnelNotInstalledError';
	}
}

/**
 * The full path of `command` on PATH, or undefined. Looks the way a shell does (PATHEXT on Windows), so the
 * program started is the one the user gets when typing the command.
 */
export async function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
	const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
	const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
	for (const dir of dirs) {
		for (const ext of exts) {
			const candidate = path.join(dir, command + ext);
			try {
				await fs.access(candidate, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
				if ((await fs.stat(candidate)).isFile()) return candidate;
			} catch {
				// not here
			}
		}
	}
	return undefined;
}

/** The providers installed on this machine, dev tunnels first (it needs no separate authtoken). */
export async function installedProviders(env: NodeJS.ProcessEnv = process.env): Promise<{ provider: TunnelProvider; executable: string }[]> {
	const found: { provider: TunnelProvider; executable: string }[] = [];
	for (const provider of [TUNNEL_PROVIDERS.devtunnel, TUNNEL_PROVIDERS.ngrok]) {
		const executable = await findOnPath(provider.command, env);
		if (executable) found.push({ provider, executable });
	}
	return found;
}
