// Only types from 'vscode': the store runs under plain mocha with a fake Memento and SecretStorage too.
import type * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { Emitter, type Event } from '../../core/event';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import type { AccessToken, TokenProvider, TokenRequestOptions } from '../../core/auth/tokenProvider';
import { parseStoredCredential, serialiseCredential, type ProfileCredential } from '../../core/auth/credential';
import { MsalTokenProvider, type AuthLogLevel } from '../../core/auth/msalTokenProvider';

/** globalState keys. Only non-secret profile fields live there. */
export const PROFILES_STATE_KEY = 'graphCalls.profiles';
export const ACTIVE_PROFILE_STATE_KEY = 'graphCalls.activeProfileId';

/** The SecretStorage key of a profile's client secret or certificate PEM. */
export function credentialKeyOf(profileId: string): string {
	return `graphCalls.profile.${profileId}.credential`;
}

const CREDENTIAL_KEY = /^graphCalls\.profile\.(.+)\.credential$/;

export interface ProfileChange {
	readonly kind: 'added' | 'updated' | 'removed' | 'credential';
	readonly profile: TenantProfile;
}

export interface ProfileStoreOptions {
	readonly globalState: vscode.Memento;
	readonly secrets: vscode.SecretStorage;
	readonly log: Pick<vscode.LogOutputChannel, AuthLogLevel>;
	/**
	 * Asks the user for a profile's credential when SecretStorage has none (it was never stored, was lost, or failed
	 * to decrypt). Throws UserCancelledError when dismissed. Never reads settings or files on its own.
	 */
	readonly askForCredential: (profile: TenantProfile) => Promise<ProfileCredential>;
	/** Sets a context key (the `setContext` command in VS Code). */
	readonly setContext: (key: string, value: unknown) => void;
}

/**
 * Tenant profiles: non-secret fields in globalState, the credential only in SecretStorage. Holds the active
 * profile and one token provider per profile, rebuilt when the profile or its secret changes.
 */
export class ProfileStore extends Disposable {
	private profiles: TenantProfile[];
	private activeId: string | undefined;
	private readonly providers = new Map<string, ProfileTokenProvider>();
	private readonly _onDidChangeActive = this._register(new Emitter<TenantProfile | undefined>());
	private readonly _onDidChange = this._register(new Emitter<ProfileChange>());
	/** Fires with the new active profile (or undefined) after a switch, or when the active profile itself changes. */
	readonly onDidChangeActive: Event<TenantProfile | undefined> = this._onDidChangeActive.event;
	/** Fires for every profile added, updated, removed, or whose credential changed (also from another window). */
	readonly onDidChange: Event<ProfileChange> = this._onDidChange.event;
	/** Serialises writes so two quick commands cannot interleave their globalState updates. */
	private writes: Promise<unknown> = Promise.resolve();

	constructor(private readonly options: ProfileStoreOptions) {
		super();
		this.profiles = readProfiles(options.globalState.get<unknown>(PROFILES_STATE_KEY));
		const stored = options.globalState.get<string>(ACTIVE_PROFILE_STATE_KEY);
		this.activeId = this.profiles.some((p) => p.id === stored) ? stored : undefined;
		this._register(options.secrets.onDidChange((e) => this.onSecretChanged(e.key)));
		this._register(toDisposable(() => {
			for (const p of this.providers.values()) p.invalidate();
			this.providers.clear();
		}));
		this.updateContextKey();
	}

	get active(): TenantProfile | undefined {
		return this.profiles.find((p) => p.id === this.activeId);
	}

	list(): readonly TenantProfile[] {
		return this.profiles;
	}

	get(id: string): TenantProfile | undefined {
		return this.profiles.find((p) => p.id === id);
	}

	/** Adds a profile (a fresh id unless `profile.id` is given) with its credential; makes it active if asked. */
	async add(fields: Omit<TenantProfile, 'id'> & { id?: string }, credential: ProfileCredential | undefined, options: { activate?: boolean } = {}): Promise<TenantProfile> {
		const profile = onlyProfileFields({ ...fields, id: fields.id ?? randomUUID() });
		if (this.get(profile.id)) throw new Error(`A profile with id ${profile.id} already exists: edit it instead.`);
		// Secret first: a profile must never be visible without the credential it was added with.
		if (credential) await this.options.secrets.store(credentialKeyOf(profile.id), serialiseCredential(credential));
		await this.write(() => {
			this.profiles = [...this.profiles, profile];
		});
		this.options.log.info(`Profile "${profile.name}" added (${profile.credentialKind}, tenant ${profile.tenantId}).`);
		this._onDidChange.fire({ kind: 'added', profile });
		if (options.activate || !this.activeId) await this.setActive(profile.id);
		return profile;
	}

