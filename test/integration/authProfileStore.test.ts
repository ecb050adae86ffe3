// ProfileStore under plain mocha: an in-memory Memento and SecretStorage shaped like VS Code's, and real tokens
// from the emulator, to see when token providers are rebuilt and when the user is asked for a secret.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { Emitter } from '../../src/core/event';
import type { EmulatorHandle } from '../../src/core/emulator';
import { SignInError } from '../../src/core/auth/authErrors';
import type { ProfileCredential } from '../../src/core/auth/credential';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { ACTIVE_PROFILE_STATE_KEY, credentialKeyOf, PROFILES_STATE_KEY, ProfileStore } from '../../src/vscode/profiles/profileStore';
import { useEmulator } from './support/emulatorFixture';

class FakeMemento {
	readonly data = new Map<string, unknown>();
	keys(): readonly string[] {
		return [...this.data.keys()];
	}
	get<T>(key: string, fallback?: T): T | undefined {
		// VS Code hands out copies: so do we, so a store cannot rely on sharing the object.
		return this.data.has(key) ? (JSON.parse(JSON.stringify(this.data.get(key))) as T) : fallback;
	}
	async update(key: string, value: unknown): Promise<void> {
		if (value === undefined) this.data.delete(key);
		else this.data.set(key, JSON.parse(JSON.stringify(value)));
	}
}

/** Like VS Code's: onDidChange fires for this window's writes and (simulated) other windows' writes. */
class FakeSecrets {
	readonly data = new Map<string, string>();
	private readonly changed = new Emitter<{ key: string }>();
	readonly onDidChange = this.changed.event;
	async get(key: string): Promise<string | undefined> {
		return this.data.get(key);
	}
	async store(key: string, value: string): Promise<void> {
		this.data.set(key, value);
		this.changed.fire({ key });
	}
	async delete(key: string): Promise<void> {
		this.data.delete(key);
		this.changed.fire({ key });
	}
}

