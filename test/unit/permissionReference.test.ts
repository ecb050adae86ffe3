import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ALL_PERMISSIONS, ENDPOINTS, type EndpointRow } from '../../src/core/schema/endpoints';
import { buildReferenceModel, parseQuery, statusByAction } from '../../src/core/permissions/referenceModel';
import { exportCsv, exportJson, importCsv, importJson, parseCsv, ReferenceImportError } from '../../src/core/permissions/referenceExport';

describe('permission reference model', () => {
	it('groups every table row under each of its permissions, by API version', () => {
		const model = buildReferenceModel();
		assert.deepEqual(model.sections.map((s) => s.permission), [...ALL_PERMISSIONS]);
		assert.equal(model.rows.length, ENDPOINTS.length);
		assert.equal(model.shownMethods, model.totalMethods);
		for (const r of ENDPOINTS) {
			for (const p of [...r.leastPrivileged, ...r.higherPrivileged]) {
				const s = model.sections.find((x) => x.permission === p)!;
				for (const v of r.versions) assert.ok(s.methods[v].some((m) => m.action === r.action && !m.viaAppAlias), `${r.action} under ${p} ${v}`);
				if (!r.versions.includes('v1.0')) assert.ok(!s.methods['v1.0'].some((m) => m.action === r.action), `${r.action} is beta only`);
			}
		}
		const media = model.sections.find((s) => s.permission === 'Calls.AccessMedia.All')!;
		assert.match(media.description, /media streams/);
		assert.equal(media.registrationSteps.length, 4);
		assert.match(media.registrationSteps[2].detail, /Application permissions.*Calls\.AccessMedia\.All/);
		assert.equal(media.methods['v1.0'].find((m) => m.action === 'call.mute')?.privilege, 'higher');
		assert.equal(media.methods['v1.0'].find((m) => m.action === 'call.recordResponse')?.privilege, 'least');
	});

	it('filters by permission, method, path and cmdlet', () => {
		const byCmdlet = buildReferenceModel({ query: 'Rename-MgBeta' });
		assert.deepEqual(byCmdlet.rows.map((r) => r.action), ['call.changeScreenSharingRole']);
		assert.ok(byCmdlet.sections.every((s) => s.methods['v1.0'].length === 0 && s.methods.beta.length > 0));

		const posts = buildReferenceModel({ query: 'method:post path:participants' });
		const methods = posts.sections.flatMap((s) => [...s.methods['v1.0'], ...s.methods.beta]);
		assert.ok(methods.length > 0);
		assert.ok(methods.every((m) => m.method === 'POST' && m.path.includes('participants')));
		assert.ok(posts.rows.some((r) => r.action === 'participant.muteAll'));

		const perm = buildReferenceModel({ query: 'perm:accessmedia version:v1' });
		assert.deepEqual(perm.sections.map((s) => s.permission), ['Calls.AccessMedia.All']);
		assert.equal(perm.sections[0].methods.beta.length, 0);

		const none = buildReferenceModel({ query: 'no-such-thing' });
		assert.equal(none.sections.length, 0);
		assert.equal(none.rows.length, 0);

		const noAliases = buildReferenceModel({ query: '/app/calls', includeAppAliases: false });
		assert.equal(noAliases.shownMethods, 0);
		assert.deepEqual(parseQuery('  method:GET  Foo unknown:x '), [{ field: 'method', text: 'get' }, { field: undefined, text: 'foo' }, { field: undefined, text: 'unknown:x' }]);
	});

	it('marks methods granted or missing from the token roles, and unknown without a token', () => {
		const unknown = buildReferenceModel();
		assert.ok(unknown.sections.every((s) => s.granted === undefined && [...s.methods['v1.0'], ...s.methods.beta].every((m) => m.status === 'unknown')));

		const roles = ['Calls.AccessMedia.All', 'Calls.JoinGroupCall.All'];
		const model = buildReferenceModel({ roles });
		const status = (action: string) => model.sections.flatMap((s) => s.methods['v1.0']).find((m) => m.action === action)!.status;
		assert.equal(status('call.recordResponse'), 'granted');
		assert.equal(status('call.redirect'), 'missing');
		assert.equal(status('participant.invite'), 'missing');
		assert.equal(status('call.keepAlive'), 'granted', 'checked at creation: any calls role');
		assert.equal(model.sections.find((s) => s.permission === 'Calls.Initiate.All')!.granted, false);
		assert.equal(model.sections.find((s) => s.permission === 'Calls.AccessMedia.All')!.granted, true);

		const fewer = buildReferenceModel({ roles: ['Calls.JoinGroupCall.All'] });
		const recordResponse = fewer.sections.find((s) => s.permission === 'Calls.AccessMedia.All')!.methods['v1.0'].find((m) => m.action === 'call.recordResponse')!;
		assert.equal(recordResponse.status, 'missing', 'taking the role away flips the mark');
	});

	it('passes code examples from the generators through, per permission', () => {
		const model = buildReferenceModel({ query: 'perm:InitiateGroupCall', examplesFor: (p, actions) => [{ language: 'http', title: p, code: actions.join(',') }] });
		assert.equal(model.sections.length, 1);
		assert.equal(model.sections[0].examples[0].title, 'Calls.InitiateGroupCall.All');
		assert.match(model.sections[0].examples[0].code, /participant\.invite/);
	});
});

