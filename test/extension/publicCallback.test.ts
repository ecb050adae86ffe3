// Start Public Callback inside a real extension host, with the stand-in devtunnel and ngrok first on PATH (the
// extension spawns from this process's environment) in front of the test relay: the active profile's callback URL
// becomes the tunnel's and comes back on stop. The machine has no internet, so the automatic reachability test
// after start ends at DNS (the stand-in names resolve only inside the test world); the integration tests drive the
// probe through the world's resolver.
import * as assert from 'node:assert/strict';
import type { GraphCallsApi } from '../../src/api';
import type { TenantProfile } from '../../src/core/auth/tenantProfile';
import { TunnelWorld } from '../integration/support/tunnelWorld';
import { assertSucceeded, describeRun, getApi, restoreUserInput, runCommand, scriptInput } from './support/api';
import { waitFor } from './support/waitFor';

const OLD_URL = 'https://old-tunnel.example.com/api/calling';

describe('public callback (extension host, stand-in devtunnel)', function () {
	this.timeout(90_000);
	let api: GraphCallsApi;
	let world: TunnelWorld;
	let profile: TenantProfile;
	let activeBefore: string | undefined;
	const envBefore = { PATH: process.env.PATH, GRAPH_CALLS_TUNNEL_WORLD: process.env.GRAPH_CALLS_TUNNEL_WORLD };

	before(async () => {
		api = await getApi();
		activeBefore = api.profiles.active?.id;
		world = await TunnelWorld.create();
		const env = world.env();
		process.env.PATH = env.PATH;
		process.env.GRAPH_CALLS_TUNNEL_WORLD = env.GRAPH_CALLS_TUNNEL_WORLD;
		await scriptInput(
			{ kind: 'inputBox', value: 'Tunnel tenant (ext test)' },
			{ kind: 'quickPick', pick: /^Global/ },
			{ kind: 'inputBox', value: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
			{ kind: 'inputBox', value: '11111111-2222-3333-4444-555555555555' },
			{ kind: 'quickPick', pick: 'Client secret' },
			{ kind: 'inputBox', value: 'not-a-real-secret-for-the-tunnel-test' },
			{ kind: 'quickPick', pick: 'v1.0' },
			{ kind: 'inputBox', value: OLD_URL },
		);
		profile = assertSucceeded(await runCommand<TenantProfile>('graphCalls.profile.add'))!;
		assertSucceeded(await runCommand('graphCalls.profile.switch', profile.id));
		assert.equal(api.profiles.active?.id, profile.id);
	});

	after(async () => {
		await runCommand('graphCalls.tunnel.stop');
		process.env.PATH = envBefore.PATH;
		if (envBefore.GRAPH_CALLS_TUNNEL_WORLD === undefined) delete process.env.GRAPH_CALLS_TUNNEL_WORLD;
		else process.env.GRAPH_CALLS_TUNNEL_WORLD = envBefore.GRAPH_CALLS_TUNNEL_WORLD;
		if (activeBefore) await runCommand('graphCalls.profile.switch', activeBefore);
		await scriptInput({ kind: 'warning', choose: 'Remove' });
		await runCommand('graphCalls.profile.remove', profile.id);
		await restoreUserInput();
		await world.dispose();
	});

	it('puts the tunnel URL in the active profile while it runs, tests it, and restores the old URL on stop', async () => {
		const input = await scriptInput({ kind: 'quickPick', pick: /dev tunnels/ });
		const run = await runCommand('graphCalls.tunnel.start');
		input.assertAllUsed();
		const url = api.profiles.active?.callbackUrl ?? '';
		assert.match(url, /^https:\/\/[a-z0-9]{8}-\d+\.usw2\.devtunnels\.ms\/api\/calling$/, describeRun(run));
		assert.equal(api.profiles.list().find((p) => p.id === profile.id)?.callbackUrl, url, 'stored with the profile');
		assert.deepEqual(world.hostedNames, [new URL(url).hostname], 'the stand-in hosts the name the profile now has');
		assert.equal(new URL(url).port, '', 'the standard-port URL, not the one with the local port');
		assert.match(run.message, /Callback not reachable, stopped at (DNS|no answer in time)/, 'the self-test ran after start and named the stage');

		assertSucceeded(await runCommand('graphCalls.tunnel.stop'));
		assert.equal(api.profiles.active?.callbackUrl, OLD_URL, 'the old callback URL is back');
		await waitFor('the stand-in to leave the relay', () => world.hostedNames.length === 0, 10_000);
	});
});
