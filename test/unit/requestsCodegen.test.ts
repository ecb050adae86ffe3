import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { ENDPOINTS } from '../../src/core/schema/endpoints';
import { CALL_EXAMPLES, type CallExample } from '../../src/core/requests/callExamples';
import { CODE_LANGUAGES, generateCode } from '../../src/core/requests/code';
import { matchEndpoint } from '../../src/core/schema/endpointMatch';
import { parseHttpDocument } from '../../src/core/requests/httpDocument';
import { httpSnippets, jsonSnippets, snippetFileText } from '../../src/core/requests/snippets';
// The ids golden files are generated with: what a selected tree node and a profile would supply.
import { fill } from './codegenCases';

// Tests run from out/test/unit; golden files and snippets live in the sources. UPDATE_GOLDEN=1 rewrites them.
const root = path.resolve(__dirname, '../../..');
const goldenDir = path.join(root, 'test/unit/golden');
const update = process.env.UPDATE_GOLDEN === '1';

function documented(e: CallExample): { method: string; url: string; body?: unknown } {
	return { method: e.method, url: fill(e.path), body: e.body ? JSON.parse(fill(JSON.stringify(e.body))) : undefined };
}

function checkGolden(file: string, actual: string): void {
	const p = path.join(goldenDir, file);
	if (update) {
		fs.writeFileSync(p, actual);
		return;
	}
	assert.ok(fs.existsSync(p), `golden file ${file} is missing: run the unit tests with UPDATE_GOLDEN=1 and review the new file`);
	assert.equal(actual, fs.readFileSync(p, 'utf8'), `${file} differs from its golden file`);
}

describe('requests: code generation (golden files per action per language)', () => {
	before(() => {
		if (update) fs.mkdirSync(goldenDir, { recursive: true });
	});

	it('has an example for every action of the endpoint table', () => {
		const covered = new Set(CALL_EXAMPLES.map((e) => e.action));
		assert.deepEqual(ENDPOINTS.filter((r) => !covered.has(r.action)).map((r) => r.action), []);
		assert.equal(new Set(CALL_EXAMPLES.map((e) => e.prefix)).size, CALL_EXAMPLES.length, 'snippet prefixes are unique');
	});

	for (const example of CALL_EXAMPLES) {
		describe(example.id, () => {
			it('maps to its endpoint row', () => {
				const m = matchEndpoint(example.method, fill(example.path));
				assert.equal(m?.row.action, example.action);
			});
			for (const lang of CODE_LANGUAGES) {
				it(lang.id, () => {
					const code = generateCode(lang.id, documented(example));
					checkGolden(`${example.id}.${lang.extension}`, code);
				});
			}
			it('the HTTP golden file is the documented request', () => {
				if (update) return;
				const text = fs.readFileSync(path.join(goldenDir, `${example.id}.http`), 'utf8');
				const doc = parseHttpDocument(text);
				assert.deepEqual(doc.diagnostics, []);
				const req = doc.requests[0];
				const want = documented(example);
				assert.equal(req.method, want.method);
				assert.equal(new URL(req.url).pathname.replace(/^\/(v1\.0|beta)/, ''), want.url.replace(/^\/beta/, ''));
				assert.deepEqual(req.body === undefined ? undefined : JSON.parse(req.body), want.body);
			});
		});
	}
});

