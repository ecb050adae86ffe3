// The setup doctor inside a real extension host, against the bundled emulator: the command runs every check for the
// active (Emulator) profile, reads the Azure Bot through the emulator's Resource Manager stand-in without asking,
// and a misconfiguration played through the control API shows as the failed rows the Setup Doctor view lists.
import * as assert from 'node:assert/strict';
import type { GraphCallsApi } from '../../src/api';
import type { DoctorReport } from '../../src/core/doctor/doctorModel';
import { assertSucceeded, getApi, restoreUserInput, runCommand, scriptInput, stopEmulator, useEmulatorProfile } from './support/api';
import { closeControlAgents, controlOk } from './support/emulatorControl';

describe('setup doctor', function () {
	this.timeout(60000);
	let api: GraphCallsApi;

	before(async () => {
		api = await getApi();
		await useEmulatorProfile(api);
	});

	after(async () => {
		await restoreUserInput();
		if (api.emulator.running) await controlOk(api, 'POST', '/reset', {});
		await stopEmulator(api);
		await closeControlAgents();
	});

	const states = (r: DoctorReport) => Object.fromEntries(r.results.map((x) => [x.id, x.state]));

	it('runs every check for the Emulator profile; the Azure Bot is read from the stand-in without a prompt', async () => {
		// No answers scripted: any prompt (the Azure consent question) fails the test.
		const input = await scriptInput();
		const report = assertSucceeded(await runCommand<DoctorReport>('graphCalls.doctor.run'));
		input.assertAllUsed();
		assert.ok(report);
		const s = states(report);
		assert.equal(report.results.length, 10);
		for (const id of ['token', 'consent', 'roles', 'tenant', 'callingService', 'clock'] as const) assert.equal(s[id], 'pass', `${id}: ${JSON.stringify(report.results.find((r) => r.id === id))}`);
		assert.notEqual(s.botChannel, 'cannotCheck', JSON.stringify(report.results.find((r) => r.id === 'botChannel')));
		// The emulator's receiver is loopback http: fine for the emulator, never for Graph.
		assert.equal(s.callbackPublic, 'fail');
	});

	it('shows calling switched off on the Teams channel as failed Azure Bot and calling service checks', async () => {
		const clientId = api.profiles.active?.clientId;
		assert.ok(clientId);
		await controlOk(api, 'PATCH', `/apps/${clientId}/setup`, { callingEnabled: false });
		const run = await runCommand<DoctorReport>('graphCalls.doctor.run');
		const report = assertSucceeded(run);
		assert.ok(report);
		const s = states(report);
		assert.equal(s.botChannel, 'fail');
		assert.equal(s.callingService, 'fail');
		assert.match(report.results.find((r) => r.id === 'botChannel')?.detail ?? '', /Calling is not enabled/);
		assert.match(run.message, /check\(s\) failed for ".*": .*Azure Bot Teams channel/);
		await controlOk(api, 'PATCH', `/apps/${clientId}/setup`, { callingEnabled: true });
	});
});
