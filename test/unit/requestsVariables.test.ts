import * as assert from 'node:assert/strict';
import { parseHttpDocument } from '../../src/core/requests/httpDocument';
import { findVariableReferences, unknownVariableDiagnostics, VariableResolver } from '../../src/core/requests/variables';

describe('requests: variables', () => {
	const context = { callId: 'call-1', participantId: 'p-1', tenantId: 't-1', clientId: 'c-1', callbackUri: 'https://bot.example/cb', userId: undefined };

	it('resolves context variables in the URL, headers and body', () => {
		const doc = parseHttpDocument('POST /communications/calls/{{callId}}/participants/{{ participantId }}/mute\nX-Tenant: {{tenantId}}\n\n{"clientContext": "{{clientId}}"}\n');
		const { request, unknown } = new VariableResolver(doc.variables, context).resolve(doc.requests[0]);
		assert.deepEqual(unknown, []);
		assert.equal(request.url, '/communications/calls/call-1/participants/p-1/mute');
		assert.deepEqual(request.headers, [{ name: 'X-Tenant', value: 't-1' }]);
		assert.equal(request.body, '{"clientContext": "c-1"}');
	});

	it('file variables win over the context and may refer to other variables', () => {
		const doc = parseHttpDocument('@callId = from-file\n@path = /communications/calls/{{callId}}\n###\nGET {{path}}\n');
		const { request } = new VariableResolver(doc.variables, context).resolve(doc.requests[0]);
		assert.equal(request.url, '/communications/calls/from-file');
	});

	it('lists unknown and empty variables instead of sending them', () => {
		const doc = parseHttpDocument('POST /communications/calls\n\n{"id": "{{userId}}", "x": "{{nope}}"}\n');
		const { unknown, request } = new VariableResolver(doc.variables, context).resolve(doc.requests[0]);
		assert.deepEqual(unknown.sort(), ['nope', 'userId']);
		assert.match(request.body!, /\{\{userId\}\}/);
	});

	it('stops on self-referencing file variables', () => {
		const doc = parseHttpDocument('@a = {{b}}\n@b = {{a}}\n###\nGET /x/{{a}}\n');
		const { unknown } = new VariableResolver(doc.variables, {}).resolve(doc.requests[0]);
		assert.deepEqual(unknown, ['a']);
	});

	it('supports $guid, $timestamp and $randomInt, but never $processEnv or $dotenv', () => {
		const r = new VariableResolver([], {});
		assert.match(r.value('$guid')!, /^[0-9a-f-]{36}$/);
		assert.match(r.value('$timestamp')!, /^\d{10}$/);
		const n = Number(r.value('$randomInt 5 7'));
		assert.ok(n >= 5 && n < 7);
		assert.equal(r.value('$processEnv HOME'), undefined);
		assert.equal(r.value('$dotenv SECRET'), undefined);
	});

	it('reports unknown variables as diagnostics with line, columns and what to do', () => {
		const text = 'GET /communications/calls/{{callId}}\n\n###\nPOST /communications/calls\n\n{"targets": "{{userId}}", "x": "{{mystery}}", "e": "{{$processEnv PATH}}"}\n';
		const doc = parseHttpDocument(text);
		const diags = unknownVariableDiagnostics(text, doc, { callId: 'c' });
		assert.deepEqual(diags.map((d) => [d.line, d.column]), [[5, 13], [5, 32], [5, 52]]);
		assert.match(diags[0].message, /^Line 6: \{\{userId\}\} has no value: set graphCalls\.requests\.variables\.userId/);
		assert.match(diags[1].message, /\{\{mystery\}\} is not defined: add `@mystery = value`/);
		assert.match(diags[2].message, /not a supported system variable/);
		assert.equal(diags[0].endColumn - diags[0].column, '{{userId}}'.length);
	});

	it('finds references with their positions', () => {
		assert.deepEqual(findVariableReferences('a {{x}}\n{{ y }}', 3), [
			{ name: 'x', line: 3, column: 2, endColumn: 7 },
			{ name: 'y', line: 4, column: 0, endColumn: 7 },
		]);
	});
});