describe('auth: ProfileStore with the emulator', function () {
	this.timeout(30_000);
	const fx = useEmulator();
	let emu: EmulatorHandle;
	let memento: FakeMemento;
	let secrets: FakeSecrets;
	let asked: TenantProfile[];
	let answer: () => Promise<ProfileCredential>;
	let context: Record<string, unknown>;
	let logs: string[];
	const stores: ProfileStore[] = [];

	function newStore(): ProfileStore {
		const log = (m: string) => logs.push(m);
		const s = new ProfileStore({
			globalState: memento as unknown as vscode.Memento,
			secrets: secrets as unknown as vscode.SecretStorage,
			log: { error: log, warn: log, info: log, debug: log, trace: log },
			askForCredential: async (p) => {
				asked.push(p);
				return answer();
			},
			setContext: (k, v) => (context[k] = v),
		});
		stores.push(s);
		return s;
	}

	function emulatorFields(): Omit<TenantProfile, 'id'> {
		return {
			name: 'Emulator', cloud: 'global', tenantId: emu.tenantId, clientId: emu.clientId, credentialKind: 'secret', apiVersion: 'v1.0',
			emulator: { authority: emu.authority, graphHost: emu.baseUrl, caCertPem: emu.caCertPem, controlUrl: emu.controlUrl },
		};
	}

	before(() => {
		emu = fx.emu;
	});
	beforeEach(() => {
		memento = new FakeMemento();
		secrets = new FakeSecrets();
		asked = [];
		answer = async () => ({ kind: 'secret', clientSecret: emu.clientSecret });
		context = {};
		logs = [];
	});
	afterEach(() => {
		for (const s of stores.splice(0)) s.dispose();
	});

	it('keeps profile fields in globalState and the secret only in SecretStorage, even when handed a stray secret field', async () => {
		const store = newStore();
		assert.equal(context['graphCalls.hasProfile'], false);
		const sneaky = { ...emulatorFields(), clientSecret: emu.clientSecret } as Omit<TenantProfile, 'id'>;
		const p = await store.add(sneaky, { kind: 'secret', clientSecret: emu.clientSecret });
		assert.equal(context['graphCalls.hasProfile'], true);
		assert.equal(store.active?.id, p.id, 'the first profile becomes active');
		assert.ok(!JSON.stringify([...memento.data]).includes(emu.clientSecret), 'no secret in globalState');
		assert.deepEqual(JSON.parse(secrets.data.get(credentialKeyOf(p.id))!), { kind: 'secret', clientSecret: emu.clientSecret });
		assert.equal(memento.get(ACTIVE_PROFILE_STATE_KEY), p.id);
		assert.ok(!logs.join('\n').includes(emu.clientSecret));

		const reopened = newStore();
		assert.deepEqual(reopened.list().map((x) => x.name), ['Emulator']);
		assert.equal(reopened.active?.id, p.id, 'the active profile survives a reload');
	});

	it('gives one stable token provider per profile that signs in with the stored secret without asking', async () => {
		const store = newStore();
		const p = await store.add(emulatorFields(), { kind: 'secret', clientSecret: emu.clientSecret });
		const provider = store.tokenProviderFor(p);
		assert.equal(store.tokenProviderFor({ id: p.id }), provider);
		assert.ok((await provider.getToken()).token);
		assert.deepEqual(asked, []);
	});

	it('a secret changed by another window is picked up at once: the cached msal client is dropped', async () => {
		const store = newStore();
		const p = await store.add(emulatorFields(), { kind: 'secret', clientSecret: emu.clientSecret });
		const provider = store.tokenProviderFor(p);
		const first = await provider.getToken();
		// Another window stores a wrong secret for the same profile.
		await secrets.store(credentialKeyOf(p.id), JSON.stringify({ kind: 'secret', clientSecret: 'Wr0ng~from-another-window' }));
		await assert.rejects(provider.getToken(), (e: SignInError) => e.code === 'AADSTS7000215');
		await secrets.store(credentialKeyOf(p.id), JSON.stringify({ kind: 'secret', clientSecret: emu.clientSecret }));
		const again = await provider.getToken();
		assert.notEqual(again.token, first.token, 'a new msal client, so a new token');
	});

	it('a profile edit drops the msal client: the next token uses the new tenant', async () => {
		const store = newStore();
		const p = await store.add(emulatorFields(), { kind: 'secret', clientSecret: emu.clientSecret });
		const provider = store.tokenProviderFor(p);
		await provider.getToken();
		const changes: string[] = [];
		store.onDidChange((c) => changes.push(`${c.kind}:${c.profile.name}`));
		const other = '0badc0de-0000-4000-8000-000000000000';
		await store.update({ ...p, tenantId: other, emulator: { ...p.emulator!, authority: `${emu.baseUrl}/${other}` } });
		await assert.rejects(provider.getToken(), (e: SignInError) => e.code === 'AADSTS90002');
		assert.deepEqual(changes, ['updated:Emulator']);
	});

	it('a missing secret is asked for once, stored, and used; it never comes from anywhere else', async () => {
		const store = newStore();
		const p = await store.add(emulatorFields(), undefined);
		assert.equal(await store.getCredential(p.id), undefined);
		const provider = store.tokenProviderFor(p);
		assert.ok((await provider.getToken()).token);
		assert.deepEqual(asked.map((a) => a.id), [p.id]);
		assert.deepEqual(await store.getCredential(p.id), { kind: 'secret', clientSecret: emu.clientSecret });
		await provider.getToken({ forceRefresh: true });
		assert.equal(asked.length, 1, 'asked once');
		assert.ok(logs.some((l) => /has no client secret in SecretStorage: asking for it/.test(l)));

		// A credential that does not fit the profile's kind (or cannot be parsed) counts as missing too.
		await secrets.store(credentialKeyOf(p.id), 'not json');
		await provider.getToken({ forceRefresh: true });
		assert.equal(asked.length, 2);
	});

	it('removing a profile deletes its secret, moves the active profile on, and its provider refuses', async () => {
		const store = newStore();
		const a = await store.add(emulatorFields(), { kind: 'secret', clientSecret: emu.clientSecret });
		const b = await store.add({ ...emulatorFields(), name: 'Second' }, { kind: 'secret', clientSecret: emu.clientSecret });
		assert.equal(store.active?.id, a.id, 'adding does not switch unless asked');
		const actives: (string | undefined)[] = [];
		store.onDidChangeActive((p) => actives.push(p?.name));
		const provider = store.tokenProviderFor(a);
		await store.remove(a.id);
		assert.equal(secrets.data.has(credentialKeyOf(a.id)), false);
		assert.deepEqual(actives, ['Second']);
		await assert.rejects(provider.getToken(), /removed/);
		await store.remove(b.id);
		assert.deepEqual(actives, ['Second', undefined]);
		assert.equal(context['graphCalls.hasProfile'], false);
	});

	it('drops damaged globalState entries instead of failing to activate', () => {
		void memento.update(PROFILES_STATE_KEY, [{ id: 'ok', name: 'Fine', tenantId: 't', clientId: 'c', cloud: 'global', credentialKind: 'secret', apiVersion: 'v1.0' }, { name: 'no id' }, 42, null]);
		void memento.update(ACTIVE_PROFILE_STATE_KEY, 'gone');
		const store = newStore();
		assert.deepEqual(store.list().map((p) => p.id), ['ok']);
		assert.equal(store.active, undefined, 'an active id that no longer exists is ignored');
	});

	it('picks up profiles another window added, edited and removed when asked (on focus), with the same events', async () => {
		const here = newStore();
		const there = newStore(); // another window: same globalState and SecretStorage
		const mine = await here.add({ ...emulatorFields(), name: 'Mine' }, { kind: 'secret', clientSecret: emu.clientSecret });
		assert.equal(await there.refreshFromStorage(), true);
		assert.deepEqual(there.list().map((p) => p.name), ['Mine']);
		assert.equal(there.active?.id, mine.id, 'a window without a profile takes the first one');

		const events: string[] = [];
		here.onDidChange((c) => events.push(`${c.kind} ${c.profile.name}`));
		const actives: (string | undefined)[] = [];
		here.onDidChangeActive((p) => actives.push(p?.name));
		const provider = here.tokenProviderFor(mine);
		const before = await provider.getToken();

		const theirs = await there.add({ ...emulatorFields(), name: 'Theirs' }, undefined);
		await there.update({ ...mine, name: 'Mine, renamed elsewhere' });
		assert.equal(await here.refreshFromStorage(), true);
		assert.deepEqual(here.list().map((p) => p.name), ['Mine, renamed elsewhere', 'Theirs']);
		assert.deepEqual(events, ['updated Mine, renamed elsewhere', 'added Theirs']);
		assert.deepEqual(actives, ['Mine, renamed elsewhere'], 'the active profile changed, so listeners hear of it');
		assert.notEqual((await provider.getToken()).token, before.token, 'the edited profile gets a new msal client');
		assert.equal(await here.refreshFromStorage(), false, 'nothing new: no events');
		assert.equal(events.length, 2);

		await there.remove(mine.id);
		assert.equal(await here.refreshFromStorage(), true);
		assert.deepEqual(events.slice(2), ['credential Mine, renamed elsewhere', 'removed Mine, renamed elsewhere'], 'the secret\'s deletion is heard at once, the removal on refresh');
		assert.equal(here.active?.id, theirs.id, 'the active profile was removed elsewhere: the next one takes over');
		await assert.rejects(provider.getToken(), /The profile was removed/);
		assert.ok(logs.some((l) => l.includes('Profiles changed in another window')));
	});

	it('serialises concurrent writes: parallel adds all persist', async () => {
		const store = newStore();
		await Promise.all([1, 2, 3, 4, 5].map((i) => store.add({ ...emulatorFields(), name: `P${i}` }, undefined)));
		assert.deepEqual(newStore().list().map((p) => p.name).sort(), ['P1', 'P2', 'P3', 'P4', 'P5']);
	});
});
