import * as assert from 'node:assert/strict';
import { diagnosePermissions, fixStepsFor, renderDiagnosisMarkdown } from '../../src/core/auth/permissionDiagnosis';
import { ENDPOINTS, isAllowed } from '../../src/core/schema/endpoints';

describe('auth: permission diagnosis', () => {
	it('agrees with the endpoint table for every action and role set', () => {
		const roleSets = [[], ['Calls.Initiate.All'], ['Calls.AccessMedia.All'], ['Calls.JoinGroupCall.All', 'Calls.InitiateGroupCall.All'], ['User.Read.All']];
		for (const roles of roleSets) {
			for (const a of diagnosePermissions(roles, 'beta').actions) {
				assert.equal(a.allowed, isAllowed(a.action, roles), `${a.action} with ${roles.join(',')}`);
			}
		}
	});

	it('reads roles spelled the way the docs spell them', () => {
		const d = diagnosePermissions(['Calls.JoinGroupCalls.All'], 'v1.0');
		assert.deepEqual(d.callingRoles, ['Calls.JoinGroupCall.All']);
		assert.equal(d.actions.find((a) => a.action === 'call.answer')?.allowed, true);
		assert.ok(!d.suggestions.some((s) => s.permission === 'Calls.JoinGroupCall.All'));
	});

	it('with no calls permission nothing is allowed; one unrelated role changes nothing', () => {
		assert.ok(diagnosePermissions(['User.Read.All'], 'beta').actions.every((a) => !a.allowed));
	});

	it('filters by API version: beta-only actions are not listed for v1.0', () => {
		const v1 = diagnosePermissions([], 'v1.0').actions.map((a) => a.action);
		const beta = diagnosePermissions([], 'beta').actions.map((a) => a.action);
		assert.equal(beta.length, ENDPOINTS.length);
		assert.ok(!v1.includes('participant.muteAll'));
		assert.ok(beta.includes('participant.muteAll'));
	});

	it('names what grants an allowed action and what would fix a missing one', () => {
		const d = diagnosePermissions(['Calls.Initiate.All'], 'v1.0');
		const redirect = d.actions.find((a) => a.action === 'call.redirect');
		assert.deepEqual(redirect?.grantedBy, ['Calls.Initiate.All']);
		const invite = d.actions.find((a) => a.action === 'participant.invite');
		assert.equal(invite?.allowed, false);
		assert.deepEqual(invite?.anyOf, ['Calls.InitiateGroupCall.All']);
		assert.deepEqual(d.callingRoles, ['Calls.Initiate.All']);
	});

	it('suggests the missing permission that unlocks the most actions first, never one already held', () => {
		const d = diagnosePermissions([], 'v1.0');
		assert.ok(d.suggestions.length > 0);
		for (let i = 1; i < d.suggestions.length; i++) assert.ok(d.suggestions[i - 1].unlocks.length >= d.suggestions[i].unlocks.length);
		const held = diagnosePermissions(['Calls.AccessMedia.All'], 'v1.0');
		assert.ok(!held.suggestions.some((s) => s.permission === 'Calls.AccessMedia.All'));
	});

	it('fix steps walk through the App Registration to admin consent', () => {
		const steps = fixStepsFor('Calls.Initiate.All', 'app-1').join('\n');
		for (const s of ['Entra admin center', 'App registrations', 'app-1', 'API permissions', 'Add a permission', 'Microsoft Graph', 'Application permissions', 'Calls.Initiate.All', 'Grant admin consent']) {
			assert.ok(steps.includes(s), s);
		}
	});

	it('renders a report with a row per action and fix steps for what is missing', () => {
		const md = renderDiagnosisMarkdown('Contoso', diagnosePermissions(['Calls.Initiate.All'], 'v1.0'), 'app-1');
		assert.match(md, /# Permissions: Contoso/);
		assert.match(md, /\| `call\.redirect` \| POST \/communications\/calls\/\{callId\}\/redirect \| yes \| Calls\.Initiate\.All \|/);
		assert.match(md, /\| `participant\.invite` \| .* \| \*\*no\*\* \| missing: Calls\.InitiateGroupCall\.All \|/);
		assert.match(md, /### Calls\.InitiateGroupCall\.All/);
		assert.match(md, /Grant admin consent/);
		assert.match(md, /\| group call \| \*\*no\*\* \| Calls\.InitiateGroupCall\.All \|/);
		assert.match(md, /\| 1:1 call to a user \| yes \|/);
		const all = renderDiagnosisMarkdown('All', diagnosePermissions(['Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All', 'Calls.AccessMedia.All'], 'beta'));
		assert.doesNotMatch(all, /Missing permissions/);
		assert.doesNotMatch(all, /\*\*no\*\*/);
	});
});
