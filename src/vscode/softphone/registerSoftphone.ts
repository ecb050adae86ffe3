import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { EmulatorControl } from '../../core/scenarios/emulatorControl';
import type { PhonePerson } from '../../core/softphone/phoneView';
import { ActionableError, commandAction } from '../shared/actionableError';
import type { Commands } from '../shared/commands';
import type { QuickPickItemWithData, UserInput } from '../shared/userInput';
import type { ProfileStore } from '../profiles/profileStore';
import { SoftphonePanel } from './softphonePanel';

export interface SoftphoneRegistration {
	readonly extensionUri: vscode.Uri;
	readonly profiles: ProfileStore;
	readonly commands: Commands;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
	readonly callbackUri: (p: TenantProfile) => string | undefined;
}

interface DirectoryJson {
	users?: { id?: unknown; displayName?: unknown }[];
	phones?: { id?: unknown; displayName?: unknown }[];
}

function emulatorOf(profiles: ProfileStore): { profile: TenantProfile; controlUrl: string; caCertPem: string } {
	const profile = profiles.active;
	if (!profile?.emulator) {
		throw new ActionableError('The softphone plays a person in the local emulator.', 'Switch to the Emulator profile (or start the emulator), then open the softphone again.', [
			commandAction('Use Local Emulator', 'graphCalls.emulator.start'),
		]);
	}
	return { profile, controlUrl: profile.emulator.controlUrl, caCertPem: profile.emulator.caCertPem };
}

/** The directory's people and phones; `wanted` (a user id, display name or number) picks one without asking. */
async function pickPerson(reg: SoftphoneRegistration, wanted: unknown): Promise<PhonePerson> {
	const { controlUrl, caCertPem } = emulatorOf(reg.profiles);
	const control = new EmulatorControl(controlUrl, caCertPem);
	let directory: DirectoryJson;
	try {
		directory = ((await control.send('GET', '/directory')) ?? {}) as DirectoryJson;
	} catch (err) {
		throw new ActionableError(`The emulator did not give its directory: ${(err as Error).message}`, 'Start or restart the emulator, then open the softphone again.', [commandAction('Restart Emulator', 'graphCalls.emulator.restart')]);
	} finally {
		control.dispose();
	}
	const people: PhonePerson[] = [
		...(directory.users ?? []).filter((u) => typeof u.id === 'string').map((u) => ({ kind: 'user' as const, id: String(u.id), displayName: String(u.displayName ?? u.id) })),
		...(directory.phones ?? []).filter((p) => typeof p.id === 'string').map((p) => ({ kind: 'phone' as const, id: String(p.id), displayName: String(p.displayName ?? p.id) })),
	];
	if (typeof wanted === 'string' && wanted) {
		const w = wanted.toLowerCase();
		const found = people.find((p) => p.id.toLowerCase() === w || p.displayName.toLowerCase() === w);
		if (!found) throw new Error(`Nobody in the emulator's directory is "${wanted}": pass a user id, a display name or a phone number it lists (GET /_emulator/directory).`);
		return found;
	}
	if (!people.length) throw new Error('The emulator\'s directory has nobody to be: add a user (POST /_emulator/directory/users) and try again.');
	const items: QuickPickItemWithData<PhonePerson>[] = people.map((p) => ({ label: p.displayName, description: p.kind === 'phone' ? `phone ${p.id}` : 'Teams user', detail: p.kind === 'user' ? p.id : undefined, data: p }));
	return (await reg.input().showQuickPick(items, { title: 'Open Softphone', placeHolder: 'Whom do you want to be on the call?', step: 'person' })).data;
}

/** "Graph Calls: Open Softphone…": one panel per person, several at once for calls with several people. */
export function registerSoftphone(reg: SoftphoneRegistration): vscode.Disposable {
	const panels = new Map<string, SoftphonePanel>();
	const command = reg.commands.register('graphCalls.softphone.open', async (who?: unknown) => {
		const person = await pickPerson(reg, who);
		const key = `${person.kind}:${person.id.toLowerCase()}`;
		const open = panels.get(key);
		if (open) {
			open.reveal();
			return;
		}
		const panel = new SoftphonePanel(person, {
			extensionUri: reg.extensionUri,
			emulator: () => {
				const p = reg.profiles.active;
				return p?.emulator ? { controlUrl: p.emulator.controlUrl, caCertPem: p.emulator.caCertPem, clientId: p.clientId } : undefined;
			},
			callbackUri: () => {
				const p = reg.profiles.active;
				try {
					return p ? reg.callbackUri(p) : undefined;
				} catch {
					return undefined;
				}
			},
			input: reg.input,
			log: reg.log,
		});
		panels.set(key, panel);
		panel.onDidDispose(() => panels.delete(key));
		reg.log.info(`Softphone opened for ${person.displayName}.`);
	});
	return vscode.Disposable.from(command, { dispose: () => [...panels.values()].forEach((p) => p.dispose()) });
}
