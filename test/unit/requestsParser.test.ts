import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonProblem, parseHttpDocument, serialiseDocument, serialiseRequest } from '../../src/core/requests/httpDocument';

describe('requests: .http parser', () => {
	it('parses requests separated by ###, with names, headers, bodies and line numbers', () => {
		const text = [
			'@greeting = hello',
			'',
			'###',
			'# @name create',
			'POST /communications/calls HTTP/1.1',
			'Content-Type: application/json',
			'Prefer: return=minimal',
			'',
			'{',
			'  "callbackUri": "{{callbackUri}}"',
			'}',
			'',
			'### play',
			'// @name play',
			'POST https://graph.microsoft.com/v1.0/communications/calls/{{callId}}/playPrompt',
			'',
			'{"prompts": []}',
			'###',
			'GET /communications/calls/{{callId}}',
		].join('\n');
		const doc = parseHttpDocument(text);
		assert.deepEqual(doc.diagnostics, []);
		assert.deepEqual(doc.variables, [{ name: 'greeting', value: 'hello', line: 0 }]);
		assert.equal(doc.requests.length, 3);
		const [create, play, get] = doc.requests;
		assert.equal(create.name, 'create');
		assert.equal(create.method, 'POST');
		assert.equal(create.url, '/communications/calls');
		assert.equal(create.requestLine, 4);
		assert.deepEqual(create.headers.map((h) => [h.name, h.value, h.line]), [['Content-Type', 'application/json', 5], ['Prefer', 'return=minimal', 6]]);
		assert.equal(create.body, '{\n  "callbackUri": "{{callbackUri}}"\n}');
		assert.equal(create.bodyStartLine, 8);
		assert.equal(play.name, 'play');
		assert.equal(play.requestLine, 14);
		assert.equal(play.body, '{"prompts": []}');
		assert.equal(get.method, 'GET');
		assert.equal(get.body, undefined);
		assert.equal(get.requestLine, 18);
	});

	it('accepts CRLF line endings, a URL without a method (GET) and query continuation lines', () => {
		const doc = parseHttpDocument('https://graph.microsoft.com/v1.0/communications/calls/1/participants\r\n  ?$top=5\r\n  &$skip=1\r\n');
		assert.deepEqual(doc.diagnostics, []);
		assert.equal(doc.requests[0].method, 'GET');
		assert.equal(doc.requests[0].url, 'https://graph.microsoft.com/v1.0/communications/calls/1/participants?$top=5&$skip=1');
	});

	it('reports an unknown method with its line, and keeps parsing the next request', () => {
		const doc = parseHttpDocument('FETCH /communications/calls\n\n###\nGET /communications/calls/1\n');
		assert.equal(doc.requests.length, 1);
		assert.equal(doc.requests[0].url, '/communications/calls/1');
		assert.equal(doc.diagnostics.length, 1);
		assert.equal(doc.diagnostics[0].line, 0);
		assert.equal(doc.diagnostics[0].severity, 'error');
		assert.match(doc.diagnostics[0].message, /^Line 1: "FETCH" is not an HTTP method/);
	});

	it('reports a request line without a URL', () => {
		const doc = parseHttpDocument('# comment\nPOST communications/calls\n');
		assert.equal(doc.requests.length, 0);
		assert.match(doc.diagnostics[0].message, /^Line 2: expected a request line/);
	});

	it('reports a malformed header on its line and says how to fix it', () => {
		const doc = parseHttpDocument('POST /communications/calls\nContent-Type application/json\n\n{}\n');
		assert.equal(doc.requests.length, 1);
		assert.equal(doc.diagnostics.length, 1);
		assert.equal(doc.diagnostics[0].line, 1);
		assert.match(doc.diagnostics[0].message, /^Line 2: .*is not a header.*blank line/);
	});

	it('reports broken JSON at the line of the error inside the body', () => {
		const doc = parseHttpDocument('POST /communications/calls/1/playPrompt\nContent-Type: application/json\n\n{\n  "clientContext": "x",\n  "prompts": [\n}\n');
		assert.equal(doc.requests.length, 1);
		const d = doc.diagnostics.find((x) => /JSON body/.test(x.message));
		assert.ok(d, 'a JSON diagnostic');
		assert.equal(d.line, 6);
		assert.match(d.message, /^Line 7: the JSON body is not valid: Unexpected token '?\}'?$/);
	});

	it('accepts {{variables}} inside and outside JSON strings', () => {
		assert.equal(jsonProblem('{"id": "{{callId}}", "n": {{count}}, "x": "a\\"{{y}}"}'), undefined);
		assert.ok(jsonProblem('{"id": }'));
	});

	it('does not check non-JSON bodies', () => {
		const doc = parseHttpDocument('POST https://example.com/x\nContent-Type: text/plain\n\nnot json at all\n');
		assert.deepEqual(doc.diagnostics, []);
		assert.equal(doc.requests[0].body, 'not json at all');
	});

	it('warns about a body on GET and drops it', () => {
		const doc = parseHttpDocument('GET /communications/calls/1\n\n{"a": 1}\n');
		assert.equal(doc.requests[0].body, undefined);
		assert.equal(doc.diagnostics[0].severity, 'warning');
		assert.match(doc.diagnostics[0].message, /^Line 3: a GET request has no body/);
	});

	it('reports a malformed file variable and a duplicate one', () => {
		const doc = parseHttpDocument('@callId\n@a = 1\n@a = 2\n###\nGET /x\n');
		assert.match(doc.diagnostics.find((d) => d.line === 0)!.message, /^Line 1: a file variable needs the form/);
		const dup = doc.diagnostics.find((d) => d.line === 2)!;
		assert.equal(dup.severity, 'warning');
		assert.match(dup.message, /already defined on line 2/);
	});

	it('an empty document or one with only comments has no requests and no errors', () => {
		for (const text of ['', '\n\n', '# just a comment\n// another\n', '###\n###\n']) {
			const doc = parseHttpDocument(text);
			assert.equal(doc.requests.length, 0, JSON.stringify(text));
			assert.deepEqual(doc.diagnostics, []);
		}
	});

	it('never throws, and every diagnostic points at a line of the document', () => {
		const alphabet = fc.constantFrom('GET ', 'POST ', '/communications/calls', 'https://x/', '{{callId}}', '###', '\n', '\r\n', '{', '}', '"', ':', '@a = 1', '# @name n', 'Content-Type: application/json', ' ', '?', '&', 'x');
		fc.assert(
			fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
				const text = parts.join('');
				const doc = parseHttpDocument(text);
				const lineCount = text.split(/\r?\n/).length;
				for (const d of doc.diagnostics) {
					assert.ok(d.line >= 0 && d.line < lineCount, `${d.line} < ${lineCount}`);
					assert.match(d.message, /^Line \d+: /);
				}
				for (const r of doc.requests) assert.ok(r.requestLine >= r.startLine && r.requestLine <= r.endLine);
			}),
			{ numRuns: 300 },
		);
	});

	it('serialises requests that parse back to the same request', () => {
		const text = serialiseDocument(
			[
				{ name: 'create', method: 'post', url: '/communications/calls', body: { callbackUri: '{{callbackUri}}', requestedModalities: ['audio'] } },
				{ method: 'GET', url: '/communications/calls/{{callId}}', headers: { Prefer: 'x' } },
			],
			{ callId: 'abc' },
		);
		const doc = parseHttpDocument(text);
		assert.deepEqual(doc.diagnostics, []);
		assert.deepEqual(doc.variables.map((v) => [v.name, v.value]), [['callId', 'abc']]);
		assert.equal(doc.requests.length, 2);
		assert.equal(doc.requests[0].name, 'create');
		assert.equal(doc.requests[0].method, 'POST');
		assert.deepEqual(JSON.parse(doc.requests[0].body!), { callbackUri: '{{callbackUri}}', requestedModalities: ['audio'] });
		assert.equal(doc.requests[0].headers[0].value, 'application/json');
		assert.deepEqual(doc.requests[1].headers.map((h) => h.name), ['Prefer']);
		assert.equal(serialiseRequest({ method: 'DELETE', url: '/x' }), 'DELETE /x\n');
	});
});
