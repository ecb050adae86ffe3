/**
 * The bot contract: everything the bot needs comes from the environment, so the same build runs against the local
 * emulator (the workbench's scenario runner sets these) and against Microsoft Graph.
 */
import { readFileSync } from 'node:fs';

export interface BotConfig {
	/** https://graph.microsoft.com/v1.0, or the emulator's .../v1.0 */
	readonly graphBaseUrl: string;
	/** https://login.microsoftonline.com/{tenant}, or the emulator's authority */
	readonly authority: string;
	readonly tenantId: string;
	readonly clientId: string;
	readonly clientSecret: string;
	/** PEM of the only CA to trust for Graph and sign-in (the emulator's); undefined: the system's CAs. */
	readonly caPem?: string;
	/** Where the keys that sign Graph's callbacks are published. */
	readonly callbackOpenIdConfiguration: string;
	/** How much faster than real time the other side's clock runs: our own waits are divided by it. */
	readonly clockRate: number;
	readonly port: number;
	/** The callbackUri sent with answer: where Graph posts this call's notifications. */
	readonly callbackUrl?: string;
	/** E.164 number that DTMF 1 transfers the caller to. */
	readonly transferTarget: string;
	/** Where the prompt WAV files live (menu.wav, hours.wav, goodbye.wav). */
	readonly promptBaseUrl: string;
	/** Minutes of call time between keepAlive requests (Graph ends a call after 45 without one; 15 recommended). */
	readonly keepAliveMinutes: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
	const need = (name: string): string => {
		const v = env[name]?.trim();
		if (!v) throw new Error(`${name} is not set: the bot needs GRAPH_BASE_URL, GRAPH_AUTHORITY, GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and GRAPH_CALLBACK_OPENID_CONFIGURATION (see examples/README.md).`);
		return v;
	};
	const graphBaseUrl = need('GRAPH_BASE_URL').replace(/\/+$/, '');
	if (!graphBaseUrl.endsWith('/v1.0')) throw new Error(`GRAPH_BASE_URL must end in /v1.0, not "${graphBaseUrl}".`);
	const clockRate = Number(env.GRAPH_CLOCK_RATE ?? '1');
	if (!Number.isFinite(clockRate) || clockRate <= 0) throw new Error(`GRAPH_CLOCK_RATE must be a number above 0, not "${env.GRAPH_CLOCK_RATE}".`);
	const port = Number(env.BOT_PORT ?? '3978');
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`BOT_PORT must be a port number (0 picks a free one), not "${env.BOT_PORT}".`);
	const keepAliveMinutes = Number(env.BOT_KEEPALIVE_MINUTES ?? '15');
	if (!(keepAliveMinutes >= 1 && keepAliveMinutes <= 44)) throw new Error(`BOT_KEEPALIVE_MINUTES must be from 1 to 44, not "${env.BOT_KEEPALIVE_MINUTES}".`);
	const caFile = env.GRAPH_CA_FILE?.trim();
	return {
		graphBaseUrl,
		authority: need('GRAPH_AUTHORITY').replace(/\/+$/, ''),
		tenantId: need('GRAPH_TENANT_ID'),
		clientId: need('GRAPH_CLIENT_ID'),
		clientSecret: need('GRAPH_CLIENT_SECRET'),
		caPem: caFile ? readFileSync(caFile, 'utf8') : undefined,
		callbackOpenIdConfiguration: need('GRAPH_CALLBACK_OPENID_CONFIGURATION'),
		clockRate,
		port,
		// The scenario runner names it GRAPH_CALLBACK_URL (the bot contract); BOT_CALLBACK_URL is for running by hand.
		callbackUrl: env.GRAPH_CALLBACK_URL?.trim() || env.BOT_CALLBACK_URL?.trim() || undefined,
		transferTarget: env.BOT_TRANSFER_TARGET?.trim() || '+14255550101',
		promptBaseUrl: (env.BOT_PROMPT_BASE_URL?.trim() || 'https://cdn.contoso.example/prompts').replace(/\/+$/, ''),
		keepAliveMinutes,
	};
}
