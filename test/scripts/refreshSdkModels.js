#!/usr/bin/env node
// Refreshes test/fixtures/sdk-models/*.json: the names and property types of the SDK model classes Copy as Code
// writes, read from the SDKs' own generated files. No network: give it local clones or bare git directories.
//
//   node test/scripts/refreshSdkModels.js --dotnet <msgraph-sdk-dotnet> --python <msgraph-sdk-python>
//
// The PowerShell cmdlets have their own script: test/scripts/refreshPowershellCmdlets.js.
//
// A path is read with `git --git-dir=<path> show HEAD:<file>` when it is a git directory (bare, or a clone's .git),
// otherwise as a work tree. The commit each fixture came from is recorded in it.
//
// What is extracted: every request-body class under communications/calls, the call resources, and every model or
// enum they reach through a property, plus the subclasses of those models (a body carries `@odata.type` to pick
// one: mediaPrompt for prompt, serviceHostedMediaConfig for mediaConfig, ...). Only names and types are kept.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const OUT_DIR = path.resolve(__dirname, '../fixtures/sdk-models');
/** Resources the calls API returns or takes as a whole body, besides the action bodies. */
const ROOT_MODELS = ['Call', 'Participant', 'CommsOperation', 'ContentSharingSession', 'AudioRoutingGroup', 'CommsNotifications', 'TeleconferenceDeviceQuality'];
/** Subclasses of these are not followed: every entity derives from Entity. */
const NO_SUBCLASSES = new Set(['Entity']);

function args() {
	const out = {};
	const argv = process.argv.slice(2);
	for (let i = 0; i < argv.length; i++) {
		const m = /^--(dotnet|python)$/.exec(argv[i]);
		if (!m || !argv[i + 1]) throw new Error(`Usage: refreshSdkModels.js --dotnet <dir> --python <dir> (bad argument ${argv[i]})`);
		out[m[1]] = path.resolve(argv[++i]);
	}
	if (!out.dotnet && !out.python) throw new Error('Give at least one of --dotnet, --python.');
	return out;
}