describe('permission reference export and import', () => {
	it('round-trips the whole table through JSON', () => {
		const text = exportJson({ rows: ENDPOINTS, profileName: 'Emulator', query: '' }, new Date('2026-01-01T00:00:00Z'));
		const back = importJson(text);
		assert.deepStrictEqual(back.rows, ENDPOINTS);
		assert.equal(back.profileName, 'Emulator');
		assert.match(text, /"docUrl": "https:\/\/learn\.microsoft\.com\/graph\/api\/call-get\?view=graph-rest-1\.0"/);
	});

	it('round-trips the whole table through CSV, with granted/missing marks beside the rows', () => {
		const status = statusByAction(ENDPOINTS, ['Calls.AccessMedia.All'])!;
		const text = exportCsv({ rows: ENDPOINTS, status });
		assert.ok(text.split('\r\n')[0].startsWith('action,method,path,versions,summary,leastPrivileged'));
		assert.equal(parseCsv(text).length, ENDPOINTS.length + 1);
		const back = importCsv(text);
		assert.deepStrictEqual(back.rows, ENDPOINTS);
		assert.deepStrictEqual(back.status, status);
		assert.equal(back.status!['call.recordResponse'], 'granted');
		assert.equal(back.status!['call.redirect'], 'missing');
	});

	it('round-trips a filtered export (what the view shows)', () => {
		const model = buildReferenceModel({ query: 'participants', roles: ['Calls.JoinGroupCall.All'] });
		const status = statusByAction(model.rows, model.roles);
		for (const text of [exportJson({ rows: model.rows, status, query: model.query }), exportCsv({ rows: model.rows, status })]) {
			const back = text.startsWith('{') ? importJson(text) : importCsv(text);
			assert.deepStrictEqual(back.rows, model.rows);
			assert.deepStrictEqual(back.status, status);
		}
	});

	it('round-trips any text in summaries and notes through CSV (quotes, commas, line breaks, formula characters)', () => {
		const base = ENDPOINTS[0];
		// Mostly the characters CSV and spreadsheets treat specially, so the edge cases come up often.
		const tricky = fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '"', ',', ';', '\n', '\r', ' ', 'a', '\u00e9') });
		const text = fc.oneof(fc.string(), tricky);
		fc.assert(
			fc.property(text, text.filter((t) => t !== ''), (summary, note) => {
				const row: EndpointRow = { ...base, summary, note };
				const back = importCsv(exportCsv({ rows: [row] }));
				assert.deepStrictEqual(back.rows, [row]);
			}),
			{ numRuns: 500 },
		);
	});

	it('refuses files that are not exports, with a message that says what to do', () => {
		assert.throws(() => importJson('{'), (e: Error) => e instanceof ReferenceImportError && /not valid JSON.*Export it again/.test(e.message));
		assert.throws(() => importJson('{"format":"x"}'), /not a permission reference export/);
		const bad = JSON.parse(exportJson({ rows: [ENDPOINTS[0]] }));
		bad.rows[0].leastPrivileged = ['Calls.Everything.All'];
		assert.throws(() => importJson(JSON.stringify(bad)), /Row 1 \(call\.create\): leastPrivileged has "Calls\.Everything\.All"/);
		assert.throws(() => importCsv('action,method\r\ncall.get,GET\r\n'), /lacks the column\(s\) path/);
		const csv = exportCsv({ rows: [ENDPOINTS[1]] });
		assert.throws(() => importCsv(csv.replace('GET,', 'PUT,')), /CSV line 2 \(call\.get\): method must be one of/);
		assert.throws(() => importCsv(`${csv}"unterminated`), /closing quote is missing/);
		assert.throws(() => importCsv(csv.replace(',permissionPage,', ',permissionPage,extra,')), /fields, the header/);
	});
});
