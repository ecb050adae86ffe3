import * as assert from 'node:assert/strict';
import { aadstsCodeOf, explainAuthError, explainCallingCode, explainGraphErrorBody, SignInError } from '../../src/core/auth/authErrors';

const ctx = { profileName: 'Contoso', clientId: '11111111-2222-3333-4444-555555555555', tenantId: 'contoso.onmicrosoft.com', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com' };

/** Shaped like msal-node's ServerError for an Entra error response. */
function serverError(code: string, description: string) {
	const e = new Error(`invalid_client: Error(s): ${code} - Timestamp: 2026-01-01 - Description: AADSTS${code}: ${description} Trace ID: x Correlation ID: y`) as Error & { errorCode: string; errorMessage: string; errorNo: string };
	e.errorCode = 'invalid_client';
	e.errorMessage = `Error(s): ${code} - Description: AADSTS${code}: ${description}`;
	e.errorNo = code;
	return e;
}

describe('auth: error translation', () => {
	const cases: [string, RegExp, RegExp][] = [
		['7000215', /rejected the client secret of app 11111111-2222-3333-4444-555555555555/, /Value \(not its Secret ID\).*Edit Profile/],
		['7000222', /client secret has expired/, /Create a new client secret/],
		['700016', /Application 11111111-2222-3333-4444-555555555555 was not found in tenant contoso\.onmicrosoft\.com/, /multi-tenant/],
		['700027', /certificate assertion/, /Certificates & secrets/],
		['90002', /Tenant contoso\.onmicrosoft\.com was not found/, /national cloud/],
	];
	for (const [code, message, next] of cases) {
		it(`AADSTS${code} becomes a plain sentence and a next step`, () => {
			const e = explainAuthError(serverError(code, 'raw entra text'), ctx);
			assert.equal(e.code, `AADSTS${code}`);
			assert.match(e.message, message);
			assert.match(e.nextStep, next);
			assert.doesNotMatch(e.message, /raw entra text/);
		});
	}

	it('finds the code in the message, errorMessage or errorNo', () => {
		assert.equal(aadstsCodeOf(new Error('AADSTS90002: Tenant not found')), '90002');
		assert.equal(aadstsCodeOf({ errorMessage: 'x AADSTS700016: y' }), '700016');
		assert.equal(aadstsCodeOf({ errorNo: '7000222', message: 'no code here' }), '7000222');
		assert.equal(aadstsCodeOf(new Error('nothing')), undefined);
	});

	it('unknown AADSTS codes point at the error lookup page', () => {
		const e = explainAuthError(new Error('AADSTS50034: The user account does not exist'), ctx);
		assert.equal(e.code, 'AADSTS50034');
		assert.match(e.nextStep, /login\.microsoftonline\.com\/error\?code=50034/);
	});

	it('transport failures name the host and, for the emulator, say to start it', () => {
		const refused = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4000'), { code: 'ECONNREFUSED' }) });
		const e = explainAuthError(refused, { ...ctx, authority: 'https://127.0.0.1:4000/tid', isEmulator: true });
		assert.equal(e.code, 'ECONNREFUSED');
		assert.match(e.message, /Could not reach 127\.0\.0\.1:4000/);
		assert.match(e.nextStep, /Use Local Emulator/);
		const tls = explainAuthError(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), ctx);
		assert.match(tls.message, /TLS certificate of login\.microsoftonline\.com is not trusted/);
		assert.match(tls.nextStep, /proxy/);
	});

	it('anything else keeps its first line and points at the log', () => {
		const e = explainAuthError(new Error('something odd\nsecond line'), ctx);
		assert.equal(e.message, 'Sign-in failed: something odd');
		assert.match(e.nextStep, /Graph Calls" log/);
	});

	it('calling errors 7503, 7504, 7505 from a code or a Graph error body', () => {
		assert.match(explainCallingCode(7503)?.nextStep ?? '', /Azure Bot.*Teams channel/);
		assert.match(explainCallingCode('7504')?.nextStep ?? '', /Check Permissions/);
		assert.match(explainCallingCode('7505', { tenantId: 't1' })?.nextStep ?? '', /tenantId match the token's tenant \(t1\)/);
		assert.equal(explainCallingCode(9999), undefined);
		assert.equal(explainGraphErrorBody({ error: { code: '7504', message: 'Insufficient enterprise tenant permissions, cannot access this API.' } })?.code, '7504');
		assert.equal(explainGraphErrorBody({ error: { code: 'Forbidden', message: 'Code: 7505. Request authorization tenant mismatch.' } })?.code, '7505');
		assert.equal(explainGraphErrorBody({ error: { code: 'Forbidden', message: 'no calling code' } }), undefined);
		assert.equal(explainGraphErrorBody('not an error body'), undefined);
	});

	it('SignInError has the ActionableError shape: message plus explanation', () => {
		const err = new SignInError(explainAuthError(serverError('7000222', 'x'), ctx), 'Contoso');
		assert.equal(err.message, 'Sign-in for profile "Contoso" failed: The client secret has expired.');
		assert.match(err.explanation, /Create a new client secret/);
		assert.equal(err.code, 'AADSTS7000222');
	});
});