/** Read access to one repository, a git directory or a work tree. */
function repoReader(dir) {
	const isGitDir = fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'));
	const gitDir = isGitDir ? dir : path.join(dir, '.git');
	const git = (...a) => execFileSync('git', [`--git-dir=${gitDir}`, ...a], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
	const commit = git('rev-parse', 'HEAD').trim();
	const committedAt = git('log', '-1', '--format=%cI', 'HEAD').trim();
	let files;
	return {
		commit,
		committedAt,
		list(prefix) {
			files ??= git('ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean);
			return files.filter((f) => f.startsWith(prefix));
		},
		read(file) {
			if (!isGitDir) return fs.readFileSync(path.join(dir, file), 'utf8');
			return git('show', `HEAD:${file}`);
		},
	};
}

const repoName = (dir, fallback) => {
	try {
		const url = execFileSync('git', [`--git-dir=${fs.existsSync(path.join(dir, 'objects')) ? dir : path.join(dir, '.git')}`, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8' }).trim();
		const m = /github\.com[/:]([^/]+\/[^/.]+)/.exec(url);
		if (m) return m[1];
	} catch {
		// no remote recorded: use the known name
	}
	return fallback;
};

/** Walks from the roots through property types and subclasses; `parse(name)` returns a type or undefined. */
function closure(roots, parse, subclassesOf) {
	const types = {};
	const queue = [...roots];
	while (queue.length) {
		const name = queue.shift();
		if (types[name]) continue;
		const t = parse(name);
		if (!t) continue;
		types[name] = t;
		if (t.kind !== 'model') continue;
		if (t.base) queue.push(t.base);
		for (const p of Object.values(t.properties)) queue.push(p.type.replace(/\[\]$/, ''));
		if (!NO_SUBCLASSES.has(name)) queue.push(...subclassesOf(name));
	}
	return Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b)));
}

/** Flattens inherited properties into each model, keeping `base` to say where they came from. */
function flatten(types) {
	const own = Object.fromEntries(Object.entries(types).map(([n, t]) => [n, t.kind === 'model' ? { ...t.properties } : undefined]));
	for (const [name, t] of Object.entries(types)) {
		if (t.kind !== 'model') continue;
		const chain = [];
		for (let b = t.base; b && types[b]; b = types[b].base) chain.unshift(b);
		t.properties = Object.assign({}, ...chain.map((b) => own[b]), own[name]);
		t.properties = Object.fromEntries(Object.entries(t.properties).sort(([a], [b]) => a.localeCompare(b)));
	}
	return types;
}

// ---- .NET (Microsoft.Graph, Kiota): GetFieldDeserializers and enum members ----

const DOTNET_MODELS = 'src/Microsoft.Graph/Generated/Models/';
const DOTNET_CALLS = 'src/Microsoft.Graph/Generated/Communications/Calls/';
const DOTNET_PRIMITIVE = { GetStringValue: 'string', GetBoolValue: 'bool', GetIntValue: 'int', GetLongValue: 'long', GetDoubleValue: 'double', GetFloatValue: 'float', GetDecimalValue: 'decimal', GetDateTimeOffsetValue: 'DateTimeOffset', GetGuidValue: 'Guid', GetByteArrayValue: 'byte[]', GetDateValue: 'Date', GetTimeValue: 'Time', GetTimeSpanValue: 'TimeSpan', GetByteValue: 'byte', GetSbyteValue: 'sbyte' };

function dotnetType(expr) {
	const short = (full) => full.replace(/^global::/, '').split('.').pop();
	let m = /n\.(GetObjectValue|GetEnumValue)<([\w.:]+)>/.exec(expr);
	if (m) return short(m[2]);
	m = /n\.GetCollectionOf(?:Object|Enum)Values<([\w.:]+)>/.exec(expr);
	if (m) return `${short(m[1])}[]`;
	m = /n\.GetCollectionOfPrimitiveValues<([\w.:?]+)>/.exec(expr);
	if (m) return `${m[1].replace(/\?$/, '')}[]`;
	m = /n\.(\w+)\(/.exec(expr);
	if (m && DOTNET_PRIMITIVE[m[1]]) return DOTNET_PRIMITIVE[m[1]];
	throw new Error(`Unknown .NET deserializer: ${expr}`);
}

function parseDotnet(text, file) {
	const enumMatch = /public enum (\w+)/.exec(text);
	if (enumMatch) {
		const members = {};
		for (const m of text.matchAll(/\[EnumMember\(Value = "([^"]*)"\)\]\s*(?:#pragma[^\n]*\n\s*)?(\w+)/g)) members[m[1]] = m[2];
		return { kind: 'enum', file, members };
	}
	const cls = /public partial class (\w+)\s*:\s*([^\n{]+)/.exec(text);
	if (!cls) return undefined;
	const baseMatch = /global::Microsoft\.Graph\.Models\.(\w+)/.exec(cls[2].split(',')[0]);
	const properties = {};
	for (const m of text.matchAll(/\{ "([^"]+)", n => \{ (\w+) = (.+?); \} \},/g)) properties[m[1]] = { name: m[2], type: dotnetType(m[3]) };
	const ns = /namespace ([\w.]+)/.exec(text)[1];
	return { kind: 'model', file, namespace: ns, ...(baseMatch ? { base: baseMatch[1] } : {}), additionalData: /IAdditionalDataHolder/.test(text) || !!baseMatch, properties };
}

function extractDotnet(dir) {
	const repo = repoReader(dir);
	const modelFiles = repo.list(DOTNET_MODELS).filter((f) => f.endsWith('.cs') && !f.slice(DOTNET_MODELS.length).includes('/'));
	const byName = new Map(modelFiles.map((f) => [path.basename(f, '.cs'), f]));
	const bodyFiles = repo.list(DOTNET_CALLS).filter((f) => /PostRequestBody\.cs$/.test(f));
	// Subclasses: a model file whose class line names the base. One pass over the class lines only.
	const subclasses = new Map();
	const cache = new Map();
	const readModel = (name) => {
		if (!cache.has(name)) cache.set(name, byName.has(name) ? parseDotnet(repo.read(byName.get(name)), byName.get(name)) : undefined);
		return cache.get(name);
	};
	const grepped = execFileSync('git', [`--git-dir=${fs.existsSync(path.join(dir, 'objects')) ? dir : path.join(dir, '.git')}`, 'grep', '-h', '-E', 'public partial class \\w+ : global::Microsoft\\.Graph\\.Models\\.\\w+', 'HEAD', '--', DOTNET_MODELS], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	for (const m of grepped.matchAll(/public partial class (\w+) : global::Microsoft\.Graph\.Models\.(\w+)/g)) {
		if (!subclasses.has(m[2])) subclasses.set(m[2], []);
		subclasses.get(m[2]).push(m[1]);
	}
	const bodies = {};
	for (const f of bodyFiles) {
		const t = parseDotnet(repo.read(f), f);
		const name = path.basename(f, '.cs');
		// Two actions share a class name (call mute and participant mute): key bodies by their namespace.
		bodies[t.namespace] = { ...t, name };
	}
	const types = flatten(closure([...ROOT_MODELS, ...Object.values(bodies).flatMap((b) => Object.values(b.properties).map((p) => p.type.replace(/\[\]$/, '')))], readModel, (n) => subclasses.get(n) ?? []));
	for (const b of Object.values(bodies)) b.properties = Object.fromEntries(Object.entries(b.properties).sort(([a], [c]) => a.localeCompare(c)));
	const builders = {};
	for (const f of [`${DOTNET_CALLS.replace(/Calls\/$/, '')}CommunicationsRequestBuilder.cs`, ...repo.list(DOTNET_CALLS).filter((x) => /RequestBuilder\.cs$/.test(x))]) {
		const text = repo.read(f);
		const ns = /namespace ([\w.]+)/.exec(text)[1];
		const name = /public partial class (\w+)/.exec(text)[1];
		const navigation = {};
		for (const m of text.matchAll(/public global::([\w.]+RequestBuilder) (\w+)\s*\n\s*\{/g)) navigation[m[2]] = m[1];
		const indexer = /public global::([\w.]+RequestBuilder) this\[string position\]/.exec(text)?.[1];
		const methods = {};
		for (const m of text.matchAll(/public async Task(?:<([\w.:]+)\??>)? (\w+)Async\((?:global::([\w.]+) body)?/g)) methods[m[2]] = { body: m[3] ?? null, returns: m[1] ? m[1].replace(/^global::/, '') : null };
		builders[`${ns}.${name}`] = { file: f, navigation: sortKeys(navigation), ...(indexer ? { indexer } : {}), methods: sortKeys(methods) };
	}
	return { source: { repo: repoName(dir, 'microsoftgraph/msgraph-sdk-dotnet'), commit: repo.commit, committedAt: repo.committedAt }, root: { graphClient: { Communications: 'Microsoft.Graph.Communications.CommunicationsRequestBuilder' } }, requestBuilders: sortKeys(builders), requestBodies: sortKeys(bodies), types };
}

// ---- Python (msgraph-sdk, Kiota): get_field_deserializers and enum members ----

const PY_MODELS = 'msgraph/generated/models/';
const PY_CALLS = 'msgraph/generated/communications/calls/';
const PY_PRIMITIVE = { get_str_value: 'str', get_bool_value: 'bool', get_int_value: 'int', get_float_value: 'float', get_datetime_value: 'datetime', get_uuid_value: 'UUID', get_bytes_value: 'bytes', get_date_value: 'date', get_time_value: 'time', get_timedelta_value: 'timedelta' };

function pythonType(expr) {
	let m = /n\.(get_object_value|get_enum_value)\((\w+)\)/.exec(expr);
	if (m) return m[2];
	m = /n\.get_collection_of_(?:object|enum)_values\((\w+)\)/.exec(expr);
	if (m) return `${m[1]}[]`;
	m = /n\.get_collection_of_primitive_values\((\w+)\)/.exec(expr);
	if (m) return `${m[1]}[]`;
	m = /n\.(\w+)\(/.exec(expr);
	if (m && PY_PRIMITIVE[m[1]]) return PY_PRIMITIVE[m[1]];
	throw new Error(`Unknown Python deserializer: ${expr}`);
}

function parsePython(text, file) {
	const enumMatch = /^class (\w+)\(str, Enum\):/m.exec(text);
	if (enumMatch) {
		const members = {};
		for (const m of text.matchAll(/^\s+(\w+) = "([^"]*)",?$/gm)) members[m[2]] = m[1];
		return { kind: 'enum', file, module: file.replace(/\.py$/, '').replace(/\//g, '.'), members };
	}
	const cls = /^class (\w+)\(([^)]*)\):/m.exec(text);
	if (!cls) return undefined;
	const bases = cls[2].split(',').map((s) => s.trim());
	const base = bases.find((b) => !['AdditionalDataHolder', 'BackedModel', 'Parsable'].includes(b));
	const properties = {};
	for (const m of text.matchAll(/"([^"]+)": lambda n : setattr\(self, '(\w+)', (.+)\),$/gm)) properties[m[1]] = { name: m[2], type: pythonType(m[3]) };
	return { kind: 'model', file, module: file.replace(/\.py$/, '').replace(/\//g, '.'), ...(base ? { base } : {}), additionalData: bases.includes('AdditionalDataHolder') || !!base, properties };
}

const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

function extractPython(dir) {
	const repo = repoReader(dir);
	const modelFiles = new Set(repo.list(PY_MODELS).filter((f) => f.endsWith('.py')));
	const cache = new Map();
	const readModel = (name) => {
		const f = `${PY_MODELS}${snake(name)}.py`;
		if (!cache.has(name)) cache.set(name, modelFiles.has(f) ? parsePython(repo.read(f), f) : undefined);
		return cache.get(name);
	};
	const gitDir = fs.existsSync(path.join(dir, 'objects')) ? dir : path.join(dir, '.git');
	const grepped = execFileSync('git', [`--git-dir=${gitDir}`, 'grep', '-h', '-E', '^class \\w+\\(\\w+, Parsable\\):', 'HEAD', '--', PY_MODELS], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	const subclasses = new Map();
	for (const m of grepped.matchAll(/^class (\w+)\((\w+), Parsable\):/gm)) {
		if (!subclasses.has(m[2])) subclasses.set(m[2], []);
		subclasses.get(m[2]).push(m[1]);
	}
	const bodies = {};
	for (const f of repo.list(PY_CALLS).filter((x) => /_post_request_body\.py$/.test(x))) {
		const t = parsePython(repo.read(f), f);
		bodies[t.module] = { ...t, name: /^class (\w+)/m.exec(repo.read(f))[1] };
	}
	const types = flatten(closure([...ROOT_MODELS, ...Object.values(bodies).flatMap((b) => Object.values(b.properties).map((p) => p.type.replace(/\[\]$/, '')))], readModel, (n) => subclasses.get(n) ?? []));
	for (const b of Object.values(bodies)) b.properties = Object.fromEntries(Object.entries(b.properties).sort(([a], [c]) => a.localeCompare(c)));
	// Request builders by class name (two mute builders share one name and one shape).
	const builders = {};
	for (const f of ['msgraph/generated/communications/communications_request_builder.py', ...repo.list(PY_CALLS).filter((x) => /_request_builder\.py$/.test(x))]) {
		const text = repo.read(f);
		const name = /^class (\w+)\(BaseRequestBuilder\):/m.exec(text)[1];
		const navigation = {};
		for (const m of text.matchAll(/@property\s*\n\s*def (\w+)\(self\) -> (\w+):/g)) navigation[m[1]] = m[2];
		const indexers = {};
		for (const m of text.matchAll(/def (by_\w+)\(self,\w+: str\) -> (\w+):/g)) indexers[m[1]] = m[2];
		const methods = {};
		for (const m of text.matchAll(/async def (get|post|patch|put|delete)\(self,(?:body: (\w+), )?request_configuration[^)]*\) -> (?:Optional\[(\w+)\]|None):/g)) methods[m[1]] = { body: m[2] ?? null, returns: m[3] ?? null };
		const entry = { navigation: sortKeys(navigation), indexers: sortKeys(indexers), methods: sortKeys(methods) };
		if (builders[name] && JSON.stringify(builders[name]) !== JSON.stringify(entry)) throw new Error(`Two Python request builders named ${name} differ`);
		builders[name] = entry;
	}
	return { source: { repo: repoName(dir, 'microsoftgraph/msgraph-sdk-python'), commit: repo.commit, committedAt: repo.committedAt }, root: { graph_client: { communications: 'CommunicationsRequestBuilder' } }, requestBuilders: sortKeys(builders), requestBodies: sortKeys(bodies), types };
}

function sortKeys(o) {
	return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

function write(name, data) {
	fs.mkdirSync(OUT_DIR, { recursive: true });
	const file = path.join(OUT_DIR, name);
	fs.writeFileSync(file, JSON.stringify({ extractedBy: 'test/scripts/refreshSdkModels.js', ...data }, null, '\t') + '\n');
	const count = `${Object.keys(data.types).length} types, ${Object.keys(data.requestBodies).length} request bodies`;
	console.log(`${path.relative(process.cwd(), file)}: ${count} from ${data.source.repo}@${data.source.commit.slice(0, 12)}`);
}

/**
 * The table the generators read (src/core/requests/code/sdkModelTable.ts): JSON names and types only, which both
 * SDKs share (they are generated from the same description); the tests check the C# and Python names per SDK.
 */
function writeTable(dotnet) {
	const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
	const key = (s) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : q(s));
	const props = (p) => `{ ${Object.entries(p).map(([k, v]) => `${key(k)}: ${q(v.type)}`).join(', ')} }`;
	const lines = [
		'/**',
		' * The Microsoft Graph v1.0 SDK model classes Copy as Code writes: each class\'s JSON properties (inherited ones',
		' * included) and their types, each enum\'s values, and the request-body class of each action by namespace.',
		` * Generated by test/scripts/refreshSdkModels.js from ${dotnet.source.repo} at ${dotnet.source.commit}`,
		` * (${dotnet.source.committedAt}); do not edit by hand: run the script.`,
		' */',
		'export interface SdkModel {',
		'\treadonly base?: string;',
		'\t/** JSON name -> type: `string`, `bool`, `int`, ..., a model or enum name, `X[]` for a collection. */',
		'\treadonly props: Readonly<Record<string, string>>;',
		'}',
		'',
		`export const SDK_MODELS_SOURCE = ${q(`${dotnet.source.repo}@${dotnet.source.commit}`)};`,
		'',
		'export const SDK_MODELS: Readonly<Record<string, SdkModel>> = {',
		...Object.entries(dotnet.types).filter(([, t]) => t.kind === 'model').map(([n, t]) => `\t${n}: { ${t.base ? `base: ${q(t.base)}, ` : ''}props: ${props(t.properties)} },`),
		'};',
		'',
		'export const SDK_ENUMS: Readonly<Record<string, readonly string[]>> = {',
		...Object.entries(dotnet.types).filter(([, t]) => t.kind === 'enum').map(([n, t]) => `\t${n}: [${Object.keys(t.members).map(q).join(', ')}],`),
		'};',
		'',
		'/** Namespace below Microsoft.Graph (the request builder path) -> the action\'s request-body class. */',
		'export const SDK_REQUEST_BODIES: Readonly<Record<string, SdkModel & { readonly name: string }>> = {',
		...Object.entries(dotnet.requestBodies).map(([ns, b]) => `\t${q(ns.replace(/^Microsoft\.Graph\./, ''))}: { name: ${q(b.name)}, props: ${props(b.properties)} },`),
		'};',
		'',
	];
	const file = path.resolve(__dirname, '../../src/core/requests/code/sdkModelTable.ts');
	fs.writeFileSync(file, lines.join('\n'));
	console.log(`${path.relative(process.cwd(), file)}: the generators' table`);
}

function main() {
	const a = args();
	if (a.dotnet) {
		const dotnet = extractDotnet(a.dotnet);
		write('dotnet-v1.0.json', dotnet);
		writeTable(dotnet);
	}
	if (a.python) write('python-v1.0.json', extractPython(a.python));
}

if (require.main === module) {
	try {
		main();
	} catch (err) {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	}
}

module.exports = { parseDotnet, parsePython };
