/**
 * Copy as Code's PowerShell against the PowerShell SDK's own cmdlets: test/fixtures/sdk-models/powershell-v1.0.json and
 * powershell-beta.json hold every calls cmdlet's module and parameter sets, read from the SDK's generated help pages
 * (MicrosoftDocs/microsoftgraph-docs-powershell, commits per cmdlet) by test/scripts/refreshPowershellCmdlets.js.
 * Every generated script is parsed with tree-sitter's PowerShell grammar and checked structurally against them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { generateCode } from '../../src/core/requests/code';
import { idNames } from '../../src/core/requests/code/graphModel';
import { POWERSHELL_CMDLETS } from '../../src/core/requests/code/powershellCmdletTable';
import { matchEndpoint } from '../../src/core/schema/endpointMatch';
import { ENDPOINTS } from '../../src/core/schema/endpoints';
import { CALL, CASES, type Case } from './codegenCases';
import { checkPowershell, parsePowershell, powershellParser, type PowershellFixture } from './powershellCmdletCheck';

const root = path.resolve(__dirname, '../../..');
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/sdk-models', file), 'utf8')) as PowershellFixture;
const v1 = load('powershell-v1.0.json');
const beta = load('powershell-beta.json');
// The script is plain Node (run without a build); the test loads it as such.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(path.join(root, 'test/scripts/refreshPowershellCmdlets.js')) as {
	parseHelpPage(text: string, cmdlet: string): { module: string; defaultParameterSet: string; parameterSets: Record<string, Record<string, { type: string; required: boolean }>>; examples: string[] };
	cmdletTable(fixtures: PowershellFixture[]): unknown;
};

const MODULE = { 'v1.0': 'Microsoft.Graph.CloudCommunications', beta: 'Microsoft.Graph.Beta.CloudCommunications' } as const;

/** Requests the SDK cases do not cover: query options, headers, bodies no cmdlet takes, beta and its /app/calls alias. */
const EXTRA: readonly (Case & { readonly headers?: Record<string, string>; readonly fallback?: boolean })[] = [
	{ id: 'list-participants-query', method: 'GET', url: `${CALL}/participants?$select=id,info&$filter=isMuted eq true&$top=5&$skip=5&$orderby=id desc&$expand=info`, beta: false },
	{ id: 'get-participant-select', method: 'GET', url: `${CALL}/participants/a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b?$select=id`, beta: false },
	{ id: 'get-call-select', method: 'GET', url: `${CALL}?$select=state,direction`, beta: false },
	{ id: 'list-with-count', method: 'GET', url: `${CALL}/participants?$count=true`, beta: false, fallback: true },
	{ id: 'get-participant-top', method: 'GET', url: `${CALL}/participants/a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b?$top=1`, beta: false, fallback: true },
	{ id: 'top-not-a-number', method: 'GET', url: `${CALL}/participants?$top=five`, beta: false, fallback: true },
	{ id: 'unknown-query', method: 'GET', url: `${CALL}?foo=bar`, beta: false, fallback: true },
	{ id: 'keep-alive-with-body', method: 'POST', url: `${CALL}/keepAlive`, body: {}, beta: false, fallback: true },
	{ id: 'get-with-body', method: 'GET', url: CALL, body: { a: 1 }, beta: false, fallback: true },
	{ id: 'array-body', method: 'POST', url: `${CALL}/playPrompt`, body: [1, 2], beta: false, fallback: true },
	{ id: 'play-prompt-header', method: 'POST', url: `${CALL}/playPrompt`, body: { clientContext: 'x' }, headers: { 'x-ms-client-tag': 'a' }, beta: false },
	{ id: 'delete-header', method: 'DELETE', url: CALL, headers: { 'If-Match': 'W/"1"' }, beta: false },
	{ id: 'beta-app-alias', method: 'POST', url: '/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/mute', body: { clientContext: 'x' }, beta: true },
	{ id: 'outside-calls-api', method: 'GET', url: 'https://graph.microsoft.com/v1.0/me', beta: false, fallback: true },
];