describe('requests: code generation details', () => {
	const play = CALL_EXAMPLES.find((e) => e.id === 'play-prompt')!;

	it('uses the SDK request builders the docs use', () => {
		const req = documented(play);
		assert.match(generateCode('csharp', req), /await graphClient\.Communications\.Calls\["57dab8b1-894c-409a-b240-bd8beae78896"\]\.PlayPrompt\.PostAsync\(requestBody\);/);
		assert.match(generateCode('csharp', req), /var requestBody = new PlayPromptPostRequestBody\n/);
		assert.match(generateCode('javascript', req), /client\.api\('\/communications\/calls\/57dab8b1-894c-409a-b240-bd8beae78896\/playPrompt'\)\n\t\.post\(playPromptOperation\);/);
		assert.match(generateCode('powershell', req), /Invoke-MgPlayCommunicationCallPrompt -CallId \$callId -BodyParameter \$params/);
		assert.match(generateCode('python', req), /await graph_client\.communications\.calls\.by_call_id\('57dab8b1-894c-409a-b240-bd8beae78896'\)\.play_prompt\.post\(request_body\)/);
	});

	it('keeps placeholders readable when ids are still variables', () => {
		const req = { method: 'POST', url: '/communications/calls/{{callId}}/participants/{{participantId}}/mute', body: { clientContext: 'x' } };
		assert.match(generateCode('csharp', req), /Calls\["\{call-id\}"\]\.Participants\["\{participant-id\}"\]\.Mute\.PostAsync/);
		assert.match(generateCode('python', req), /by_call_id\('call-id'\)\.participants\.by_participant_id\('participant-id'\)\.mute\.post/);
		const ps = generateCode('powershell', req);
		assert.match(ps, /Invoke-MgMuteCommunicationCallParticipant -CallId \$callId -ParticipantId \$participantId -BodyParameter \$params/);
		assert.doesNotMatch(ps, /\$callId = /);
	});

	it('uses beta modules, namespaces and cmdlets for beta URLs', () => {
		const req = { method: 'GET', url: 'https://graph.microsoft.com/beta/communications/calls/1' };
		assert.match(generateCode('powershell', req), /Import-Module Microsoft\.Graph\.Beta\.CloudCommunications[\s\S]*Get-MgBetaCommunicationCall -CallId \$callId/);
		assert.match(generateCode('javascript', req), /\.version\('beta'\)/);
		const body = generateCode('csharp', { method: 'POST', url: '/beta/communications/calls/1/mute', body: { clientContext: 'x' } });
		assert.match(body, /using Microsoft\.Graph\.Beta\.Communications\.Calls\.Item\.Mute;/);
		assert.match(generateCode('python', { method: 'POST', url: '/beta/communications/calls/1/mute', body: { clientContext: 'x' } }), /from msgraph_beta\.generated\.communications\.calls\.item\.mute\.mute_post_request_body import MutePostRequestBody/);
	});

	it('falls back to plain HTTP code for URLs outside the calls API', () => {
		const req = { method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' };
		assert.match(generateCode('csharp', req), /new HttpRequestMessage\(new HttpMethod\("GET"\), "https:\/\/graph\.microsoft\.com\/v1\.0\/me"\)/);
		assert.match(generateCode('python', req), /httpx\.request\("GET", "https:\/\/graph\.microsoft\.com\/v1\.0\/me"/);
		assert.match(generateCode('powershell', req), /Invoke-MgGraphRequest -Method GET -Uri "https:\/\/graph\.microsoft\.com\/v1\.0\/me"/);
		assert.match(generateCode('javascript', req), /client\.api\('https:\/\/graph\.microsoft\.com\/v1\.0\/me'\)/);
	});

	it('escapes quotes and shell metacharacters', () => {
		const req = { method: 'POST', url: '/communications/calls/1/playPrompt', body: { clientContext: `it's "$(rm -rf /)" \`x\`` } };
		assert.match(generateCode('curl', req), /it'\\''s \\"\$\(rm -rf \/\)\\"/);
		assert.match(generateCode('powershell', req), /"it's `"`\$\(rm -rf \/\)`" ``x``"/);
		assert.match(generateCode('csharp', req), /ClientContext = "it's \\"\$\(rm -rf \/\)\\" `x`"/);
		assert.match(generateCode('javascript', req), /clientContext: 'it\\'s "\$\(rm -rf \/\)" `x`'/);
	});

	const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

	it('never writes a token or secret, whatever the request carries', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...CALL_EXAMPLES),
				fc.constantFrom(...CODE_LANGUAGES.map((l) => l.id)),
				fc.constantFrom('Authorization', 'authorization', 'Cookie', 'X-Api-Key', 'x-ms-token', 'Proxy-Authorization'),
				(example, lang, header) => {
					const req = documented(example);
					const body = req.body ? { ...(req.body as object), clientSecret: 'hunter2-secret', note: `Bearer ${TOKEN}` } : undefined;
					const code = generateCode(lang, { ...req, url: `${req.url}?access_token=${TOKEN}`, headers: { [header]: `Bearer ${TOKEN}`, Prefer: 'x' }, body });
					assert.ok(!code.includes(TOKEN), 'token leaked');
					assert.ok(!code.includes('hunter2-secret'), 'secret leaked');
				},
			),
			{ numRuns: 200 },
		);
	});

	it('curl reads the token from $ACCESS_TOKEN instead', () => {
		assert.match(generateCode('curl', { method: 'GET', url: '/communications/calls/1', headers: { Authorization: `Bearer ${TOKEN}` } }), /-H "Authorization: Bearer \$ACCESS_TOKEN"/);
	});
});

describe('requests: contributed snippets', () => {
	const files: [string, () => ReturnType<typeof httpSnippets>][] = [
		['media/snippets/http.json', httpSnippets],
		['media/snippets/json.json', jsonSnippets],
	];
	for (const [file, make] of files) {
		it(`${file} is generated from the call examples`, () => {
			const text = snippetFileText(make());
			const p = path.join(root, file);
			if (update) {
				fs.mkdirSync(path.dirname(p), { recursive: true });
				fs.writeFileSync(p, text);
				return;
			}
			assert.equal(fs.readFileSync(p, 'utf8'), text, `${file} is stale: run the unit tests with UPDATE_GOLDEN=1`);
		});
	}

	it('every http snippet expands to a request that parses without errors', () => {
		for (const [name, s] of Object.entries(httpSnippets())) {
			// Undo the snippet escaping of `$` to get the text VS Code inserts.
			const text = s.body.map((l) => l.replace(/\\\$/g, '$').replace(/\\\\/g, '\\')).join('\n');
			const doc = parseHttpDocument(text);
			assert.deepEqual(doc.diagnostics, [], name);
			assert.equal(doc.requests.length, 1, name);
		}
	});

	it('has the prefixes people look for', () => {
		const prefixes = Object.values(httpSnippets()).map((s) => s.prefix);
		for (const p of ['gc-create-call-user', 'gc-play-prompt', 'gc-answer', 'gc-hang-up', 'gc-invite-participants', 'gc-keep-alive']) assert.ok(prefixes.includes(p), p);
		assert.equal(Object.keys(jsonSnippets()).length, CALL_EXAMPLES.filter((e) => e.body).length);
	});
});
