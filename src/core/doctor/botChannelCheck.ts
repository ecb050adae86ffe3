/**
 * The Azure Bot's Microsoft Teams channel, read through Azure Resource Manager: the bot exists with this client id,
 * the channel is there and enabled, calling is on, and the calling webhook is the callback URL. Shapes are from the
 * Bot Service REST spec, api-version 2022-09-15 (Azure/azure-rest-api-specs, specification/botservice/.../
 * botservice.json): a BotChannel is {id, name, type, location, properties: {channelName, properties:
 * MsTeamsChannelProperties}}, where MsTeamsChannelProperties has isEnabled, enableCalling, callingWebhook,
 * incomingCallRoute, deploymentEnvironment, acceptedTerms. (Only the Skype channel spells it callingWebHook.)
 */
import type { Agent } from 'undici';
import { undici } from '../lazyUndici';
import { cannotCheck, fail, pass, type CheckResult } from './doctorModel';

export const ARM_ENDPOINT = 'https://management.azure.com';
export const ARM_SCOPE = 'https://management.azure.com/.default';
export const BOT_SERVICE_API_VERSION = '2022-09-15';

export interface AzureBotRef {
	readonly subscriptionId: string;
	readonly resourceGroup: string;
	readonly botName: string;
}

export interface ArmAccess {
	/** Resource Manager's root; https://management.azure.com unless a stand-in (the emulator's) is used. */
	readonly endpoint: string;
	/** The bearer token for the management scope; it is sent to `endpoint` only. */
	getToken(): Promise<string>;
	/** Extra CA to trust for `endpoint` only (the emulator's). */
	readonly caCertPem?: string;
}

export function botResourcePath(ref: AzureBotRef): string {
	const e = encodeURIComponent;
	return `/subscriptions/${e(ref.subscriptionId)}/resourceGroups/${e(ref.resourceGroup)}/providers/Microsoft.BotService/botServices/${e(ref.botName)}`;
}

interface ArmAnswer {
	readonly status: number;
	readonly body: Record<string, unknown> | undefined;
}

