/**
 * Where the doctor's Azure Bot check gets Resource Manager access for a profile. The Emulator profile uses the
 * emulator's Resource Manager stand-in and its own token endpoint; a tenant profile uses VS Code's built-in
 * Microsoft sign-in for the management scope, and only after the user agreed (asked once per profile, remembered,
 * with the bot's subscription, resource group and name).
 */
import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { ARM_ENDPOINT, ARM_SCOPE, type ArmAccess, type AzureBotRef } from '../../core/doctor/botChannelCheck';
import { clientCredentialsToken } from '../../core/doctor/doctorSources';
import { EMULATOR_AZURE_BOT, EMULATOR_TENANT } from '../../core/emulator/directory';
import type { UserInput } from '../shared/userInput';

interface Remembered {
	readonly allowed: boolean;
	readonly ref?: AzureBotRef;
}

const KEY = (profileId: string) => `graphCalls.doctor.azure.${profileId}`;
const ALLOW = 'Sign In and Check';
const SKIP = 'Skip the Azure Check';

export type AzureBotAccess = { ref?: AzureBotRef; access: ArmAccess | { unavailable: string; fix: string } };

export async function azureBotAccess(profile: TenantProfile, memento: vscode.Memento, input: UserInput): Promise<AzureBotAccess> {
	if (profile.emulator) {
		const emu = profile.emulator;
		return {
			ref: EMULATOR_AZURE_BOT,
			access: {
				endpoint: emu.graphHost, caCertPem: emu.caCertPem,
				getToken: () => clientCredentialsToken({ authority: emu.authority, clientId: profile.clientId, clientSecret: EMULATOR_TENANT.clientSecret, scope: ARM_SCOPE, caCertPem: emu.caCertPem }),
			},
		};
	}
	let remembered = memento.get<Remembered>(KEY(profile.id));
	if (!remembered) {
		const choice = await input.showWarningMessage(`Check the Azure Bot of "${profile.name}" through Azure Resource Manager? VS Code signs you in to Azure (management scope) with its built-in Microsoft account; the doctor only reads the bot and its Teams channel.`, { modal: true }, ALLOW, SKIP);
		remembered = { allowed: choice === ALLOW };
		if (remembered.allowed) {
			const subscriptionId = await input.showInputBox({ title: 'Azure Bot (1/3)', prompt: 'Subscription id of the Azure Bot', ignoreFocusOut: true });
			const resourceGroup = await input.showInputBox({ title: 'Azure Bot (2/3)', prompt: 'Resource group of the Azure Bot', ignoreFocusOut: true });
			const botName = await input.showInputBox({ title: 'Azure Bot (3/3)', prompt: 'Name of the Azure Bot resource', ignoreFocusOut: true });
			remembered = { allowed: true, ref: { subscriptionId: subscriptionId.trim(), resourceGroup: resourceGroup.trim(), botName: botName.trim() } };
		}
		await memento.update(KEY(profile.id), remembered);
	}
	if (!remembered.allowed) {
		return { ref: remembered.ref, access: { unavailable: 'You chose to skip the Azure check for this profile.', fix: 'Run "Graph Calls: Reset Setup Doctor Azure Choice" to be asked again.' } };
	}
	return {
		ref: remembered.ref,
		access: {
			endpoint: ARM_ENDPOINT,
			// VSCODE_TENANT picks the profile's tenant for the session (the Microsoft provider's scope convention).
			getToken: async () => (await vscode.authentication.getSession('microsoft', [ARM_SCOPE, `VSCODE_TENANT:${profile.tenantId}`], { createIfNone: true })).accessToken,
		},
	};
}

export function forgetAzureChoice(profile: TenantProfile, memento: vscode.Memento): Thenable<void> {
	return memento.update(KEY(profile.id), undefined);
}
