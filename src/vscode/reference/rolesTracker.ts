import * as vscode from 'vscode';
import { decodeTokenClaims, summariseClaims } from '../../core/auth/tokenClaims';
import type { TokenProvider } from '../../core/auth/tokenProvider';
import type { Event } from '../../core/event';
import type { ApiVersionName } from '../../core/schema/endpoints';

/** The part of ProfileStore the reference needs (kept structural so it stays testable and decoupled). */
export interface ActiveProfileSource {
	readonly active: { readonly id: string; readonly name: string; readonly apiVersion: ApiVersionName } | undefined;
	readonly onDidChangeActive: Event<unknown>;
	tokenProviderFor(profile: { readonly id: string }): TokenProvider;
}

export interface RolesSnapshot {
	readonly profileName: string;
	readonly apiVersion: ApiVersionName;
	/** The token's `roles`; undefined when no token could be had (see `error`). */
	readonly roles?: readonly string[];
	/** Why the roles are unknown, with what to do next. Never contains the token. */
	readonly error?: string;
}

/**
 * The active profile's application roles, read from the `roles` claim of its access token. Asks for a token
 * only when something needs the roles (never at activation); `refresh({ fresh: true })` bypasses the token
 * cache so a permission granted or taken away a moment ago shows up.
 */
export class RolesTracker implements vscode.Disposable {
	private snapshot: RolesSnapshot | undefined;
	private pending: Promise<RolesSnapshot | undefined> | undefined;
	private generation = 0;
	private readonly _onDidChange = new vscode.EventEmitter<RolesSnapshot | undefined>();
	readonly onDidChange = this._onDidChange.event;
	private readonly subscriptions: { dispose(): void }[] = [];

	constructor(private readonly profiles: () => ActiveProfileSource | undefined) {
		const source = profiles();
		if (source) {
			this.subscriptions.push(
				source.onDidChangeActive(() => {
					this.generation++;
					this.snapshot = undefined;
					this.pending = undefined;
					this._onDidChange.fire(undefined);
				}),
			);
		}
	}

	/** The last known roles without asking for a token. */
	get current(): RolesSnapshot | undefined {
		return this.snapshot;
	}

	/** Known roles, or asks for a token once (concurrent callers share the request). */
	get(): Promise<RolesSnapshot | undefined> {
		if (this.snapshot) return Promise.resolve(this.snapshot);
		return this.refresh({ fresh: false });
	}

	refresh(options: { fresh: boolean }): Promise<RolesSnapshot | undefined> {
		if (this.pending && !options.fresh) return this.pending;
		const generation = ++this.generation;
		const run = this.read(options.fresh).then((s) => {
			if (generation === this.generation) {
				this.snapshot = s;
				this.pending = undefined;
				this._onDidChange.fire(s);
			}
			return s;
		});
		this.pending = run;
		return run;
	}

	private async read(fresh: boolean): Promise<RolesSnapshot | undefined> {
		const source = this.profiles();
		const profile = source?.active;
		if (!source || !profile) return undefined;
		const base = { profileName: profile.name, apiVersion: profile.apiVersion };
		try {
			const token = await source.tokenProviderFor(profile).getToken({ forceRefresh: fresh });
			return { ...base, roles: summariseClaims(decodeTokenClaims(token.token)).roles };
		} catch (err) {
			const message = err instanceof Error ? err.message : String(err);
			return { ...base, error: `Could not get a token for "${profile.name}" to read its roles: ${message} Fix the profile, then select Refresh.` };
		}
	}

	dispose(): void {
		for (const s of this.subscriptions) s.dispose();
		this._onDidChange.dispose();
	}
}