/** Every case once as it is and, for the v1.0 ones, once more on beta. */
const ALL: readonly (Case & { readonly headers?: Record<string, string>; readonly fallback?: boolean })[] = [
	...CASES,
	...CASES.filter((c) => !c.beta).map((c) => ({ ...c, id: `beta-${c.id}`, url: `/beta${c.url}`, beta: true })),
	...EXTRA,
];

describe('requests: Copy as Code PowerShell against the PowerShell SDK cmdlets', () => {
	let parser: Parser;
	before(async function () {
		this.timeout(30_000);
		parser = await powershellParser(root);
	});

	it('the fixtures name the help page and commit of every cmdlet, and the generator reads the same parameter sets', () => {
		for (const [name, c] of [...Object.entries(v1.cmdlets), ...Object.entries(beta.cmdlets)]) {
			assert.match(c.commit ?? '', /^[0-9a-f]{40}$/, name);
			assert.ok(c.file.endsWith(`/${name}.md`), name);
			assert.ok(c.parameterSets[c.defaultParameterSet], name);
		}
		assert.deepEqual(POWERSHELL_CMDLETS, script.cmdletTable([v1, beta]), 'src/core/requests/code/powershellCmdletTable.ts is stale: run test/scripts/refreshPowershellCmdlets.js');
	});

	it('every cmdlet of the endpoint table is in the SDK, in the right module, and takes the ids the generator names', () => {
		let checked = 0;
		for (const row of ENDPOINTS) {
			for (const [version, name] of [['v1.0', row.cmdlets.v1], ['beta', row.cmdlets.beta]] as const) {
				if (!name) continue;
				const entry = (version === 'beta' ? beta : v1).cmdlets[name];
				assert.ok(entry, `${row.action} ${version}: ${name} is not in the PowerShell SDK`);
				assert.equal(entry.module, MODULE[version], name);
				const ids = [...row.path.matchAll(/\{(\w+)\}/g)].map((m) => idNames(m[1]).powershell);
				// A set that takes exactly these ids (and maybe a body) as its required parameters.
				const fits = Object.values(entry.parameterSets).some((ps) => {
					const required = Object.entries(ps).filter(([, p]) => p.required).map(([p]) => p).filter((p) => p !== 'BodyParameter');
					return required.length === ids.length && ids.every((id) => ps[id]?.required && ps[id].type.toLowerCase() === 'string');
				});
				assert.ok(fits, `${name} has no parameter set whose required ids are ${ids.join(', ')}`);
				checked++;
			}
		}
		assert.equal(checked, ENDPOINTS.reduce((n, r) => n + r.versions.length, 0));
	});

	it('the help pages\' own examples parse and use their cmdlet\'s parameters', () => {
		let examples = 0;
		for (const fixture of [v1, beta]) {
			for (const [name, c] of Object.entries(fixture.cmdlets)) {
				for (const line of c.examples) {
					const parsed = parsePowershell(parser, line);
					assert.equal(parsed.error, undefined, line);
					const args = [...parsed.calls[0].args.keys()].filter((k) => !k.startsWith('#'));
					assert.ok(Object.values(c.parameterSets).some((ps) => args.every((a) => ps[a])), `${name}: ${line}`);
					examples++;
				}
			}
		}
		assert.ok(examples > 80, `${examples} examples`);
	});

	it('the Graph docs\' PowerShell snippets call the SDK\'s cmdlets the endpoint table names, except the one listed', () => {
		const differences: string[] = [];
		let agreed = 0;
		for (const [version, fixture] of [['v1.0', v1], ['beta', beta]] as const) {
			const named = new Set(ENDPOINTS.map((r) => (version === 'beta' ? r.cmdlets.beta : r.cmdlets.v1)));
			for (const [name, snippet] of Object.entries(fixture.graphDocsSnippets?.snippets ?? {})) {
				assert.match(snippet.commit ?? '', /^[0-9a-f]{40}$/, name);
				const code = `Import-Module ${snippet.module}\n\n$params = @{}\n\n${snippet.line}\n`;
				const result = checkPowershell(parser, code, fixture, v1);
				if (result.problems.length) {
					differences.push(`${version} ${name}: ${result.problems.join('; ')}`);
					continue;
				}
				assert.ok(named.has(result.calls[0].cmdlet), `${version} ${name}: ${result.calls[0].cmdlet} is not the endpoint table's cmdlet for any action`);
				agreed++;
			}
		}
		// The beta page's snippet still names the cmdlet of an older v1.0 module; the beta SDK's is Invoke-MgBeta...
		assert.deepEqual(differences, ['beta participant-muteall: Invoke-MgMuteAllCommunicationCallParticipant is no cmdlet of the SDK\'s help pages']);
		assert.ok(agreed >= 20, `${agreed} snippets agree`);
		assert.equal(beta.cmdlets['Invoke-MgBetaMuteAllCommunicationCallParticipant']?.module, 'Microsoft.Graph.Beta.CloudCommunications');
	});

	describe('every generated script parses and calls a cmdlet of the SDK with a parameter set it has', () => {
		for (const c of ALL) {
			it(c.id, () => {
				const code = generateCode('powershell', { method: c.method, url: c.url, body: c.body, headers: c.headers });
				const result = checkPowershell(parser, code, c.beta ? beta : v1, v1);
				assert.deepEqual(result.problems, [], code);
				const call = result.calls[0];
				const match = matchEndpoint(c.method, c.url);
				const expected = match ? (match.version === 'beta' ? match.row.cmdlets.beta : match.row.cmdlets.v1) : undefined;
				if (c.fallback || !expected) {
					assert.equal(call.cmdlet, 'Invoke-MgGraphRequest');
					assert.equal(call.args.get('Method'), c.method);
					return;
				}
				assert.equal(call.cmdlet, expected, 'the endpoint table\'s cmdlet for the version');
				assert.equal(result.imports[0], MODULE[match!.version]);
				// The ids in path order, named as the cmdlet names them, each from its own variable.
				const ids = Object.keys(match!.params).map((p) => idNames(p).powershell);
				assert.deepEqual([...call.args.keys()].filter((k) => ids.includes(k)), ids);
				for (const id of ids) assert.equal(call.args.get(id), `$${id.charAt(0).toLowerCase()}${id.slice(1)}`);
				assert.equal(call.args.has('BodyParameter'), c.body !== undefined);
				assert.equal(call.args.has('Headers'), c.headers !== undefined);
			});
		}
	});

	it('maps OData query options onto the Get cmdlets\' parameters, and keeps the rest on Invoke-MgGraphRequest', () => {
		const list = generateCode('powershell', { method: 'GET', url: EXTRA[0].url });
		assert.match(list, /^Get-MgCommunicationCallParticipant -CallId \$callId -Property "id","info" -Filter "isMuted eq true" -Top 5 -Skip 5 -Sort "id desc" -ExpandProperty "info"$/m);
		const count = generateCode('powershell', { method: 'GET', url: `${CALL}/participants?$count=true` });
		assert.match(count, /^Invoke-MgGraphRequest -Method GET -Uri "https:\/\/graph\.microsoft\.com\/v1\.0\/communications\/calls\/57dab8b1-894c-409a-b240-bd8beae78896\/participants\?`\$count=true"$/m);
	});

	it('the check catches what the SDK lacks (keepAlive with -BodyParameter, the generator before the fix)', () => {
		const old = ['Import-Module Microsoft.Graph.CloudCommunications', '', '$callId = "1"', '', '$params = @{}', '', 'Invoke-MgKeepCommunicationCallAlive -CallId $callId -BodyParameter $params', ''].join('\n');
		assert.deepEqual(checkPowershell(parser, old, v1, v1).problems, ['Invoke-MgKeepCommunicationCallAlive: no parameter set takes exactly -CallId -BodyParameter (sets: Keep, KeepViaIdentity)']);
		const wrongModule = old.replace('Microsoft.Graph.CloudCommunications', 'Microsoft.Graph.Beta.CloudCommunications').replace(' -BodyParameter $params', '');
		assert.deepEqual(checkPowershell(parser, wrongModule, v1, v1).problems, ['imports Microsoft.Graph.Beta.CloudCommunications, but Invoke-MgKeepCommunicationCallAlive is in Microsoft.Graph.CloudCommunications']);
		const broken = 'Import-Module Microsoft.Graph.CloudCommunications\n$params = @{\n\ta = "x\n}\nGet-MgCommunicationCall -CallId $callId\n';
		assert.match(checkPowershell(parser, broken, v1, v1).problems[0], /^does not parse: line \d+/);
	});

	it('the refresh script reads a help page\'s module, parameter sets (required, optional, switches) and examples', () => {
		// Invoke-MgPlayCommunicationCallPrompt.md in MicrosoftDocs/microsoftgraph-docs-powershell at 003d9102, abridged.
		const page = [
			'---', 'document type: cmdlet', 'Module Name: Microsoft.Graph.CloudCommunications', '---', '', '## SYNTAX', '', '### PlayExpanded (Default)', '', '```',
			'Invoke-MgPlayCommunicationCallPrompt -CallId <string> [-ResponseHeadersVariable <string>]',
			' [-AdditionalProperties <hashtable>] [-ClientContext <string>] [-Prompts <IMicrosoftGraphPrompt[]>] [-WhatIf] [<CommonParameters>]',
			'```', '', '### Play', '', '```',
			'Invoke-MgPlayCommunicationCallPrompt -CallId <string>',
			' -BodyParameter <IPaths1Gzqcv2CommunicationsCallsCallIdMicrosoftGraphPlaypromptPostRequestbodyContentApplicationJsonSchema>',
			' [-ResponseHeadersVariable <string>] [<CommonParameters>]',
			'```', '', '## ALIASES', '', '## EXAMPLES', '', '### EXAMPLE 1', '', 'Import-Module Microsoft.Graph.CloudCommunications', '',
			'Invoke-MgPlayCommunicationCallPrompt -CallId $callId -BodyParameter $params', '', '## PARAMETERS', '',
		].join('\n');
		const parsed = script.parseHelpPage(page, 'Invoke-MgPlayCommunicationCallPrompt');
		assert.equal(parsed.module, 'Microsoft.Graph.CloudCommunications');
		assert.equal(parsed.defaultParameterSet, 'PlayExpanded');
		assert.deepEqual(parsed.parameterSets.Play, {
			CallId: { type: 'string', required: true },
			BodyParameter: { type: 'IPaths1Gzqcv2CommunicationsCallsCallIdMicrosoftGraphPlaypromptPostRequestbodyContentApplicationJsonSchema', required: true },
			ResponseHeadersVariable: { type: 'string', required: false },
		});
		assert.deepEqual(Object.keys(parsed.parameterSets.PlayExpanded), ['CallId', 'ResponseHeadersVariable', 'AdditionalProperties', 'ClientContext', 'Prompts', 'WhatIf']);
		assert.deepEqual(parsed.parameterSets.PlayExpanded.WhatIf, { type: 'switch', required: false });
		assert.deepEqual(parsed.examples, ['Invoke-MgPlayCommunicationCallPrompt -CallId $callId -BodyParameter $params']);
		// Invoke-MgGraphRequest.md: one unnamed set and positional parameters.
		const request = script.parseHelpPage(['Module Name: Microsoft.Graph.Authentication', '## SYNTAX', '```', 'Invoke-MgGraphRequest [[-Method] <GraphRequestMethod>] [-Uri] <Uri> [[-Body] <Object>] [-PassThru]', '```', '## DESCRIPTION'].join('\n'), 'Invoke-MgGraphRequest');
		assert.deepEqual(request.parameterSets.__AllParameterSets, { Method: { type: 'GraphRequestMethod', required: false }, Uri: { type: 'Uri', required: true }, Body: { type: 'Object', required: false }, PassThru: { type: 'switch', required: false } });
	});
});
