import * as assert from 'node:assert/strict';
import { sameWebhook } from '../../src/core/doctor/botChannelCheck';
import { callbackPublicCheck, callbackReachableCheck, nonPublicHost } from '../../src/core/doctor/callbackChecks';
import { manifestCheck } from '../../src/core/doctor/manifestCheck';
import { clockCheck, callingServiceCheck } from '../../src/core/doctor/serviceChecks';
import { consentCheck, rolesCheck } from '../../src/core/doctor/tokenChecks';
import type { ClaimsSummary } from '../../src/core/auth/tokenClaims';
import { checkForGraphFailure } from '../../src/core/setup/failureChecks';
import { GraphError } from '../../src/core/graph/graphError';

const CLIENT = '4c1d9e2f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
const claims = (roles: string[]): ClaimsSummary => ({ roles, scopes: [], appId: CLIENT, tenantId: '7f3a1c2e-9b4d-4e8f-a6c5-0d1e2f3a4b5c' });
const manifest = (bot: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) => ({ path: 'manifest.json', text: JSON.stringify({
	manifestVersion: '1.19', version: '1.0.0', id: 'x', developer: { name: 'd' }, name: { short: 'n' }, description: { short: 'd' }, icons: { color: 'c.png', outline: 'o.png' }, accentColor: '#FFFFFF',
	...(bot ? { bots: [bot] } : {}), ...extra,
}) });