async function armGet(access: ArmAccess, agent: Agent, token: string, resourcePath: string): Promise<ArmAnswer> {
	const url = `${access.endpoint.replace(/\/+$/, '')}${resourcePath}?api-version=${BOT_SERVICE_API_VERSION}`;
	const res = await undici().request(url, { method: 'GET', dispatcher: agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
	const text = await res.body.text();
	let body: Record<string, unknown> | undefined;
	try {
		body = text ? JSON.parse(text) as Record<string, unknown> : undefined;
	} catch {
		body = undefined;
	}
	return { status: res.statusCode, body };
}

function armError(a: ArmAnswer): string {
	const e = a.body?.error as { code?: unknown; message?: unknown } | undefined;
	return `${a.status}${typeof e?.code === 'string' ? ` ${e.code}` : ''}${typeof e?.message === 'string' ? `: ${e.message}` : ''}`;
}

/** Equal as webhooks: same scheme, host (any case), port and path (a trailing slash aside). */
export function sameWebhook(a: string, b: string): boolean {
	try {
		const x = new URL(a);
		const y = new URL(b);
		const p = (u: URL) => u.pathname.replace(/\/+$/, '') || '/';
		return x.protocol === y.protocol && x.host.toLowerCase() === y.host.toLowerCase() && p(x) === p(y) && x.search === y.search;
	} catch {
		return a === b;
	}
}

export interface BotChannelInput {
	readonly ref?: AzureBotRef;
	/** Access to Resource Manager, or why there is none (not signed in, the user said no). */
	readonly access: ArmAccess | { readonly unavailable: string; readonly fix: string };
	readonly clientId: string;
	readonly callbackUrl?: string;
}

function refused(a: ArmAnswer, what: string): CheckResult | undefined {
	if (a.status === 401) return cannotCheck('botChannel', `Azure Resource Manager refused the sign-in (${armError(a)}).`, 'Sign in to Azure again (VS Code: Accounts menu; command line: a fresh GRAPH_ARM_TOKEN from "az account get-access-token --resource https://management.azure.com").');
	if (a.status === 403) return cannotCheck('botChannel', `Your Azure account may not read ${what} (${armError(a)}).`, 'Ask for the Reader role on the bot\'s resource group, or run the doctor as someone who has it.');
	return undefined;
}

export async function botChannelCheck(input: BotChannelInput): Promise<CheckResult> {
	const { ref, access } = input;
	if (!ref) return cannotCheck('botChannel', 'The Azure Bot is not named (subscription, resource group and bot name).', 'Name it: VS Code asks when you allow the Azure check; the command line reads AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and AZURE_BOT_NAME.');
	if ('unavailable' in access) return cannotCheck('botChannel', access.unavailable, access.fix);
	const agent = new (undici().Agent)({ connect: access.caCertPem ? { ca: access.caCertPem } : {} });
	try {
		let token: string;
		try {
			token = await access.getToken();
		} catch (err) {
			return cannotCheck('botChannel', `No Azure Resource Manager token: ${(err as Error).message}`, 'Sign in to Azure, then run the doctor again.');
		}
		const where = `${ref.botName} in resource group ${ref.resourceGroup}`;
		const bot = await armGet(access, agent, token, botResourcePath(ref));
		const botRefused = refused(bot, `the bot ${where}`);
		if (botRefused) return botRefused;
		if (bot.status === 404) return fail('botChannel', `There is no Azure Bot ${where} (subscription ${ref.subscriptionId}): ${armError(bot)}. Graph answers 7503 for an app without one.`, `Create an Azure Bot (or fix the names) with Microsoft App ID ${input.clientId}, then add its Microsoft Teams channel with Calling on.`);
		if (bot.status !== 200) return cannotCheck('botChannel', `Azure Resource Manager answered ${armError(bot)} for the bot ${where}.`, 'Run the doctor again in a minute.');
		const appId = (bot.body?.properties as { msaAppId?: unknown } | undefined)?.msaAppId;
		if (typeof appId === 'string' && appId.toLowerCase() !== input.clientId.toLowerCase()) {
			return fail('botChannel', `The Azure Bot ${where} belongs to app ${appId}, not to the client id ${input.clientId}.`, `Use the Azure Bot whose Microsoft App ID is ${input.clientId}, or the profile of app ${appId}.`);
		}
		const channel = await armGet(access, agent, token, `${botResourcePath(ref)}/channels/MsTeamsChannel`);
		const channelRefused = refused(channel, `the channels of ${where}`);
		if (channelRefused) return channelRefused;
		const addChannel = `In the Azure portal, open the Azure Bot ${ref.botName} > Channels > Microsoft Teams, accept the terms, open the Calling tab, select "Enable calling" and set the webhook to ${input.callbackUrl ?? 'the callback URL'}.`;
		if (channel.status === 404) return fail('botChannel', `The Azure Bot ${where} has no Microsoft Teams channel (${armError(channel)}).`, addChannel);
		if (channel.status !== 200) return cannotCheck('botChannel', `Azure Resource Manager answered ${armError(channel)} for the Teams channel of ${where}.`, 'Run the doctor again in a minute.');
		const props = ((channel.body?.properties as { properties?: Record<string, unknown> } | undefined)?.properties) ?? {};
		if (props.isEnabled === false) return fail('botChannel', `The Microsoft Teams channel of ${where} is disabled.`, addChannel);
		if (props.enableCalling !== true) return fail('botChannel', `Calling is not enabled on the Microsoft Teams channel of ${where} (enableCalling is ${JSON.stringify(props.enableCalling ?? null)}): Graph answers 7503.`, addChannel);
		const webhook = typeof props.callingWebhook === 'string' ? props.callingWebhook : typeof props.callingWebHook === 'string' ? props.callingWebHook : undefined;
		if (!webhook) return fail('botChannel', `Calling is on but the Teams channel of ${where} has no calling webhook: incoming calls go nowhere.`, addChannel);
		if (!input.callbackUrl) return pass('botChannel', `Calling is on; the calling webhook is ${webhook} (no callback URL is set to compare it with).`);
		if (!sameWebhook(webhook, input.callbackUrl)) {
			return fail('botChannel', `The calling webhook is ${webhook}, not the callback URL ${input.callbackUrl}: incoming calls go to the old address.`, `In the Azure portal, Azure Bot ${ref.botName} > Channels > Microsoft Teams > Calling, set the webhook to ${input.callbackUrl} and select Apply.`);
		}
		return pass('botChannel', `Calling is on and the calling webhook is the callback URL (${webhook}).`);
	} catch (err) {
		return cannotCheck('botChannel', `Azure Resource Manager at ${access.endpoint} could not be reached: ${(err as Error).message}`, 'Check the network (and proxy), then run the doctor again.');
	} finally {
		void agent.close().catch(() => undefined);
	}
}
