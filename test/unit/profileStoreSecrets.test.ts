// Where ProfileStore keeps credentials: in SecretStorage, exactly as entered, and nowhere in globalState; replaced on
// edit, deleted with the profile or on "forget". The extension-host tests prove the same by behaviour (a stored
// secret signs in without a prompt, a forgotten one is asked for); the exact entries of a tenant profile, which only
// Entra ID could check, are checked here on the store with in-memory Memento and SecretStorage.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { Emitter } from '../../src/core/event';
import { ProfileStore } from '../../src/vscode/profiles/profileStore';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';

const root = path.resolve(__dirname, '../../..');
const SECRET = 'Tst8Q~profile-secret-that-must-stay-in-secret-storage';
const NEW_SECRET = 'Tst8Q~replacement-secret-also-only-in-secret-storage';

class MemoryMemento implements vscode.Memento {
	private readonly values = new Map<string, unknown>();
	keys(): readonly string[] {
		return [...this.values.keys()];
	}
	get<T>(key: string, defaultValue?: T): T | undefined {
		return (this.values.has(key) ? this.values.get(key) : defaultValue) as T | undefined;
	}
	async update(key: string, value: unknown): Promise<void> {
		if (value === undefined) this.values.delete(key);
		else this.values.set(key, JSON.parse(JSON.stringify(value)));
	}
	snapshot(): string {
		return JSON.stringify(Object.fromEntries(this.values));
	}
}

class MemorySecrets implements vscode.SecretStorage {
	readonly values = new Map<string, string>();
	private readonly changed = new Emitter<vscode.SecretStorageChangeEvent>();
	readonly onDidChange = this.changed.event as unknown as vscode.Event<vscode.SecretStorageChangeEvent>;
	async keys(): Promise<string[]> {
		return [...this.values.keys()];
	}
	async get(key: string): Promise<string | undefined> {
		return this.values.get(key);
	}
	async store(key: string, value: string): Promise<void> {
		this.values.set(key, value);
		this.changed.fire({ key });
	}
	async delete(key: string): Promise<void> {
		this.values.delete(key);
		this.changed.fire({ key });
	}
}

const fields = (name: string): Omit<TenantProfile, 'id'> => ({
	name, cloud: 'global', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '11111111-2222-3333-4444-555555555555', credentialKind: 'secret', apiVersion: 'v1.0',
});

describe('ProfileStore: credentials live in SecretStorage only', () => {
	let globalState: MemoryMemento;
	let secrets: MemorySecrets;
	let store: ProfileStore;
	let asked: string[];
	const logged: string[] = [];
	const log = { trace: (m: string) => logged.push(m), debug: (m: string) => logged.push(m), info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };

	beforeEach(() => {
		globalState = new MemoryMemento();
		secrets = new MemorySecrets();
		asked = [];
		store = new ProfileStore({
			globalState, secrets, log,
			askForCredential: async (p) => {
				asked.push(p.name);
				throw new Error('not asked in these tests');
			},
			setContext: () => undefined,
		});
	});
	afterEach(() => store.dispose());

	it('stores the secret as entered, never in globalState or the log; replaces it on edit; deletes it with the profile', async () => {
		const p = await store.add(fields('Contoso dev'), { kind: 'secret', clientSecret: SECRET }, { activate: true });
		assert.deepEqual(await store.getCredential(p.id), { kind: 'secret', clientSecret: SECRET });
		assert.ok(globalState.snapshot().includes('Contoso dev'), 'the profile itself is in globalState');
		assert.ok(!globalState.snapshot().includes(SECRET), 'the secret is not in globalState');

		await store.update({ ...p, name: 'Contoso renamed' }, { kind: 'secret', clientSecret: NEW_SECRET });
		assert.deepEqual(await store.getCredential(p.id), { kind: 'secret', clientSecret: NEW_SECRET });
		assert.ok(!globalState.snapshot().includes(NEW_SECRET));

		await store.remove(p.id);
		assert.equal(await store.getCredential(p.id), undefined, 'its secret is deleted');
		assert.equal(secrets.values.size, 0);
		assert.ok(!logged.join('\n').includes(SECRET) && !logged.join('\n').includes(NEW_SECRET), 'no secret in the log');
	});

	it('keeps a certificate credential (PEM with its key) in SecretStorage only, and deletes it with the profile', async () => {
		const pem = fs.readFileSync(path.join(root, 'test/unit/authFixtures/cert-and-key.pem'), 'utf8');
		const keyLine = fs.readFileSync(path.join(root, 'test/unit/authFixtures/key.pem'), 'utf8').split('\n')[1];
		const p = await store.add({ ...fields('Cert profile'), credentialKind: 'certificate' }, { kind: 'certificate', pem });
		assert.equal((await store.getCredential(p.id))?.kind, 'certificate');
		assert.ok(!globalState.snapshot().includes(keyLine), 'the private key is not in globalState');
		await store.remove(p.id);
		assert.equal(await store.getCredential(p.id), undefined);
	});

	it('an imported profile (added without a credential) has none; forget deletes a stored one', async () => {
		const imported = await store.add(fields('Imported'), undefined);
		assert.equal(await store.getCredential(imported.id), undefined);
		await store.storeCredential(imported.id, { kind: 'secret', clientSecret: SECRET });
		assert.deepEqual(await store.getCredential(imported.id), { kind: 'secret', clientSecret: SECRET });
		await store.forgetCredential(imported.id);
		assert.equal(await store.getCredential(imported.id), undefined);
		assert.deepEqual(asked, [], 'nothing asked: the store only asks when a token is needed');
	});
});