	/** Replaces a profile's fields (same id) and, when given, its credential. Drops its cached token provider. */
	async update(profile: TenantProfile, credential?: ProfileCredential): Promise<TenantProfile> {
		if (!this.get(profile.id)) throw new Error(`Profile "${profile.name}" no longer exists: it was removed, perhaps in another window.`);
		if (credential) await this.options.secrets.store(credentialKeyOf(profile.id), serialiseCredential(credential));
		await this.write(() => {
			this.profiles = this.profiles.map((p) => (p.id === profile.id ? onlyProfileFields(profile) : p));
		});
		this.providers.get(profile.id)?.invalidate();
		const updated = this.get(profile.id) as TenantProfile;
		this.options.log.info(`Profile "${updated.name}" updated${credential ? ' with a new credential' : ''}.`);
		this._onDidChange.fire({ kind: 'updated', profile: updated });
		if (this.activeId === profile.id) this._onDidChangeActive.fire(updated);
		return updated;
	}

	/** Removes a profile and deletes its secret. If it was active, the first remaining profile becomes active. */
	async remove(id: string): Promise<void> {
		const profile = this.get(id);
		if (!profile) return;
		await this.write(() => {
			this.profiles = this.profiles.filter((p) => p.id !== id);
		});
		await this.options.secrets.delete(credentialKeyOf(id));
		this.providers.get(id)?.invalidate();
		this.providers.delete(id);
		this.options.log.info(`Profile "${profile.name}" removed with its credential.`);
		this._onDidChange.fire({ kind: 'removed', profile });
		if (this.activeId === id) await this.setActive(this.profiles[0]?.id);
	}

	async setActive(id: string | undefined): Promise<void> {
		if (id !== undefined && !this.get(id)) throw new Error(`There is no profile with id ${id}.`);
		if (id === this.activeId) return;
		this.activeId = id;
		await this.options.globalState.update(ACTIVE_PROFILE_STATE_KEY, id);
		this.options.log.info(id ? `Active profile: "${this.active?.name}".` : 'No active profile.');
		this._onDidChangeActive.fire(this.active);
	}

	/**
	 * Picks up profiles another window added, edited or removed. globalState is shared between windows but has no
	 * change event, so the extension calls this when its window gains focus. Fires the same events as a change made
	 * here; each window keeps its own active profile unless another window removed it. Returns whether anything changed.
	 */
	async refreshFromStorage(): Promise<boolean> {
		await this.writes; // this window's own writes first, or the stored list could be older than ours
		const stored = readProfiles(this.options.globalState.get<unknown>(PROFILES_STATE_KEY));
		const before = new Map(this.profiles.map((p) => [p.id, p]));
		const after = new Map(stored.map((p) => [p.id, p]));
		const changes: ProfileChange[] = [];
		for (const p of stored) {
			const old = before.get(p.id);
			if (!old) changes.push({ kind: 'added', profile: p });
			else if (JSON.stringify(old) !== JSON.stringify(p)) changes.push({ kind: 'updated', profile: p });
		}
		for (const p of this.profiles) if (!after.has(p.id)) changes.push({ kind: 'removed', profile: p });
		if (changes.length === 0) return false;
		this.profiles = stored;
		this.updateContextKey();
		for (const change of changes) {
			if (change.kind !== 'added') this.providers.get(change.profile.id)?.invalidate();
			if (change.kind === 'removed') this.providers.delete(change.profile.id);
		}
		this.options.log.info(`Profiles changed in another window: ${changes.map((c) => `"${c.profile.name}" ${c.kind}`).join(', ')}.`);
		for (const change of changes) this._onDidChange.fire(change);
		// A window whose active profile was removed, or that had none, moves to the first profile, as after remove/add.
		if (this.activeId === undefined ? this.profiles.length > 0 : !after.has(this.activeId)) await this.setActive(this.profiles[0]?.id);
		else if (changes.some((c) => c.kind === 'updated' && c.profile.id === this.activeId)) this._onDidChangeActive.fire(this.active);
		return true;
	}

	/** The stored credential, or undefined when SecretStorage has none. */
	async getCredential(id: string): Promise<ProfileCredential | undefined> {
		return parseStoredCredential(await this.options.secrets.get(credentialKeyOf(id)));
	}

