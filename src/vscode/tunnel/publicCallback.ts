import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { PublicTunnel, TunnelStartError, type TunnelStatus } from '../../core/tunnel/publicTunnel';
import { createReachabilityProbe, type ReachabilityProbe, type ReachabilityResult } from '../../core/tunnel/reachabilityProbe';
import { installedProviders, TUNNEL_PROVIDERS, TunnelNotInstalledError, type TunnelProvider } from '../../core/tunnel/tunnelProviders';
import type { CallbackServices } from '../callbacks/callbackServices';
import type { ProfileStore } from '../profiles/profileStore';
import { ActionableError, commandAction, type ErrorAction } from '../shared/actionableError';
import type { UserInput } from '../shared/userInput';

/** SecretStorage key of the user's ngrok authtoken, passed to ngrok as NGROK_AUTHTOKEN and never logged. */
export const NGROK_AUTHTOKEN_KEY = 'graphCalls.tunnel.ngrokAuthtoken';

export interface PublicCallbackDeps {
	readonly callbacks: CallbackServices;
	readonly profiles: ProfileStore;
	readonly secrets: vscode.SecretStorage;
	readonly log: vscode.LogOutputChannel;
	readonly input: () => UserInput;
}

/** The profile whose callback URL the tunnel replaced, and what it was before. */
interface Replaced {
	readonly profileId: string;
	readonly previous: string | undefined;
	readonly url: string;
}

/**
 * "Start Public Callback": a dev tunnel or ngrok in front of the callback receiver (which relays to the developer's
 * bot when a relay target is set), its URL in the active profile's callback URL while it runs, its state in the
 * status bar, and a reachability probe once it is up.
 */
export class PublicCallback extends Disposable {
	private tunnel: PublicTunnel | undefined;
	private replaced: Replaced | undefined;
	private publicHost: string | undefined;
	readonly statusItem: vscode.StatusBarItem;
	private readonly _onDidChange = this._register(new vscode.EventEmitter<TunnelStatus | undefined>());
	readonly onDidChange = this._onDidChange.event;

	constructor(private readonly deps: PublicCallbackDeps) {
		super();
		this.statusItem = this._register(vscode.window.createStatusBarItem('graphCalls.tunnel', vscode.StatusBarAlignment.Left, 48));
		this.statusItem.name = 'Graph Calls: Public Callback';
		this.render(undefined);
	}

	get status(): TunnelStatus | undefined {
		return this.tunnel?.status;
	}

	/** The public callback URL (tunnel origin + receiver path) while the tunnel runs. */
	get callbackUrl(): string | undefined {
		const origin = this.tunnel?.url;
		const path = this.deps.callbacks.pipeline.receiver?.callbackPath;
		return origin && path ? `${origin}${path}` : undefined;
	}

	/** The probe for the setup doctor: through the public URL to this window's receiver. */
	readonly probe: ReachabilityProbe = (url) => createReachabilityProbe({ receiver: this.deps.callbacks.pipeline.receiver })(url);

	async start(): Promise<string> {
		if (this.tunnel && (this.tunnel.status.state === 'running' || this.tunnel.status.state === 'starting')) {
			if (this.callbackUrl) return this.callbackUrl;
			throw new Error('The public callback is already starting.');
		}
		const provider = await this.chooseProvider();
		await this.deps.callbacks.start();
		const port = this.deps.callbacks.pipeline.receiver?.port;
		if (!port) throw new Error('The callback receiver did not start, so there is nothing to expose.');
		const token = provider.id === 'ngrok' ? await this.deps.secrets.get(NGROK_AUTHTOKEN_KEY) : undefined;
		const tunnel = new PublicTunnel({ provider, port, extraEnv: token ? { NGROK_AUTHTOKEN: token } : undefined, secrets: token ? [token] : [] });
		this.tunnel = tunnel;
		tunnel.onDidOutput((line) => this.deps.log.debug(`[${provider.command}] ${line}`));
		tunnel.onDidChangeState((s) => this.onState(tunnel, s));
		this.render(tunnel.status);
		this.deps.log.info(`Starting ${provider.displayName} for the callback receiver on port ${port}.`);
		try {
			await tunnel.start();
		} catch (err) {
			this.tunnel = undefined;
			tunnel.dispose();
			this.render(undefined);
			if (err instanceof TunnelStartError) throw this.explain(err, provider);
			throw err;
		}
		const url = this.callbackUrl!;
		this.publicHost = new URL(url).host;
		this.deps.callbacks.extraPublicHosts.add(this.publicHost);
		await this.putInProfile(url);
		this.deps.log.info(`Public callback: ${url} → ${this.deps.callbacks.pipeline.url}`);
		return url;
	}

	/** Stops the tunnel and gives the profile its old callback URL back. */
	async stop(reason = 'stopped'): Promise<void> {
		const tunnel = this.tunnel;
		this.tunnel = undefined;
		if (tunnel) {
			await tunnel.stop();
			tunnel.dispose();
			this.deps.log.info(`Public callback ${reason}.`);
		}
		await this.restoreProfile();
		this.render(undefined);
	}

