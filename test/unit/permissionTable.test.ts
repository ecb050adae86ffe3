import * as assert from 'node:assert/strict';
import {
	ALL_PERMISSIONS,
	ENDPOINTS,
	allRoutes,
	appCallsAlias,
	docUrlFor,
	endpointFor,
	isAllowed,
	normalizePermission,
	permissionsFor,
} from '../../src/core/schema/endpoints';
import { matchEndpoint } from '../../src/core/schema/endpointMatch';
import { buildReferenceModel } from '../../src/core/permissions/referenceModel';

const PLACEHOLDERS = new Set(['{callId}', '{participantId}', '{operationId}', '{sessionId}', '{groupId}']);

describe('permission table (src/core/graph/endpoints.ts)', () => {
	it('has one row per action and per method + path', () => {
		assert.equal(new Set(ENDPOINTS.map((r) => r.action)).size, ENDPOINTS.length);
		assert.equal(new Set(ENDPOINTS.map((r) => `${r.method} ${r.path}`)).size, ENDPOINTS.length);
	});

	for (const r of ENDPOINTS) {
		it(`row ${r.action} is well formed`, () => {
			assert.match(r.path, /^\/communications\/calls(\/|$)/);
			for (const seg of r.path.split('/').filter((s) => s.startsWith('{'))) assert.ok(PLACEHOLDERS.has(seg), `unknown placeholder ${seg}`);
			assert.ok(r.versions.length > 0);
			assert.equal(r.delegated, false);
			assert.ok(r.leastPrivileged.length > 0, 'needs a least-privileged permission');
			for (const p of [...r.leastPrivileged, ...r.higherPrivileged]) assert.ok(ALL_PERMISSIONS.includes(p), p);
			assert.deepEqual(r.leastPrivileged.filter((p) => r.higherPrivileged.includes(p)), [], 'a permission is both least and higher privileged');
			assert.equal(!!r.cmdlets.v1, r.versions.includes('v1.0'), 'a v1.0 cmdlet exactly when the row has v1.0');
			assert.equal(!!r.cmdlets.beta, r.versions.includes('beta'), 'a beta cmdlet exactly when the row has beta');
			if (r.cmdlets.v1) assert.match(r.cmdlets.v1, /^[A-Z][a-z]+-Mg(?!Beta)[A-Z][A-Za-z]+$/);
			if (r.cmdlets.beta) assert.match(r.cmdlets.beta, /^[A-Z][a-z]+-MgBeta[A-Z][A-Za-z]+$/);
			const docVersion = r.versions.includes('v1.0') ? 'v1.0' : 'beta';
			assert.match(r.docPath, new RegExp(`^api-reference/${docVersion.replace('.', '\\.')}/api/[a-z0-9-]+\\.md$`));
			assert.ok(r.summary.length > 10 && r.summary.endsWith('.'), 'summary is a sentence');
			assert.match(docUrlFor(r), /^https:\/\/learn\.microsoft\.com\/graph\/api\/[a-z0-9-]+\?view=graph-rest-(1\.0|beta)$/);
		});
	}

	it('matches the documented permission tables the docs copy had', () => {
		// Generated tables (api-reference/v1.0/includes/permissions/*-permissions.md) and pages read while building the table.
		const expect = (action: Parameters<typeof endpointFor>[0], least: string[], higher: string[]) => {
			const r = endpointFor(action);
			assert.deepEqual([...r.leastPrivileged], least, `${action} least`);
			assert.deepEqual([...r.higherPrivileged], higher, `${action} higher`);
		};
		expect('call.redirect', ['Calls.Initiate.All'], []);
		expect('call.transfer', ['Calls.Initiate.All'], []);
		expect('call.recordResponse', ['Calls.AccessMedia.All'], []);
		expect('call.subscribeToTone', ['Calls.AccessMedia.All'], []);
		expect('call.changeScreenSharingRole', ['Calls.AccessMedia.All'], []);
		expect('call.mute', ['Calls.Initiate.All'], ['Calls.AccessMedia.All']);
		expect('call.unmute', ['Calls.Initiate.All'], ['Calls.AccessMedia.All']);
		expect('call.sendDtmfTones', ['Calls.Initiate.All'], ['Calls.AccessMedia.All']);
		expect('call.updateRecordingStatus', ['Calls.AccessMedia.All'], ['Calls.JoinGroupCall.All']);
		expect('participant.invite', ['Calls.InitiateGroupCall.All'], []);
		expect('audioRoutingGroup.delete', ['Calls.JoinGroupCall.All'], ['Calls.InitiateGroupCall.All']);
		expect('participant.muteAll', ['Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCall.All'], []);
		assert.deepEqual(endpointFor('participant.muteAll').versions, ['beta']);
	});

	it('names the PowerShell cmdlets the docs examples use', () => {
		assert.equal(endpointFor('call.cancelMediaProcessing').cmdlets.v1, 'Stop-MgCommunicationCallMediaProcessing');
		assert.equal(endpointFor('call.changeScreenSharingRole').cmdlets.v1, 'Rename-MgCommunicationCallScreenSharingRole');
		assert.equal(endpointFor('call.sendDtmfTones').cmdlets.v1, 'Send-MgCommunicationCallDtmfTone');
		assert.equal(endpointFor('call.subscribeToTone').cmdlets.v1, 'Invoke-MgSubscribeCommunicationCallToTone');
		assert.equal(endpointFor('call.recordResponse').cmdlets.v1, 'Invoke-MgRecordCommunicationCallResponse');
		assert.equal(endpointFor('call.answer').cmdlets.v1, 'Invoke-MgAnswerCommunicationCall');
		assert.equal(endpointFor('call.reject').cmdlets.v1, 'Invoke-MgRejectCommunicationCall');
		assert.equal(endpointFor('call.transfer').cmdlets.v1, 'Move-MgCommunicationCall');
		assert.equal(endpointFor('call.addLargeGalleryView').cmdlets.v1, 'Add-MgCommunicationCallLargeGalleryView');
		assert.equal(endpointFor('call.updateRecordingStatus').cmdlets.v1, 'Update-MgCommunicationCallRecordingStatus');
		assert.equal(endpointFor('participant.mute').cmdlets.v1, 'Invoke-MgMuteCommunicationCallParticipant');
		assert.equal(endpointFor('participant.startHoldMusic').cmdlets.v1, 'Start-MgCommunicationCallParticipantHoldMusic');
		assert.equal(endpointFor('participant.startHoldMusic').cmdlets.beta, 'Start-MgBetaCommunicationCallParticipantHoldMusic');
		assert.equal(endpointFor('participant.muteAll').cmdlets.beta, 'Invoke-MgBetaMuteAllCommunicationCallParticipant');
		assert.equal(endpointFor('participant.muteAll').cmdlets.v1, undefined);
	});

	it('covers every method and cmdlet of Graph\'s Calls.Initiate.All page (the product\'s seed)', () => {
		// /work/shared/seed-calls-initiate-all.txt, "Graph Methods" and "Commands" for v1.0 and beta ({id} → our placeholders).
		const v1 = ['GET /communications/calls/{id}', 'GET /communications/calls/{id}/contentSharingSessions', 'GET /communications/calls/{id}/contentSharingSessions/{id}', 'GET /communications/calls/{id}/participants', 'POST /communications/calls', 'POST /communications/calls/{id}/cancelMediaProcessing', 'POST /communications/calls/{id}/keepAlive', 'POST /communications/calls/{id}/mute', 'POST /communications/calls/{id}/playPrompt', 'POST /communications/calls/{id}/redirect', 'POST /communications/calls/{id}/sendDtmfTones', 'POST /communications/calls/{id}/transfer', 'POST /communications/calls/{id}/unmute', 'DELETE /communications/calls/{id}'];
		const betaApp = ['GET /app/calls/{id}', 'GET /app/calls/{id}/participants', 'POST /app/calls', 'POST /app/calls/{id}/cancelMediaProcessing', 'POST /app/calls/{id}/mute', 'POST /app/calls/{id}/playPrompt', 'POST /app/calls/{id}/redirect', 'POST /app/calls/{id}/sendDtmfTones', 'POST /app/calls/{id}/transfer', 'POST /app/calls/{id}/unmute', 'DELETE /app/calls/{id}'];
		const model = buildReferenceModel({ query: 'perm:Calls.Initiate.All' });
		assert.deepEqual(model.sections.map((s) => s.permission), ['Calls.Initiate.All']);
		const section = model.sections[0];
		const norm = (m: { method: string; path: string }) => `${m.method} ${m.path.replace(/\{\w+\}/g, '{id}')}`;
		const shownV1 = new Set(section.methods['v1.0'].map(norm));
		const shownBeta = new Set(section.methods.beta.map(norm));
		for (const m of v1) assert.ok(shownV1.has(m), `v1.0 ${m} missing`);
		for (const m of v1) assert.ok(shownBeta.has(m), `beta ${m} missing`);
		for (const m of betaApp) assert.ok(shownBeta.has(m), `beta ${m} missing`);
		const cmdlets = ['Get-MgCommunicationCall', 'Get-MgCommunicationCallContentSharingSession', 'Get-MgCommunicationCallParticipant', 'Invoke-MgKeepCommunicationCallAlive', 'Invoke-MgMuteCommunicationCall', 'Invoke-MgPlayCommunicationCallPrompt', 'Invoke-MgRedirectCommunicationCall', 'Invoke-MgUnmuteCommunicationCall', 'New-MgCommunicationCall', 'Remove-MgCommunicationCall'];
		for (const c of cmdlets) {
			assert.ok(section.cmdlets['v1.0'].includes(c), `v1.0 cmdlet ${c}`);
			assert.ok(section.cmdlets.beta.includes(c.replace('-Mg', '-MgBeta')), `beta cmdlet ${c}`);
		}
	});

	it('lists the beta /app/calls aliases explicitly and only for beta', () => {
		const routes = allRoutes();
		const app = routes.filter((r) => r.viaAppAlias);
		assert.ok(app.length > 20);
		assert.ok(app.every((r) => r.version === 'beta' && r.path === appCallsAlias(r.row.path) && r.path.startsWith('/app/calls')));
		assert.ok(!routes.some((r) => r.version === 'v1.0' && r.path.startsWith('/app/')));
		assert.equal(new Set(routes.map((r) => `${r.version} ${r.method} ${r.path}`)).size, routes.length);
	});

	it('matches concrete requests to rows, literal segments before placeholders', () => {
		assert.equal(matchEndpoint('POST', 'https://graph.microsoft.com/v1.0/communications/calls/abc/participants/invite')?.row.action, 'participant.invite');
		assert.equal(matchEndpoint('GET', '/v1.0/communications/calls/abc/participants/invite')?.row.action, 'participant.get');
		const m = matchEndpoint('DELETE', '/beta/app/calls/ABC123/participants/p%201?x=1');
		assert.equal(m?.row.action, 'participant.delete');
		assert.equal(m?.version, 'beta');
		assert.equal(m?.viaAppAlias, true);
		assert.deepEqual(m?.params, { callId: 'ABC123', participantId: 'p 1' });
		assert.equal(matchEndpoint('POST', '/v1.0/app/calls'), undefined, 'v1.0 has no /app/calls');
		assert.equal(matchEndpoint('POST', '/v1.0/communications/calls/x/participants/muteAll'), undefined, 'muteAll is beta only');
		assert.equal(matchEndpoint('POST', '/communications/calls/x/participants/muteAll', 'beta')?.row.action, 'participant.muteAll');
		assert.equal(matchEndpoint('GET', '/me'), undefined);
	});

	it('allows a request when a role is least or higher privileged; rows checked at creation accept any calls role', () => {
		assert.equal(isAllowed('call.redirect', ['Calls.Initiate.All']), true);
		assert.equal(isAllowed('call.redirect', ['Calls.AccessMedia.All', 'Calls.JoinGroupCall.All']), false);
		assert.equal(isAllowed('call.mute', ['Calls.AccessMedia.All']), true, 'higher privileged also allows');
		assert.equal(isAllowed('call.keepAlive', ['Calls.JoinGroupCallAsGuest.All']), true, 'keepAlive: checked when the call was created');
		assert.equal(isAllowed('call.keepAlive', ['User.Read.All']), false);
		assert.equal(isAllowed('participant.invite', ['calls.initiategroupcalls.all']), true, 'docs spelling and case are normalised');
		for (const r of ENDPOINTS) assert.equal(isAllowed(r.action, ALL_PERMISSIONS), true, r.action);
		for (const r of ENDPOINTS) assert.equal(isAllowed(r.action, []), false, r.action);
		assert.deepEqual(permissionsFor('call.recordResponse'), ['Calls.AccessMedia.All']);
	});

	it('normalises the permission spellings the docs use', () => {
		assert.equal(normalizePermission('Calls.JoinGroupCalls.All'), 'Calls.JoinGroupCall.All');
		assert.equal(normalizePermission('Calls.JoinGroupCallsasGuest.All'), 'Calls.JoinGroupCallAsGuest.All');
		assert.equal(normalizePermission('Calls.InitiateGroupCalls.All'), 'Calls.InitiateGroupCall.All');
		assert.equal(normalizePermission('Calls.JoinGroupCalls.Chat'), undefined, 'resource-specific consent is not an application role');
	});
});
