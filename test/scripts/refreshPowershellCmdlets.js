#!/usr/bin/env node
// Refreshes test/fixtures/sdk-models/powershell-v1.0.json and powershell-beta.json, the Microsoft Graph PowerShell
// cmdlets Copy as Code writes (their modules, parameter sets, parameter names and types, and the examples on their
// help pages), and src/core/requests/code/powershellCmdletTable.ts, the part of them the generator reads.
// The source is the PowerShell SDK's generated help, MicrosoftDocs/microsoftgraph-docs-powershell. No network:
//
//   node test/scripts/refreshPowershellCmdlets.js <microsoftgraph-docs-powershell clone, bare git dir or plain dir>
//       [--graph-docs <microsoft-graph-docs-contrib clone, bare git dir or plain dir>]
//
// From a git dir the files are read at HEAD and every cmdlet records that commit. From a plain directory laid out like
// the repository the commit of each file comes from SOURCE-COMMITS.json at its root ({ "<path>": "<commit>" }).
//
// What is read: every calls cmdlet of Microsoft.Graph[.Beta].CloudCommunications (the noun starts with
// Mg[Beta]CommunicationCall, call records excluded) and Invoke-MgGraphRequest of Microsoft.Graph.Authentication.
// From each help page: the module (front matter), every parameter set of the SYNTAX section with its parameters, their
// types and whether they are required, and the command lines of the EXAMPLES section. Only names and types are kept.
// With --graph-docs, the Graph docs' PowerShell snippets that call a calls cmdlet are recorded too (the module they
// import and their command line), to compare the docs with the SDK.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { openSource } = require('./sourceTree');

const DOCS_REPO = 'MicrosoftDocs/microsoftgraph-docs-powershell';
const GRAPH_DOCS_REPO = 'microsoftgraph/microsoft-graph-docs-contrib';
const SNIPPETS = { 'v1.0': 'api-reference/v1.0/includes/snippets/powershell/', beta: 'api-reference/beta/includes/snippets/powershell/' };
const OUT_DIR = path.resolve(__dirname, '../fixtures/sdk-models');
const TABLE = path.resolve(__dirname, '../../src/core/requests/code/powershellCmdletTable.ts');
const VERSIONS = {
	'v1.0': { dirs: ['microsoftgraph/graph-powershell-1.0/Microsoft.Graph.CloudCommunications/', 'microsoftgraph/graph-powershell-1.0/Microsoft.Graph.Authentication/'] },
	beta: { dirs: ['microsoftgraph/graph-powershell-beta/Microsoft.Graph.Beta.CloudCommunications/'] },
};
/** The calls API cmdlets (calls, participants, operations, audio routing groups, content sharing sessions), not call records. */
const CALLS_CMDLET = /^[A-Z][a-z]+-Mg(?:Beta)?\w*CommunicationCall(?!Record(?!ing))\w*$/;
const WANTED = (name) => CALLS_CMDLET.test(name) || name === 'Invoke-MgGraphRequest';
/** Parameters every generated cmdlet has in every set, for debugging and the HTTP pipeline; the generator never writes them. */
const INFRASTRUCTURE = new Set(['ResponseHeadersVariable', 'Break', 'HttpPipelineAppend', 'HttpPipelinePrepend', 'Proxy', 'ProxyCredential', 'ProxyUseDefaultCredentials', 'PassThru', 'WhatIf', 'Confirm', 'ProgressAction']);