	/** Probes a callback URL (the tunnel's by default, else the active profile's). */
	async test(url?: string): Promise<ReachabilityResult> {
		const target = url ?? this.callbackUrl ?? this.deps.profiles.active?.callbackUrl;
		if (!target) {
			throw new ActionableError('There is no public callback URL to test.', 'Start a public callback first, or set the profile\'s callback URL.', [commandAction('Start Public Callback', 'graphCalls.tunnel.start')]);
		}
		const result = await this.probe(target);
		this.deps.log.info(`Reachability of ${target}: ${result.ok ? 'ok' : result.failure} — ${result.message}`);
		return result;
	}

	override dispose(): void {
		void this.stop('stopped because the window is closing');
		super.dispose();
	}

	private async chooseProvider(): Promise<TunnelProvider> {
		const found = await installedProviders();
		if (!found.length) {
			const err = new TunnelNotInstalledError([TUNNEL_PROVIDERS.devtunnel, TUNNEL_PROVIDERS.ngrok]);
			throw new ActionableError('Neither devtunnel nor ngrok is installed, so no public callback can be started.', err.message, [
				{ title: 'Install Dev Tunnels', run: () => vscode.env.openExternal(vscode.Uri.parse(TUNNEL_PROVIDERS.devtunnel.installUrl)) },
				{ title: 'Install ngrok', run: () => vscode.env.openExternal(vscode.Uri.parse(TUNNEL_PROVIDERS.ngrok.installUrl)) },
			]);
		}
		if (found.length === 1) return found[0].provider;
		const pick = await this.deps.input().showQuickPick(found.map((f) => ({ label: f.provider.displayName, description: f.executable, provider: f.provider })), { title: 'Start Public Callback with', step: 'tunnelProvider' });
		return pick.provider;
	}

	private explain(err: TunnelStartError, provider: TunnelProvider): ActionableError {
		const actions: ErrorAction[] = [commandAction('Show Log', 'graphCalls.log.show')];
		if (err.reason === 'notInstalled') actions.unshift({ title: `Install ${provider.displayName}`, run: () => vscode.env.openExternal(vscode.Uri.parse(provider.installUrl)) });
		if (provider.id === 'ngrok' && (err.reason === 'notSignedIn' || err.reason === 'badAuthtoken')) actions.unshift(commandAction('Set ngrok Authtoken', 'graphCalls.tunnel.setNgrokAuthtoken'));
		return new ActionableError(err.message, err.reason === 'exited' || err.reason === 'timeout' ? `Last output: ${err.output.slice(-3).join(' | ') || '(none)'}` : undefined, actions);
	}

	private onState(tunnel: PublicTunnel, s: TunnelStatus): void {
		if (tunnel !== this.tunnel) return;
		this.render(s);
		if (s.state === 'stopped' && s.unexpected) {
			this.tunnel = undefined;
			tunnel.dispose();
			void this.restoreProfile().then((restored) => {
				const message = `${s.message ?? 'The tunnel stopped.'}${restored ? ` The profile's callback URL is back to ${restored}.` : ''}`;
				this.deps.log.warn(message);
				void vscode.window.showWarningMessage(message, 'Start Again').then((c) => c && vscode.commands.executeCommand('graphCalls.tunnel.start'));
			});
			this.render(undefined);
		}
	}

	private async putInProfile(url: string): Promise<void> {
		const profile = this.deps.profiles.active;
		// The emulator posts to the receiver directly; a real tenant's profile gets the public URL as its callbackUri.
		if (!profile || profile.emulator) return;
		if (!this.replaced || this.replaced.profileId !== profile.id) this.replaced = { profileId: profile.id, previous: profile.callbackUrl, url };
		else this.replaced = { ...this.replaced, url };
		await this.deps.profiles.update({ ...profile, callbackUrl: url });
	}

	/** Puts back the URL the tunnel replaced, unless the user changed it since. Returns what it restored, if anything. */
	private async restoreProfile(): Promise<string | undefined> {
		if (this.publicHost) this.deps.callbacks.extraPublicHosts.delete(this.publicHost);
		this.publicHost = undefined;
		const replaced = this.replaced;
		this.replaced = undefined;
		if (!replaced) return undefined;
		const profile = this.deps.profiles.get(replaced.profileId);
		if (!profile || profile.callbackUrl !== replaced.url) return undefined;
		const { callbackUrl: _dropped, ...rest } = profile;
		await this.deps.profiles.update(replaced.previous ? { ...rest, callbackUrl: replaced.previous } : rest);
		return replaced.previous ?? '(none)';
	}

	private render(s: TunnelStatus | undefined): void {
		this._onDidChange.fire(s);
		const item = this.statusItem;
		if (!s || s.state === 'stopped' || s.state === 'failed') {
			item.hide();
			return;
		}
		const host = s.url ? new URL(s.url).host : '';
		item.text = s.state === 'starting' ? '$(sync~spin) Public callback starting' : s.state === 'reconnecting' ? `$(warning) Public callback reconnecting` : `$(globe) ${host}`;
		item.tooltip = s.state === 'running' ? `${s.provider.displayName} forwards ${this.callbackUrl} to the callback receiver. Click to test reachability.` : (s.message ?? `${s.provider.displayName} is starting.`);
		item.command = s.state === 'running' ? 'graphCalls.tunnel.test' : undefined;
		item.backgroundColor = s.state === 'reconnecting' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
		item.show();
	}
}