describe('setup doctor checks', () => {
	describe('callback URL is public https', () => {
		for (const host of ['127.0.0.1', 'localhost', '10.1.2.3', '172.20.0.1', '192.168.1.10', '169.254.1.1', '[::1]', '[fd00::1]', '[fe80::1]', 'bot.local', 'devbox', '[::ffff:10.0.0.1]']) {
			it(`refuses ${host}`, () => {
				const r = callbackPublicCheck(`https://${host}/api/calling`);
				assert.equal(r.state, 'fail', r.detail);
			});
		}
		it('refuses http, credentials in the URL, and no URL; accepts a public https name and address', () => {
			assert.match(callbackPublicCheck('http://bot.contoso.com/api').detail, /uses http/);
			assert.match(callbackPublicCheck('https://user:pw@bot.contoso.com/api').detail, /user name or password/);
			assert.ok(!callbackPublicCheck('https://user:pw@bot.contoso.com/api').detail.includes('pw'), 'the password is not echoed');
			assert.equal(callbackPublicCheck(undefined).state, 'fail');
			assert.equal(callbackPublicCheck('https://abc123.devtunnels.ms/api/calling').state, 'pass');
			assert.equal(callbackPublicCheck('https://20.30.40.50/api/calling').state, 'pass');
			assert.equal(nonPublicHost('172.32.0.1'), undefined, '172.32/12 is outside the private range');
		});
		it('reachability: cannot check without a probe; passes or names where the probe stopped', async () => {
			const pub = callbackPublicCheck('https://bot.contoso.com/api');
			assert.equal((await callbackReachableCheck('https://bot.contoso.com/api', undefined, pub)).state, 'cannotCheck');
			assert.match((await callbackReachableCheck('https://bot.contoso.com/api', async (url) => ({ ok: true, url, verified: true, roundTripMs: 42.4, message: 'arrived' }), pub)).detail, /arrived at the receiver in 42 ms/);
			const stopped = await callbackReachableCheck('https://bot.contoso.com/api', async (url) => ({ ok: false, url, verified: false, failure: 'dns', message: 'bot.contoso.com does not resolve', fix: 'Check the host name.' }), pub);
			assert.equal(stopped.state, 'fail');
			assert.match(stopped.detail, /stopped at dns: bot.contoso.com does not resolve/);
			assert.equal(stopped.fix, 'Check the host name.');
		});
	});

	describe('Teams app manifest', () => {
		it('passes a calling bot with the client id, in any case', () => {
			assert.equal(manifestCheck(manifest({ botId: CLIENT.toUpperCase(), scopes: ['personal'], supportsCalling: true }), CLIENT, false).state, 'pass');
		});
		it('fails without supportsCalling, without supportsVideo when video is wanted, and for another bot id', () => {
			assert.match(manifestCheck(manifest({ botId: CLIENT, scopes: ['personal'] }), CLIENT, false).detail, /supportsCalling/);
			assert.match(manifestCheck(manifest({ botId: CLIENT, scopes: ['personal'], supportsCalling: true }), CLIENT, true).detail, /supportsVideo/);
			assert.match(manifestCheck(manifest({ botId: 'aaaaaaaa-0000-4000-8000-000000000000', scopes: ['personal'], supportsCalling: true }), CLIENT, false).detail, /no bot has botId/);
		});
		it('names shape problems: missing required fields, bad scopes, a string where a boolean belongs, not JSON', () => {
			const r = manifestCheck({ path: 'm.json', text: JSON.stringify({ bots: [{ botId: CLIENT, scopes: ['everyone'], supportsCalling: 'true' }] }) }, CLIENT, false);
			assert.equal(r.state, 'fail');
			for (const f of ['"manifestVersion" is missing', 'scopes has "everyone"', 'supportsCalling must be true or false']) assert.ok(r.detail.includes(f), `${f} in ${r.detail}`);
			assert.match(manifestCheck({ path: 'm.json', text: '{ nope' }, CLIENT, false).detail, /not valid JSON/);
		});
		it('cannot check a Teams Toolkit placeholder botId, and cannot check without a manifest', () => {
			assert.equal(manifestCheck(manifest({ botId: '${{BOT_ID}}', scopes: ['personal'], supportsCalling: true }), CLIENT, false).state, 'cannotCheck');
			assert.equal(manifestCheck(undefined, CLIENT, false).state, 'cannotCheck');
		});
	});

	describe('roles and consent', () => {
		it('consent fails on a token without roles', () => {
			assert.equal(consentCheck(claims([])).state, 'fail');
			assert.equal(consentCheck(claims(['Calls.Initiate.All'])).state, 'pass');
		});
		it('missing roles are named with the least privileged permission that adds them', () => {
			const r = rolesCheck(claims(['Calls.JoinGroupCall.All']), { kinds: ['pstn', 'group'], video: false });
			assert.equal(r.state, 'fail');
			assert.match(r.detail, /add Calls\.Initiate\.All, Calls\.InitiateGroupCall\.All/);
		});
		it('least privilege: roles beyond the smallest covering set are named as a tip', () => {
			const r = rolesCheck(claims(['Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.AccessMedia.All']), { kinds: ['peerToPeer'], video: false });
			assert.equal(r.state, 'pass');
			assert.match(r.detail, /not needed .*Calls\.InitiateGroupCall\.All, Calls\.AccessMedia\.All/);
			assert.match(r.fix ?? '', /remove/);
		});
		it('the docs spelling Calls.JoinGroupCalls.All counts as Calls.JoinGroupCall.All', () => {
			assert.equal(rolesCheck(claims(['Calls.JoinGroupCalls.All']), { kinds: ['joinMeeting'], video: false }).state, 'pass');
		});
	});

	describe('clock and calling service', () => {
		const answer = (date: string, sentAt: number, receivedAt: number) => ({ answer: { status: 404, headers: { date }, body: {}, sentAt, receivedAt } });
		it('measures skew from the midpoint of the round trip, beyond 300 s it fails', () => {
			const server = Date.parse('2026-12-04T12:00:00Z');
			assert.equal(clockCheck(answer(new Date(server).toUTCString(), server - 200, server + 200)).state, 'pass');
			assert.match(clockCheck(answer(new Date(server).toUTCString(), server + 250_000, server + 250_100)).detail, /250 s ahead/);
			const behind = clockCheck(answer(new Date(server).toUTCString(), server - 400_000, server - 399_900));
			assert.equal(behind.state, 'fail');
			assert.match(behind.detail, /behind/);
			assert.equal(clockCheck(answer('not a date', 0, 1)).state, 'cannotCheck');
		});
		it('reads the calling service\'s code also when it is nested JSON in the message', () => {
			const r = callingServiceCheck({ answer: { status: 403, headers: {}, body: { error: { code: 'UnknownError', message: '{"errorCode":"7503","message":"Application is not registered in our store.","instanceAnnotations":[]}' } }, sentAt: 0, receivedAt: 1 } });
			assert.equal(r.state, 'fail');
			assert.match(r.detail, /Application is not registered in our store\. \(errorCode 7503\)/);
		});
	});

	describe('which check a Graph failure points at', () => {
		it('maps the calling codes, a 403 and a callback complaint; nothing else', () => {
			assert.equal(checkForGraphFailure({ status: 403, code: 'UnknownError', message: '{"errorCode":"7503"}' }), 'botChannel');
			assert.equal(checkForGraphFailure({ status: 403, code: '7504' }), 'consent');
			assert.equal(checkForGraphFailure({ status: 403, code: '7505' }), 'tenant');
			assert.equal(checkForGraphFailure({ status: 400, message: 'Call failed with 8506.' }), 'botChannel');
			assert.equal(checkForGraphFailure({ status: 403, code: 'Forbidden' }), 'roles');
			assert.equal(checkForGraphFailure({ status: 400, message: 'callbackUri must be https' }), 'callbackPublic');
			assert.equal(checkForGraphFailure({ status: 404, code: 'itemNotFound' }), undefined);
			assert.equal(checkForGraphFailure({ status: 400, message: 'request id 175039' }), undefined, 'digits inside a longer number are no code');
		});
		it('a GraphError names the check in its explanation and carries it for the Run Setup Doctor button', () => {
			const err = GraphError.fromResponse({ method: 'POST', path: '/communications/calls', status: 403, body: { error: { code: '7505', message: 'Request authorization tenant mismatch.' } }, headers: {}, clientRequestId: 'c' });
			assert.equal(err.doctorCheck, 'tenant');
			assert.match(err.explanation, /Setup Doctor check "Tenant"/);
			const notFound = GraphError.fromResponse({ method: 'GET', path: '/communications/calls/x', status: 404, body: {}, headers: {}, clientRequestId: 'c' });
			assert.equal(notFound.doctorCheck, undefined);
			assert.doesNotMatch(notFound.explanation, /Setup Doctor/);
		});
	});

	it('webhooks compare by scheme, host in any case, port and path without a trailing slash', () => {
		assert.ok(sameWebhook('https://Bot.Contoso.com/api/calling/', 'https://bot.contoso.com/api/calling'));
		assert.ok(!sameWebhook('https://bot.contoso.com/api/calling', 'https://bot.contoso.com/api/calls'));
		assert.ok(!sameWebhook('https://bot.contoso.com:8443/api', 'https://bot.contoso.com/api'));
	});
});