/** The text of a `## HEADING` section, up to the next `## ` heading. */
function section(text, heading) {
	const m = new RegExp(`^## ${heading}[ \\t]*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(text);
	return m ? m[1] : '';
}

/**
 * The parameters of a syntax block, with their types and whether they are required. A parameter is optional when it
 * sits inside brackets: `[-Name <type>]`, the switch `[-Name]`, the positional `[[-Name] <type>]`. The bracket of a
 * positional name alone (`[-Name] <type>`) does not make it optional. `[<CommonParameters>]` is not a parameter.
 */
function parseSyntax(code) {
	const params = {};
	const text = code.replace(/\s+/g, ' ').trim();
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '[') depth++;
		else if (ch === ']') depth--;
		else if (ch === '-' && (i === 0 || /[\s[]/.test(text[i - 1]))) {
			const m = /^-(\w+)(\] <([^>]+)>| <([^>]+)>)?/.exec(text.slice(i));
			if (!m) continue;
			const positional = m[1] !== undefined && m[2]?.startsWith(']');
			params[m[1]] = { type: m[3] ?? m[4] ?? 'switch', required: (positional ? depth - 1 : depth) === 0 };
			if (positional) depth--;
			i += m[0].length - 1;
		}
	}
	return params;
}

/** Cmdlet help page -> module, parameter sets in the order the page lists them (the default first) and example lines. */
function parseHelpPage(text, cmdlet) {
	const module = /^Module Name:[ \t]*(\S+)/m.exec(text)?.[1];
	if (!module) throw new Error(`${cmdlet}: no "Module Name" in the front matter`);
	const syntax = section(text, 'SYNTAX');
	const sets = {};
	let defaultSet;
	const named = [...syntax.matchAll(/^### (\w+)( \(Default\))?\s*\n\s*```[^\n]*\n([\s\S]*?)```/gm)];
	if (named.length) {
		for (const m of named) {
			sets[m[1]] = parseSyntax(m[3].replace(new RegExp(`^\\s*${cmdlet}\\b`), ''));
			if (m[2]) defaultSet = m[1];
		}
		defaultSet ??= named[0][1];
	} else {
		// A cmdlet with a single parameter set has no set heading.
		const m = /```[^\n]*\n([\s\S]*?)```/.exec(syntax);
		if (!m) throw new Error(`${cmdlet}: no syntax block`);
		sets.__AllParameterSets = parseSyntax(m[1].replace(new RegExp(`^\\s*${cmdlet}\\b`), ''));
		defaultSet = '__AllParameterSets';
	}
	const examples = section(text, 'EXAMPLES')
		.split('\n')
		.map((l) => l.replace(/^PS [^>]*>\s*/, '').trim())
		.filter((l) => new RegExp(`^${cmdlet}\\b`).test(l));
	return { module, defaultParameterSet: defaultSet, parameterSets: sets, examples };
}

function extract(source, version) {
	const cmdlets = {};
	for (const dir of VERSIONS[version].dirs) {
		for (const file of source.list(dir).filter((f) => f.endsWith('.md')).sort()) {
			const name = path.posix.basename(file, '.md');
			if (!WANTED(name)) continue;
			cmdlets[name] = { file, commit: source.commit(file), ...parseHelpPage(source.read(file), name) };
		}
	}
	return cmdlets;
}

/** The docs' PowerShell snippets of one version that call a calls cmdlet: the module they import and the command line. */
function extractSnippets(source, version) {
	const snippets = {};
	for (const file of source.list(SNIPPETS[version]).filter((f) => f.endsWith('-powershell-snippets.md')).sort()) {
		const text = source.read(file);
		const line = text.split('\n').map((l) => l.trim()).find((l) => WANTED(l.split(' ')[0]));
		if (!line) continue;
		const module = /^Import-Module[ \t]+(\S+)/m.exec(text)?.[1] ?? null;
		snippets[path.posix.basename(file, '-powershell-snippets.md')] = { file, commit: source.commit(file), module, line };
	}
	return snippets;
}

/** What the generator needs: per cmdlet its module and, per set it can use (not the ViaIdentity ones), the parameters. */
function cmdletTable(fixtures) {
	const table = {};
	for (const fixture of fixtures) {
		for (const [name, c] of Object.entries(fixture.cmdlets)) {
			const sets = Object.entries(c.parameterSets).filter(([, ps]) => !ps.InputObject);
			table[name] = {
				module: c.module,
				sets: Object.fromEntries(sets.map(([set, ps]) => [set, Object.entries(ps).filter(([p]) => !INFRASTRUCTURE.has(p)).map(([p, v]) => `${v.required ? '!' : ''}${p}`)])),
			};
		}
	}
	return table;
}

function writeTable(fixtures) {
	const q = (s) => `'${s}'`;
	const lines = [
		'/**',
		' * The Microsoft Graph PowerShell cmdlets Copy as Code writes: each cmdlet\'s module and the parameter sets it can',
		' * call (those taking ids, not -InputObject), each listing its parameters with the required ones marked `!`.',
		' * Debugging and pipeline parameters every set has are left out. Generated by test/scripts/refreshPowershellCmdlets.js',
		` * from ${DOCS_REPO} (commits per cmdlet in test/fixtures/sdk-models/powershell-*.json); do not edit by hand.`,
		' */',
		'export interface PowershellCmdlet {',
		'\treadonly module: string;',
		'\t/** Set name -> parameter names, `!` before a required one; the default set first. */',
		'\treadonly sets: Readonly<Record<string, readonly string[]>>;',
		'}',
		'',
		'export const POWERSHELL_CMDLETS: Readonly<Record<string, PowershellCmdlet>> = {',
		...Object.entries(cmdletTable(fixtures)).map(([name, c]) => `\t${q(name)}: { module: ${q(c.module)}, sets: { ${Object.entries(c.sets).map(([set, ps]) => `${set}: [${ps.map(q).join(', ')}]`).join(', ')} } },`),
		'};',
		'',
	];
	fs.writeFileSync(TABLE, lines.join('\n'));
	console.log(`${path.relative(process.cwd(), TABLE)}: the generator's table`);
}

function main(argv) {
	const args = argv.slice(2);
	const docsIndex = args.indexOf('--graph-docs');
	const graphDocs = docsIndex >= 0 ? openSource(path.resolve(args.splice(docsIndex, 2)[1])) : undefined;
	if (args.length !== 1) {
		console.error('usage: node test/scripts/refreshPowershellCmdlets.js <microsoftgraph-docs-powershell clone, git dir or plain dir> [--graph-docs <microsoft-graph-docs-contrib clone, git dir or plain dir>]');
		return 2;
	}
	const source = openSource(path.resolve(args[0]));
	const fixtures = [];
	for (const version of Object.keys(VERSIONS)) {
		const cmdlets = extract(source, version);
		if (!Object.keys(cmdlets).length) {
			console.error(`${version}: no calls cmdlet help pages under ${VERSIONS[version].dirs.join(', ')} in ${args[0]}; its fixture is left as it is`);
			continue;
		}
		const file = path.join(OUT_DIR, `powershell-${version}.json`);
		const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
		// Without --graph-docs the snippets recorded before are kept.
		const graphDocsSnippets = graphDocs ? { repo: GRAPH_DOCS_REPO, snippets: extractSnippets(graphDocs, version) } : previous.graphDocsSnippets;
		const fixture = { extractedBy: 'test/scripts/refreshPowershellCmdlets.js', source: { repo: DOCS_REPO, note: 'Each cmdlet names the help page and commit it was read from.' }, cmdlets, ...(graphDocsSnippets ? { graphDocsSnippets } : {}) };
		fixtures.push({ version, ...fixture });
		fs.mkdirSync(OUT_DIR, { recursive: true });
		// One line per parameter keeps the fixture readable in a diff.
		const json = JSON.stringify(fixture, null, '\t').replace(/\{\n\t+"type": ("[^"]*"),\n\t+"required": (true|false)\n\t+\}/g, '{ "type": $1, "required": $2 }');
		fs.writeFileSync(file, `${json}\n`);
		const commits = new Set(Object.values(cmdlets).map((c) => c.commit));
		console.log(`${path.relative(process.cwd(), file)}: ${Object.keys(cmdlets).length} cmdlets from ${DOCS_REPO} at ${[...commits].map((c) => (c ?? 'unknown').slice(0, 12)).join(', ')}`);
	}
	if (!fixtures.length) return 2;
	// The table covers every version: a version not refreshed keeps the cmdlets its fixture already has.
	for (const version of Object.keys(VERSIONS)) {
		const file = path.join(OUT_DIR, `powershell-${version}.json`);
		if (!fixtures.some((f) => f.version === version) && fs.existsSync(file)) fixtures.push({ version, ...JSON.parse(fs.readFileSync(file, 'utf8')) });
	}
	writeTable(fixtures.sort((a, b) => a.version.localeCompare(b.version)).reverse());
	return 0;
}

if (require.main === module) {
	try {
		process.exitCode = main(process.argv);
	} catch (err) {
		console.error(err instanceof Error ? err.message : err);
		process.exitCode = 1;
	}
}

module.exports = { parseHelpPage, parseSyntax, cmdletTable };
