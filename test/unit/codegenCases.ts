/**
 * The requests Copy as Code is checked with against the SDKs: one documented example per action (callExamples.ts) and
 * further request bodies from the Graph v1.0 docs. Shared by requestsCodegenSdk.test.ts and
 * requestsCodegenPowershell.test.ts.
 */
import { CALL_EXAMPLES } from '../../src/core/requests/callExamples';

export const IDS: Record<string, string> = {
	callId: '57dab8b1-894c-409a-b240-bd8beae78896',
	participantId: 'a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b',
	operationId: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
	sessionId: '6b1e6b79-3a8b-4a2d-8d0b-9b4c2f6e1d11',
	groupId: 'oneToOne',
	userId: '8d1e6ab2-4e3c-4b2a-9a3f-1c2b3d4e5f60',
	tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
	callbackUri: 'https://bot.contoso.com/callback',
	applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278',
};
export const fill = (s: string): string => s.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => IDS[name] ?? whole);

export interface Case {
	readonly id: string;
	readonly method: string;
	readonly url: string;
	readonly body?: unknown;
	readonly beta: boolean;
}

export const CALL = '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896';
const user = (id: string, extra: Record<string, unknown> = {}) => ({ user: { id, displayName: 'Heidi Steen', ...extra } });

/**
 * Request bodies from the Graph v1.0 docs (api-reference/v1.0/api/call-answer.md, call-transfer.md, call-redirect.md,
 * participant-invite.md, application-post-calls.md, call-reject.md) beyond the one example per action, plus values of
 * the wrong JSON type, which have to go to AdditionalData as they are.
 */
export const DOCUMENTED: readonly Case[] = [
	{
		id: 'docs-answer-prefetch', method: 'POST', url: `${CALL}/answer`, beta: false,
		body: {
			callbackUri: 'https://bot.contoso.com/api/calls',
			acceptedModalities: ['audio'],
			mediaConfig: {
				'@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
				preFetchMedia: [
					{ uri: 'https://cdn.contoso.com/beep.wav', resourceId: 'f8971b04-b53e-418c-9222-c82ce681a582' },
					{ uri: 'https://cdn.contoso.com/cool.wav', resourceId: '86dc814b-c172-4428-9112-60f8ecae1edb' },
				],
			},
		},
	},
	{
		id: 'docs-answer-app-hosted', method: 'POST', url: `${CALL}/answer`, beta: false,
		body: {
			callbackUri: 'https://bot.contoso.com/api/calls',
			mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<Media Session Configuration Blob>' },
			acceptedModalities: ['audio'],
			callOptions: { '@odata.type': '#microsoft.graph.incomingCallOptions', isContentSharingNotificationEnabled: true },
			participantCapacity: 200,
		},
	},
	{
		id: 'docs-transfer-pstn', method: 'POST', url: `${CALL}/transfer`, beta: false,
		body: {
			transferTarget: {
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				endpointType: 'default',
				identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' } },
				languageId: 'en-us',
				region: 'amer',
				replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d',
			},
			clientContext: '9e90d1c1-f61e-43e7-9f75-d420159aae08',
		},
	},
	{
		id: 'docs-transfer-consultative', method: 'POST', url: `${CALL}/transfer`, beta: false,
		body: {
			transferTarget: { endpointType: 'default', identity: user('550fae72-d251-43ec-868c-373732c2704f', { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' }) },
			transferee: { identity: { user: { id: '751f6800-3180-414d-bd94-333364659951', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } }, participantId: '909c6581-5130-43e9-88f3-fcb3582cde37' },
		},
	},
	{
		id: 'docs-redirect-timeout', method: 'POST', url: `${CALL}/redirect`, beta: false,
		body: { targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' } } }], callbackUri: 'https://bot.contoso.com/api/calls', timeout: 15 },
	},
	{
		id: 'docs-invite-replaces', method: 'POST', url: `${CALL}/participants/invite`, beta: false,
		body: {
			participants: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', replacesCallId: 'a7ebfb2d-871e-419c-87af-27290b22e8db', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: '278405a3-f568-4b3e-b684-009193463064', identityProvider: 'AAD' } } }],
			clientContext: 'f2fa86af-3c51-4bc2-8fc0-475452d9764f',
		},
	},
	{
		id: 'docs-create-app-hosted', method: 'POST', url: '/communications/calls', beta: false,
		body: {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: 'https://bot.contoso.com/callback',
			source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', application: { '@odata.type': '#microsoft.graph.identity', displayName: 'Calling Bot', id: '2891555a-92ff-42e6-80fa-6e1300c6b5c6' } }, region: null, languageId: null },
			targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', displayName: 'John', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8' } } }],
			requestedModalities: ['audio'],
			mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<Media Session Configuration>' },
			tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
		},
	},
	{ id: 'docs-reject-callback', method: 'POST', url: `${CALL}/reject`, beta: false, body: { reason: 'none', callbackUri: 'https://bot.contoso.com/api/calls/24701998-1a73-4d42-8085-bf46ed0ae039' } },
	{ id: 'wrong-json-types', method: 'POST', url: `${CALL}/answer`, beta: false, body: { callbackUri: 42, acceptedModalities: ['audio', 'smell'], participantCapacity: '200', mediaConfig: 'serviceHosted' } },
];

export const CASES: readonly Case[] = [
	...CALL_EXAMPLES.map((e) => ({ id: e.id, method: e.method, url: fill(e.path), body: e.body ? JSON.parse(fill(JSON.stringify(e.body))) : undefined, beta: e.path.startsWith('/beta') })),
	...DOCUMENTED,
];
