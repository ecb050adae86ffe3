/**
 * A stand-in for Azure Resource Manager's Bot Service endpoints, served by the emulator under /subscriptions, so
 * the setup doctor's Azure Bot check runs against the same shapes without the internet. Shapes are from the Bot
 * Service REST spec, api-version 2022-09-15 (Azure/azure-rest-api-specs, specification/botservice/resource-manager/
 * Microsoft.BotService/stable/2022-09-15/botservice.json: Bot, BotChannel, MsTeamsChannelProperties, Error), and
 * Resource Manager's common errors (AuthenticationFailed, InvalidAuthenticationToken,
 * InvalidAuthenticationTokenAudience, ExpiredAuthenticationToken, MissingApiVersionParameter,
 * InvalidApiVersionParameter, SubscriptionNotFound, ResourceGroupNotFound, ResourceNotFound).
 * One Azure Bot per app registration whose setup has it: the default app's is EMULATOR_AZURE_BOT.
 */
import { healthySetup } from './appSetup';
import { EMULATOR_AZURE_BOT, EMULATOR_TENANT, type AppRegistration } from './directory';
import type { Reply, RequestContext } from './http';

/** Audiences Resource Manager accepts (its own error message lists them). */
export const ARM_AUDIENCES = ['https://management.core.windows.net/', 'https://management.core.windows.net', 'https://management.azure.com/', 'https://management.azure.com'];
const API_VERSIONS = ['2021-03-01', '2021-05-01-preview', '2022-06-15-preview', '2022-09-15', '2023-09-15-preview'];

export type ManagementTokenCheck = { appId: string; tenantId: string } | { code: string; message: string };

function armError(status: number, code: string, message: string): Reply {
	return { status, body: { error: { code, message } } };
}

function botNameOf(app: AppRegistration): string {
	return app.clientId.toLowerCase() === EMULATOR_TENANT.clientId.toLowerCase() ? EMULATOR_AZURE_BOT.botName : app.clientId.toLowerCase();
}

export class ResourceManagerStandIn {
	constructor(
		private readonly apps: Map<string, AppRegistration>,
		private readonly verify: (token: string) => ManagementTokenCheck,
	) {}

	/** Answers `/subscriptions/...` requests; undefined for any other path. */
	handle(ctx: RequestContext): Reply | undefined {
		if (!ctx.path.toLowerCase().startsWith('/subscriptions/')) return undefined;
		const auth = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
		if (!ctx.req.headers.authorization) return armError(401, 'AuthenticationFailed', 'Authentication failed. The \'Authorization\' header is missing.');
		if (!auth) return armError(401, 'AuthenticationFailed', 'Authentication failed. The \'Authorization\' header is provided in an invalid format.');
		const who = this.verify(auth[1]);
		if ('code' in who) return armError(401, who.code, who.message);
		const version = ctx.query.get('api-version');
		if (!version) return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
		if (!API_VERSIONS.includes(version)) return armError(400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid. The supported versions are '${API_VERSIONS.join(',')}'.`);
		const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.BotService\/botServices\/([^/]+)(?:\/channels\/([^/]+))?$/i.exec(ctx.path);
		const [sub, rg, bot, channel] = (m ?? []).slice(1).map((s) => (s === undefined ? undefined : decodeURIComponent(s)));
		const subscription = sub ?? decodeURIComponent(ctx.path.split('/')[2] ?? '');
		if (subscription.toLowerCase() !== EMULATOR_AZURE_BOT.subscriptionId) return armError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
		if (!m || !rg || !bot) return armError(404, 'InvalidResourceType', `The resource type could not be found in the namespace for api version '${version}': the stand-in serves Microsoft.BotService/botServices and their channels.`);
		if (rg.toLowerCase() !== EMULATOR_AZURE_BOT.resourceGroup) return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
		if (ctx.method !== 'GET') return armError(405, 'MethodNotAllowed', `The stand-in only reads (GET); change the setup through the emulator's control API (PATCH /_emulator/apps/{clientId}/setup).`);
		const app = [...this.apps.values()].find((a) => botNameOf(a) === bot.toLowerCase() && (a.setup ?? healthySetup()).botRegistered);
		const notFound = (what: string) => armError(404, 'ResourceNotFound', `The Resource '${what}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
		if (!app) return notFound(`Microsoft.BotService/botServices/${bot}`);
		const id = `/subscriptions/${EMULATOR_AZURE_BOT.subscriptionId}/resourceGroups/${EMULATOR_AZURE_BOT.resourceGroup}/providers/Microsoft.BotService/botServices/${botNameOf(app)}`;
		const setup = app.setup ?? healthySetup();
		if (!channel) return { status: 200, body: this.bot(app, id, setup.teamsChannel) };
		if (channel !== 'MsTeamsChannel' || !setup.teamsChannel) return notFound(`Microsoft.BotService/botServices/${bot}/channels/${channel}`);
		return {
			status: 200,
			body: {
				id: `${id}/channels/MsTeamsChannel`,
				name: `${botNameOf(app)}/MsTeamsChannel`,
				type: 'Microsoft.BotService/botServices/channels',
				location: 'global',
				etag: `"${app.clientId.slice(0, 8)}-teams"`,
				properties: {
					channelName: 'MsTeamsChannel',
					properties: {
						enableCalling: setup.callingEnabled,
						...(app.callingWebhook ? { callingWebhook: app.callingWebhook } : {}),
						isEnabled: true,
						incomingCallRoute: 'graphPma',
						deploymentEnvironment: 'CommercialDeployment',
						acceptedTerms: true,
					},
					etag: `"${app.clientId.slice(0, 8)}-teams"`,
					provisioningState: 'Succeeded',
					location: 'global',
				},
			},
		};
	}

	private bot(app: AppRegistration, id: string, teams: boolean): unknown {
		return {
			id,
			name: botNameOf(app),
			type: 'Microsoft.BotService/botServices',
			location: 'global',
			kind: 'azurebot',
			sku: { name: 'F0' },
			etag: `"${app.clientId.slice(0, 8)}-bot"`,
			properties: {
				displayName: app.displayName,
				endpoint: '',
				msaAppId: app.clientId,
				msaAppType: 'SingleTenant',
				msaAppTenantId: EMULATOR_TENANT.tenantId,
				tenantId: EMULATOR_TENANT.tenantId,
				configuredChannels: teams ? ['webchat', 'directline', 'msteams'] : ['webchat', 'directline'],
				enabledChannels: teams ? ['webchat', 'directline', 'msteams'] : ['webchat', 'directline'],
				publicNetworkAccess: 'Enabled',
				provisioningState: 'Succeeded',
			},
		};
	}
}