	/** Deletes the stored credential: the next token request asks for it again. */
	async forgetCredential(id: string): Promise<void> {
		await this.options.secrets.delete(credentialKeyOf(id));
		this.providers.get(id)?.invalidate();
	}

	async storeCredential(id: string, credential: ProfileCredential): Promise<void> {
		await this.options.secrets.store(credentialKeyOf(id), serialiseCredential(credential));
		this.providers.get(id)?.invalidate();
	}

	/**
	 * The token provider for a profile: one object per profile id that callers may keep. Its msal-node client is
	 * created on the first token request and dropped whenever the profile or its secret changes.
	 */
	tokenProviderFor(profile: Pick<TenantProfile, 'id'>): TokenProvider {
		let p = this.providers.get(profile.id);
		if (!p) {
			p = new ProfileTokenProvider(profile.id, this);
			this.providers.set(profile.id, p);
		}
		return p;
	}

	/** Used by ProfileTokenProvider: builds the msal provider for the profile as it is now. */
	createMsalProvider(id: string): MsalTokenProvider {
		const profile = this.get(id);
		if (!profile) throw new Error('The profile was removed: choose another one with "Graph Calls: Switch Profile".');
		return new MsalTokenProvider({
			profile,
			getCredential: () => this.credentialOrAsk(profile),
			log: (level, message) => this.options.log[level](message),
		});
	}

	private async credentialOrAsk(profile: TenantProfile): Promise<ProfileCredential> {
		const stored = await this.getCredential(profile.id);
		if (stored && stored.kind === profile.credentialKind) return stored;
		// Lost, failed to decrypt, or never stored (an imported profile): ask again; never fall back to settings.
		this.options.log.warn(`Profile "${profile.name}" has no ${profile.credentialKind === 'secret' ? 'client secret' : 'certificate'} in SecretStorage: asking for it.`);
		const asked = await this.options.askForCredential(profile);
		await this.options.secrets.store(credentialKeyOf(profile.id), serialiseCredential(asked));
		return asked;
	}

	private onSecretChanged(key: string): void {
		const m = CREDENTIAL_KEY.exec(key);
		if (!m) return;
		const profile = this.get(m[1]);
		this.providers.get(m[1])?.invalidate();
		if (profile) this._onDidChange.fire({ kind: 'credential', profile });
	}

	private async write(change: () => void): Promise<void> {
		const run = this.writes.then(async () => {
			change();
			await this.options.globalState.update(PROFILES_STATE_KEY, this.profiles);
			this.updateContextKey();
		});
		this.writes = run.catch(() => undefined);
		await run;
	}

	private updateContextKey(): void {
		this.options.setContext('graphCalls.hasProfile', this.profiles.length > 0);
	}
}

/** A stable TokenProvider per profile id whose msal client is rebuilt after the profile or secret changes. */
class ProfileTokenProvider implements TokenProvider {
	private inner: MsalTokenProvider | undefined;

	constructor(private readonly id: string, private readonly store: ProfileStore) {}

	getToken(options?: TokenRequestOptions): Promise<AccessToken> {
		try {
			this.inner ??= this.store.createMsalProvider(this.id);
		} catch (err) {
			return Promise.reject(err);
		}
		return this.inner.getToken(options);
	}

	invalidate(): void {
		this.inner?.dispose();
		this.inner = undefined;
	}
}

const PROFILE_FIELDS: readonly (keyof TenantProfile)[] = ['id', 'name', 'cloud', 'tenantId', 'clientId', 'credentialKind', 'certificatePath', 'certificateThumbprint', 'certificateThumbprintSha1', 'apiVersion', 'callbackUrl', 'emulator'];

/** Copies only the known non-secret fields: a stray `clientSecret` on the object can never reach globalState. */
function onlyProfileFields(p: TenantProfile): TenantProfile {
	const out: Record<string, unknown> = {};
	for (const k of PROFILE_FIELDS) if (p[k] !== undefined) out[k] = p[k];
	return out as unknown as TenantProfile;
}

/** Reads stored profiles defensively: a damaged entry is dropped rather than breaking activation. */
function readProfiles(value: unknown): TenantProfile[] {
	if (!Array.isArray(value)) return [];
	return value.filter((p): p is TenantProfile => !!p && typeof p === 'object' && typeof p.id === 'string' && typeof p.name === 'string' && typeof p.tenantId === 'string' && typeof p.clientId === 'string');
}
