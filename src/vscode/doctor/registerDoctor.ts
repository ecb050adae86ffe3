/**
 * "Graph Calls: Run Setup Doctor": the calling setup checks for the active profile, shown one row per check in the
 * Setup Doctor view while they run. The checks are core's (src/core/doctor); this gathers their inputs from the
 * profile, the workspace and Azure.
 */
import * as vscode from 'vscode';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { authorityOf } from '../../core/auth/tenantProfile';
import type { ReachabilityProbe } from '../../core/doctor/callbackChecks';
import { graphProbe, runDoctor } from '../../core/doctor/doctor';
import { hasFailures, type DoctorReport } from '../../core/doctor/doctorModel';
import { openIdTenantResolver } from '../../core/doctor/doctorSources';
import { findManifest, readManifest } from '../../core/doctor/manifestCheck';
import type { GraphClients } from '../profiles/graphClients';
import type { ProfileStore } from '../profiles/profileStore';
import { noProfileError } from '../shared/actionableError';
import type { Commands } from '../shared/commands';
import type { UserInput } from '../shared/userInput';
import { azureBotAccess, forgetAzureChoice } from './azureBotAccess';
import { DoctorTreeProvider } from './doctorTreeProvider';

export interface DoctorDeps {
	readonly profiles: ProfileStore;
	readonly clients: GraphClients;
	readonly commands: Commands;
	readonly input: () => UserInput;
	readonly memento: vscode.Memento;
	/** The profile's callback URL as calls use it (the receiver decides for the emulator). */
	readonly callbackUri: (profile: TenantProfile) => string | undefined;
	/** The public tunnel's reachability self-test, when one runs. */
	readonly reachability?: () => ReachabilityProbe | undefined;
}

export function registerDoctor(deps: DoctorDeps): vscode.Disposable[] {
	const tree = new DoctorTreeProvider();
	const view = vscode.window.createTreeView('graphCalls.doctor', { treeDataProvider: tree, showCollapseAll: true });
	let running: Promise<DoctorReport> | undefined;

	const run = async (): Promise<DoctorReport> => {
		const profile = deps.profiles.active;
		if (!profile) throw noProfileError('The setup doctor checks the active profile, and none is active.');
		const azure = await azureBotAccess(profile, deps.memento, deps.input());
		const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
		const manifestFile = await findManifest(folders);
		const manifest = manifestFile ? await readManifest(manifestFile).catch((err: unknown) => ({ path: manifestFile, error: (err as Error).message })) : undefined;
		tree.start(profile.name);
		view.message = `Checking "${profile.name}"…`;
		void vscode.commands.executeCommand('graphCalls.doctor.focus');
		const tokens = deps.profiles.tokenProviderFor(profile);
		let report: DoctorReport | undefined;
		try {
			report = await vscode.window.withProgress({ location: { viewId: 'graphCalls.doctor' }, title: 'Running the setup doctor' }, () => runDoctor({
				profileName: profile.name, clientId: profile.clientId, tenantId: profile.tenantId, callbackUrl: safe(() => deps.callbackUri(profile)) ?? profile.callbackUrl,
				getToken: async () => (await tokens.getToken({ forceRefresh: true })).token,
				probeGraph: graphProbe(deps.clients.forProfile(profile)),
				resolveTenantDomain: openIdTenantResolver(new URL(authorityOf(profile)).origin, profile.emulator?.caCertPem),
				manifest, azureBot: azure.ref, arm: azure.access, reachability: deps.reachability?.(),
				onResult: (r) => tree.update(r),
			}));
			return report;
		} finally {
			tree.finish(report);
			view.message = report ? `${profile.name}: ${report.results.filter((r) => r.state === 'fail').length} failed, ${report.results.filter((r) => r.state === 'pass').length} passed` : undefined;
		}
	};

	return [
		tree, view,
		deps.commands.register('graphCalls.doctor.run', async (): Promise<DoctorReport> => {
			// One run at a time: a second click waits for the first one's report.
			running ??= run().finally(() => (running = undefined));
			const report = await running;
			const failed = report.results.filter((r) => r.state === 'fail');
			void deps.commands.report(hasFailures(report)
				? `Setup doctor: ${failed.length} check(s) failed for "${report.profileName}": ${failed.map((r) => r.title).join(', ')}.`
				: `Setup doctor: no check failed for "${report.profileName}".`);
			return report;
		}),
		deps.commands.register('graphCalls.doctor.resetAzureChoice', async () => {
			const profile = deps.profiles.active;
			if (!profile) throw noProfileError();
			await forgetAzureChoice(profile, deps.memento);
			void deps.commands.report(`The setup doctor will ask again before it checks the Azure Bot of "${profile.name}".`);
		}),
	];
}

function safe<T>(f: () => T): T | undefined {
	try {
		return f();
	} catch {
		return undefined;
	}
}
