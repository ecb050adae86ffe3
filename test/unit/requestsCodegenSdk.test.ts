/**
 * Copy as Code against the SDKs themselves: for every action's example and the other documented request bodies, the
 * generated C#, Python and JavaScript is checked against fixtures extracted from the SDKs' own generated
 * files (test/fixtures/sdk-models, refreshed by test/scripts/refreshSdkModels.js). Python runs in python3 against
 * stand-ins with exactly the SDK's constructors, enums, modules and request builders, and the body it posts must be
 * the request's JSON; JavaScript runs in Node against a stand-in client and must post the same JSON.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { generateCode } from '../../src/core/requests/code';
import { SDK_ENUMS, SDK_MODELS, SDK_MODELS_SOURCE, SDK_REQUEST_BODIES } from '../../src/core/requests/code/sdkModelTable';
import { CASES } from './codegenCases';
import { checkCsharp, type DotnetFixture } from './csharpSdkCheck';

const root = path.resolve(__dirname, '../../..');
const fixtureDir = path.join(root, 'test/fixtures/sdk-models');
const dotnet = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'dotnet-v1.0.json'), 'utf8')) as DotnetFixture;
const python = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'python-v1.0.json'), 'utf8')) as {
	source: { commit: string };
	types: Record<string, { kind: string; module: string; properties?: Record<string, { name: string; type: string }>; members?: Record<string, string> }>;
	requestBodies: Record<string, { name: string; module: string }>;
};

describe('requests: Copy as Code against the SDK models', () => {
	it('the fixtures name the SDK commits they come from, and the generators use the same .NET models', () => {
		assert.match(dotnet.source.commit, /^[0-9a-f]{40}$/);
		assert.match(python.source.commit, /^[0-9a-f]{40}$/);
		assert.equal(SDK_MODELS_SOURCE, `${dotnet.source.repo}@${dotnet.source.commit}`, 'src/core/requests/code/sdkModelTable.ts is stale: run test/scripts/refreshSdkModels.js');
		for (const [name, m] of Object.entries(SDK_MODELS)) {
			const t = dotnet.types[name];
			assert.equal(t?.kind, 'model', name);
			assert.deepEqual(m.props, Object.fromEntries(Object.entries(t.properties ?? {}).map(([k, p]) => [k, p.type])), name);
		}
		for (const [name, values] of Object.entries(SDK_ENUMS)) assert.deepEqual(values, Object.keys(dotnet.types[name].members ?? {}), name);
		for (const [ns, b] of Object.entries(SDK_REQUEST_BODIES)) assert.equal(dotnet.requestBodies[`Microsoft.Graph.${ns}`]?.name, b.name, ns);
	});

	it('the .NET and Python SDKs have the same classes, properties and types (names aside)', () => {
		assert.deepEqual(Object.keys(python.types).sort(), Object.keys(dotnet.types).sort());
		for (const [name, t] of Object.entries(dotnet.types)) {
			const p = python.types[name];
			if (t.kind === 'enum') {
				assert.deepEqual(Object.keys(p.members ?? {}), Object.keys(t.members ?? {}), name);
				continue;
			}
			const PY_TO_DOTNET: Record<string, string> = { str: 'string', datetime: 'DateTimeOffset', UUID: 'Guid', float: 'double', bytes: 'byte[]', date: 'Date', time: 'Time', timedelta: 'TimeSpan' };
			const pyType = (s: string) => s.replace(/^(\w+)(\[\])?$/, (all, t: string, l = '') => (PY_TO_DOTNET[t] ?? t) + l);
			// A flags enum is one value in .NET and a list of members in Python (OnlineMeetingRestricted's reasons); Python has one int for int and long.
			const flags = (py: string, net: string) => ((py === `${net}[]` && dotnet.types[net]?.kind === 'enum') || (py === 'int' && net === 'long') ? net : py);
			assert.deepEqual(Object.fromEntries(Object.entries(p.properties ?? {}).map(([k, v]) => [k, flags(pyType(v.type), t.properties?.[k]?.type ?? '')])), Object.fromEntries(Object.entries(t.properties ?? {}).map(([k, v]) => [k, v.type])), name);
		}
	});

	describe('C# (.NET SDK v5): every class, property, enum member and request builder exists', () => {
		let types = 0;
		let properties = 0;
		for (const c of CASES.filter((x) => !x.beta)) {
			it(c.id, () => {
				const result = checkCsharp(generateCode('csharp', c), dotnet);
				assert.deepEqual(result.problems, []);
				types += result.types.size;
				properties += result.properties.size;
			});
		}
		it('checked classes and properties along the way', () => {
			assert.ok(types > 50 && properties > 100, `${types} classes, ${properties} properties`);
		});
	});

	it('the C# check catches what the SDK lacks (the transfer code before the fix)', () => {
		const old = [
			'using Microsoft.Graph.Communications.Calls.Item.Transfer;',
			'using Microsoft.Graph.Models;',
			'var requestBody = new TransferPostRequestBody',
			'{',
			'\tTransferTarget = new InvitationParticipantInfo',
			'\t{',
			'\t\tEndpointType = EndpointType.Default,',
			'\t},',
			'\tClientContext = "x",',
			'};',
			`await graphClient.Communications.Calls["1"].Transfer.PostAsync(requestBody);`,
		].join('\n');
		assert.deepEqual(checkCsharp(old, dotnet).problems, ['InvitationParticipantInfo.EndpointType: the SDK class InvitationParticipantInfo has no property EndpointType', 'TransferPostRequestBody.ClientContext: the SDK class TransferPostRequestBody has no property ClientContext']);
	});

	describe('Python (msgraph-sdk): runs in python3 against the SDK classes and posts the request body', () => {
		let results: Map<string, { syntaxError?: string; error: string | null; calls: { chain: string[]; method: string; returns: string | null; body: unknown }[] }>;
		before(function () {
			this.timeout(30_000);
			const snippets = CASES.map((c) => ({ id: c.id, code: generateCode('python', c) }));
			const r = spawnSync('python3', [path.join(root, 'test/unit/pythonSdkStub.py')], { input: JSON.stringify({ fixture: python, snippets }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
			assert.equal(r.status, 0, r.stderr);
			results = new Map((JSON.parse(r.stdout) as { id: string; error: string | null; calls: never[] }[]).map((x) => [x.id, x]));
		});
		for (const c of CASES) {
			it(c.id, () => {
				const code = generateCode('python', c);
				const r = results.get(c.id)!;
				assert.equal(r.syntaxError, undefined, 'ast.parse');
				if (c.beta) return; // the fixture is the v1.0 SDK's; msgraph_beta is not in it
				assert.equal(r.error, null);
				assert.equal(r.calls.length, 1);
				assert.equal(r.calls[0].method, c.method.toLowerCase());
				assert.equal(/^result = await /m.test(code), r.calls[0].returns !== null, 'keeps a result exactly when the SDK method returns one');
				assert.deepEqual(r.calls[0].body, c.body ?? null);
				for (const m of code.matchAll(/^from (msgraph\.generated\.[\w.]+) import (\w+)$/gm)) {
					const known = Object.values(python.types).some((t) => t.module === m[1]) || Object.values(python.requestBodies).some((b) => b.module === m[1] && b.name === m[2]);
					assert.ok(known, `${m[1]} is no SDK module`);
				}
			});
		}
	});

	it('the Python check catches what fails at run time (the transfer code before the fix)', () => {
		const old = [
			'from msgraph.generated.communications.calls.item.transfer.transfer_post_request_body import TransferPostRequestBody',
			'from msgraph.generated.models.invitation_participant_info import InvitationParticipantInfo',
			'from msgraph.generated.models.endpoint_type import EndpointType',
			'request_body = TransferPostRequestBody(transfer_target = InvitationParticipantInfo(endpoint_type = EndpointType.Default), client_context = "x")',
			"await graph_client.communications.calls.by_call_id('1').transfer.post(request_body)",
		].join('\n');
		const r = spawnSync('python3', [path.join(root, 'test/unit/pythonSdkStub.py')], { input: JSON.stringify({ fixture: python, snippets: [{ id: 'old', code: old }] }), encoding: 'utf8' });
		assert.match(JSON.parse(r.stdout)[0].error, /InvitationParticipantInfo\.__init__\(\) got an unexpected keyword argument 'endpoint_type'/);
	});

	describe('JavaScript: parses in Node and posts the request body', () => {
		for (const c of CASES) {
			it(c.id, () => {
				const code = generateCode('javascript', c);
				assert.doesNotThrow(() => new vm.Script(`(async () => {\n${code}\n})`, { filename: `${c.id}.js` }));
				const sent: { url: string; method: string; body?: unknown }[] = [];
				const request = (url: string) => {
					const r = {
						version: () => r,
						header: () => r,
						get: async () => void sent.push({ url, method: 'GET' }),
						delete: async () => void sent.push({ url, method: 'DELETE' }),
						post: async (body?: unknown) => void sent.push({ url, method: 'POST', body }),
						update: async (body?: unknown) => void sent.push({ url, method: 'PATCH', body }),
						put: async (body?: unknown) => void sent.push({ url, method: 'PUT', body }),
					};
					return r;
				};
				const context = vm.createContext({ Client: { init: () => ({ api: request }) }, authProvider: {} });
				return (new vm.Script(`(async () => {\n${code}\n})()`).runInContext(context) as Promise<void>).then(() => {
					assert.equal(sent.length, 1);
					assert.equal(sent[0].method, c.method);
					assert.equal(sent[0].url, c.url.replace(/^\/beta/, ''));
					// The body crossed a vm realm: compare its JSON.
					assert.deepEqual(JSON.parse(JSON.stringify(sent[0].body ?? null)), c.body ?? null);
				});
			});
		}
	});
});
