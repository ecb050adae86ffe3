/**
 * `graph-calls doctor`: the calling setup doctor for CI and terminals. It reads the app and tenant from the same
 * GRAPH_* variables the scenario runner gives a bot (docs/scenario-tests.md, the bot contract), the Azure Bot from
 * AZURE_* and a Resource Manager token from GRAPH_ARM_TOKEN. Exit 0 when no check failed, 1 when one did, 2 on bad
 * input (a missing variable, a bad option, a --manifest that cannot be read).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CLOUDS } from '../core/auth/clouds';
import { MsalTokenProvider } from '../core/auth/msalTokenProvider';
import type { TenantProfile } from '../core/auth/tenantProfile';
import { ARM_ENDPOINT, type ArmAccess, type AzureBotRef } from '../core/doctor/botChannelCheck';
import { graphProbe, runDoctor } from '../core/doctor/doctor';
import { hasFailures } from '../core/doctor/doctorModel';
import { formatDoctorJson, formatDoctorText } from '../core/doctor/doctorReport';
import { openIdTenantResolver } from '../core/doctor/doctorSources';
import { findManifest, readManifest, type ManifestSource } from '../core/doctor/manifestCheck';
import { CALL_KIND_NEEDS, type BotNeeds, type CallKindNeed } from '../core/doctor/tokenChecks';
import { GraphClient } from '../core/graph/graphClient';
import { createReachabilityProbe } from '../core/tunnel/reachabilityProbe';

export const DOCTOR_HELP = `Usage: graph-calls doctor [--manifest PATH] [--format text|json] [options]

Checks what a calling bot needs to work in a real tenant, one line per check (PASS, FAIL, or SKIP when it cannot
be checked and why), with the fix and a docs link. See docs/doctor.md.

Environment (the scenario runner's bot contract):
  GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET   the app and the calls' tenant (required)
  GRAPH_AUTHORITY     default https://login.microsoftonline.com/<GRAPH_TENANT_ID>
  GRAPH_BASE_URL      default https://graph.microsoft.com/v1.0
  GRAPH_CA_FILE       extra CA to trust for GRAPH_AUTHORITY and GRAPH_BASE_URL (the emulator's)
  GRAPH_CALLBACK_URL  the bot's public callback URL
  AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP, AZURE_BOT_NAME   the Azure Bot (or the flags below)
  GRAPH_ARM_TOKEN     a Resource Manager token (az account get-access-token --resource https://management.azure.com)
  AZURE_RESOURCE_MANAGER_URL   default ${ARM_ENDPOINT}

Options:
  --manifest PATH         the Teams app manifest.json (default: manifest.json or appPackage/manifest.json here)
  --format text|json      text (default) or json
  --needs LIST            what the bot does: ${CALL_KIND_NEEDS.join(',')},video (checks least privilege)
  --subscription ID --resource-group NAME --bot NAME   the Azure Bot
  --no-probe              don't send a request through the callback URL (the reachability check is skipped)
  --help                  this text

Exit code: 0 no check failed, 1 a check failed, 2 bad input.`;

export interface DoctorIo {
	readonly stdout: { write(text: string): unknown };
	readonly stderr: { write(text: string): unknown };
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
}

interface DoctorArgs {
	manifest?: string;
	format: 'text' | 'json';
	needs?: BotNeeds;
	subscription?: string;
	resourceGroup?: string;
	bot?: string;
	/** Skip sending a probe through the callback URL (a CI runner without internet access). */
	noProbe: boolean;
	help: boolean;
}

class UsageError extends Error {}

function parseNeeds(list: string): BotNeeds {
	const items = list.split(',').map((s) => s.trim()).filter(Boolean);
	const kinds: CallKindNeed[] = [];
	let video = false;
	for (const item of items) {
		if (item === 'video') video = true;
		else if ((CALL_KIND_NEEDS as readonly string[]).includes(item)) kinds.push(item as CallKindNeed);
		else throw new UsageError(`--needs: unknown "${item}"; use ${CALL_KIND_NEEDS.join(', ')}, video.`);
	}
	return { kinds, video };
}

