import * as assert from 'node:assert/strict';
import { request, type Agent } from 'undici';
import { ALL_PERMISSIONS, CREATE_CALL_PERMISSIONS, ENDPOINTS, allRoutes, endpointFor, type Permission } from '../../src/core/schema/endpoints';
import { matchEndpoint } from '../../src/core/schema/endpointMatch';
import { graphRouter } from '../../src/core/emulator/graphApi';
import type { EmulatorHandle } from '../../src/core/emulator';
import { useEmulator } from './support/emulatorFixture';

/**
 * The emulator's permission checks read the endpoint table: every route it serves has a row, and every
 * permission a row names is one it enforces (the request passes with that role alone, fails without any).
 */
describe('permission table against the emulator', () => {
	const fx = useEmulator({ token: true });
	let emu: EmulatorHandle;
	let agent: Agent;
	let token: string;
	before(() => {
		({ emu, agent, token } = fx);
	});

	it('every route the emulator serves has a row, and every row route is served', () => {
		const router = graphRouter();
		for (const route of allRoutes()) {
			const concrete = `/${route.version}${route.path.replace(/\{(\w+)\}/g, 'x-$1')}`;
			const m = router.match(route.method, concrete);
			assert.ok(m && 'value' in m, `emulator does not serve ${route.method} ${concrete}`);
			assert.equal(m.value, route.row.action, concrete);
			assert.equal(matchEndpoint(route.method, concrete)?.row.action, route.row.action, concrete);
		}
		// The other direction: probe the emulator's router with each table path in both versions and both roots;
		// whatever it serves must map to the same row.
		for (const row of ENDPOINTS) {
			for (const version of ['v1.0', 'beta'] as const) {
				for (const root of ['/communications/calls', '/app/calls']) {
					const concrete = `/${version}${row.path.replace('/communications/calls', root).replace(/\{(\w+)\}/g, 'x-$1')}`;
					const m = router.match(row.method, concrete);
					if (m && 'value' in m) assert.equal(matchEndpoint(row.method, concrete)?.row.action, m.value, `${row.method} ${concrete} served without a matching row`);
				}
			}
		}
	});

	async function send(method: string, path: string, json: unknown = {}): Promise<number> {
		const res = await request(`${emu.baseUrl}${path}`, {
			method: method as 'GET',
			dispatcher: agent,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(json),
		});
		await res.body.dump();
		return res.statusCode;
	}

	it('every permission a row names lets its request through, and the request fails without one', async () => {
		let checked = 0;
		for (const row of ENDPOINTS.filter((r) => r.action !== 'call.create')) {
			const version = row.versions.includes('v1.0') ? 'v1.0' : 'beta';
			const path = `/${version}${row.path.replace(/\{(\w+)\}/g, 'unknown-$1')}`;
			for (const p of [...row.leastPrivileged, ...row.higherPrivileged]) {
				emu.setRoles([p]);
				const status = await send(row.method, path);
				assert.notEqual(status, 403, `${row.action} with only ${p}`);
				checked++;
			}
			const others = row.noRequestCheck ? [] : ALL_PERMISSIONS.filter((p) => !row.leastPrivileged.includes(p) && !row.higherPrivileged.includes(p));
			emu.setRoles(others as Permission[]);
			assert.equal(await send(row.method, path), 403, `${row.action} with ${others.join(', ') || 'no roles'}`);
		}
		assert.ok(checked > ENDPOINTS.length);
	});

	it('create call: the table\'s permission per kind of call is the one the emulator enforces', async () => {
		const user = (id: string) => ({ identity: { user: { id } } });
		const bodies = {
			peerToPeer: { targets: [user('a')] },
			pstn: { targets: [{ identity: { phone: { id: '+12345678901' } } }] },
			group: { targets: [user('a'), user('b')] },
			joinMeeting: { chatInfo: { threadId: '19:meeting_x@thread.v2', messageId: '0' } },
		} as const;
		for (const kind of Object.keys(bodies) as (keyof typeof bodies)[]) {
			const needs = CREATE_CALL_PERMISSIONS[kind];
			for (const p of needs) {
				assert.ok(endpointFor('call.create').leastPrivileged.includes(p), `${p} is listed on the create row`);
				emu.setRoles([p]);
				assert.notEqual(await send('POST', '/v1.0/communications/calls', bodies[kind]), 403, `${kind} with ${p}`);
			}
			emu.setRoles(ALL_PERMISSIONS.filter((p) => !needs.includes(p)) as Permission[]);
			assert.equal(await send('POST', '/v1.0/communications/calls', bodies[kind]), 403, `${kind} without ${needs.join(' or ')}`);
		}
	});
});