export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
	const args: DoctorArgs = { format: 'text', noProbe: false, help: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const eq = a.startsWith('--') ? a.indexOf('=') : -1;
		const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined || v === '') throw new UsageError(`${flag} needs a value.`);
			return v;
		};
		switch (flag) {
			case '--help': case '-h': args.help = true; break;
			case '--no-probe': args.noProbe = true; break;
			case '--manifest': args.manifest = value(); break;
			case '--format': {
				const v = value();
				if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not "${v}".`);
				args.format = v;
				break;
			}
			case '--needs': args.needs = parseNeeds(value()); break;
			case '--subscription': args.subscription = value(); break;
			case '--resource-group': args.resourceGroup = value(); break;
			case '--bot': args.bot = value(); break;
			default: throw new UsageError(`Unknown ${flag.startsWith('-') ? 'option' : 'argument'} "${a}".`);
		}
	}
	return args;
}

/** The profile the environment describes; a non-cloud authority (the emulator's) is used as given, with its CA. */
function profileFromEnv(env: NodeJS.ProcessEnv, caCertPem: string | undefined): TenantProfile {
	const missing = ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'].filter((k) => !env[k]);
	if (missing.length) throw new UsageError(`Set ${missing.join(', ')} (the bot contract's variables; see graph-calls doctor --help).`);
	const tenantId = env.GRAPH_TENANT_ID!.trim();
	const base = env.GRAPH_BASE_URL?.trim() || `${CLOUDS.global.graphHost}/v1.0`;
	let baseUrl: URL;
	try {
		baseUrl = new URL(base);
	} catch {
		throw new UsageError(`GRAPH_BASE_URL "${base}" is not a URL.`);
	}
	const apiVersion = /\/beta\/?$/.test(baseUrl.pathname) ? 'beta' : 'v1.0';
	const cloud = Object.values(CLOUDS).find((c) => c.graphHost === baseUrl.origin);
	const authority = env.GRAPH_AUTHORITY?.trim();
	const profile: TenantProfile = {
		id: 'environment', name: 'the GRAPH_* environment', cloud: cloud?.id ?? 'global', tenantId, clientId: env.GRAPH_CLIENT_ID!.trim(),
		credentialKind: 'secret', apiVersion, ...(env.GRAPH_CALLBACK_URL ? { callbackUrl: env.GRAPH_CALLBACK_URL.trim() } : {}),
	};
	const knownAuthority = !authority || Object.values(CLOUDS).some((c) => authority.startsWith(`${c.authorityHost}/`));
	if (!cloud || !knownAuthority) {
		if (!authority) throw new UsageError(`GRAPH_BASE_URL ${baseUrl.origin} is not a Microsoft cloud: set GRAPH_AUTHORITY too.`);
		profile.emulator = { authority: authority.replace(/\/+$/, ''), graphHost: baseUrl.origin, caCertPem: caCertPem ?? '', controlUrl: `${baseUrl.origin}/_emulator` };
	}
	return profile;
}

async function readText(file: string, what: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		throw new UsageError(`${what} ${file} cannot be read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}.`);
	}
}

export async function runDoctorCommand(argv: readonly string[], io: DoctorIo): Promise<number> {
	let args: DoctorArgs;
	let profile: TenantProfile;
	let caCertPem: string | undefined;
	let manifest: ManifestSource | undefined;
	try {
		args = parseDoctorArgs(argv);
		if (args.help) {
			io.stdout.write(`${DOCTOR_HELP}\n`);
			return 0;
		}
		caCertPem = io.env.GRAPH_CA_FILE ? await readText(io.env.GRAPH_CA_FILE, 'GRAPH_CA_FILE') : undefined;
		profile = profileFromEnv(io.env, caCertPem);
		if (args.manifest) {
			const file = path.resolve(io.cwd, args.manifest);
			manifest = { path: file, text: await readText(file, '--manifest') };
		} else {
			const found = await findManifest([io.cwd]);
			if (found) manifest = await readManifest(found).catch(() => undefined);
		}
	} catch (err) {
		if (!(err instanceof UsageError)) throw err;
		io.stderr.write(`graph-calls doctor: ${err.message}\n${DOCTOR_HELP.split('\n')[0]}\n`);
		return 2;
	}
	const secret = io.env.GRAPH_CLIENT_SECRET!;
	const tokens = new MsalTokenProvider({ profile, getCredential: async () => ({ kind: 'secret', clientSecret: secret }) });
	const client = new GraphClient({ profileName: profile.name, baseUrl: io.env.GRAPH_BASE_URL?.trim().replace(/\/+$/, '') || `${CLOUDS.global.graphHost}/v1.0`, graphHost: profile.emulator?.graphHost ?? CLOUDS[profile.cloud].graphHost, tokenProvider: tokens, caCertPem, retry: { maxAttempts: 1 } });
	const sub = args.subscription ?? io.env.AZURE_SUBSCRIPTION_ID;
	const rg = args.resourceGroup ?? io.env.AZURE_RESOURCE_GROUP;
	const bot = args.bot ?? io.env.AZURE_BOT_NAME;
	const azureBot: AzureBotRef | undefined = sub && rg && bot ? { subscriptionId: sub, resourceGroup: rg, botName: bot } : undefined;
	const armToken = io.env.GRAPH_ARM_TOKEN?.trim();
	const endpoint = io.env.AZURE_RESOURCE_MANAGER_URL?.trim() || ARM_ENDPOINT;
	const arm: ArmAccess | { unavailable: string; fix: string } = armToken
		// The emulator's stand-in shares the emulator's CA; the real Resource Manager needs none.
		? { endpoint, getToken: async () => armToken, caCertPem: endpoint === ARM_ENDPOINT ? undefined : caCertPem }
		: { unavailable: 'No Azure Resource Manager token (GRAPH_ARM_TOKEN) was given.', fix: 'Set GRAPH_ARM_TOKEN to the output of "az account get-access-token --resource https://management.azure.com --query accessToken -o tsv".' };
	try {
		const authorityOrigin = new URL(profile.emulator?.authority ?? CLOUDS[profile.cloud].authorityHost).origin;
		const report = await runDoctor({
			profileName: profile.name, clientId: profile.clientId, tenantId: profile.tenantId, callbackUrl: profile.callbackUrl,
			getToken: async () => (await tokens.getToken({ forceRefresh: true })).token,
			probeGraph: graphProbe(client),
			resolveTenantDomain: openIdTenantResolver(authorityOrigin, caCertPem),
			needs: args.needs, manifest, azureBot, arm,
			// No receiver here: an answer from the URL that is not a tunnel's error page counts (unverified).
			reachability: args.noProbe ? undefined : createReachabilityProbe(),
		});
		io.stdout.write(args.format === 'json' ? formatDoctorJson(report) : formatDoctorText(report));
		return hasFailures(report) ? 1 : 0;
	} finally {
		client.dispose();
		tokens.dispose();
	}
}
