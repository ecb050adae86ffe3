// Every literal the code generators write reads back as exactly its input, for arbitrary strings: python3,
// Node's own parser and bash read theirs; C# and PowerShell are read by decoders written from their
// specifications (literalDecoders.ts). Then the attack: a request whose body, header, URL and id carry
// typographic quotes, line terminators and shell/PowerShell metacharacters gives code in every language that
// still parses, has the same shape as for a harmless value, and carries each value exactly.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { generateCode } from '../../src/core/requests/code';
import { toCodeRequest } from '../../src/core/requests/code/codeRequest';
import { csharpRawString, csharpString, javascriptString, powershellString, printfFormat, pythonString, shellWord } from '../../src/core/requests/code/stringLiterals';
import { decodeCsharpString, decodePowershellString, scanCsharp, scanPowershell } from './literalDecoders';

/** The characters that broke out of literals before, or that one language or another treats specially. */
const SPECIAL = ['\u2018', '\u2019', '\u201A', '\u201B', '\u201C', '\u201D', '\u201E', '\r', '\n', '\r\n', '\u2028', '\u2029', '\u0085', '\0', '`', '$', '{', '}', '\\', '"', "'", '"""', '$(', '${x}', '%', '\t', '\u202E', '\uFEFF', '#', '@', '\u2013', '\\u0041', '\\x41'];
const unit = fc.oneof(
	fc.constantFrom(...SPECIAL),
	fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
	fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
	fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
/** Arbitrary JavaScript strings: all of Unicode, lone surrogates, and the special characters above, often. */
const anyString = fc.array(unit, { maxLength: 24 }).map((a) => a.join(''));

function isWellFormed(s: string): boolean {
	return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** The UTF-8 bytes of `s` (a lone surrogate as U+FFFD, as any UTF-8 encoder writes it) without its NULs. */
function withoutNul(s: string): Buffer {
	return Buffer.from(Buffer.from(s, 'utf8').filter((b) => b !== 0));
}

/** Runs python3 once on a program that prints JSON. */
function python(program: string, input = ''): unknown {
	return JSON.parse(execFileSync('python3', ['-c', program], { input, encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** Runs bash once; the script prints one base64 line per value. */
function bashLines(script: string, input?: string): Buffer[] {
	const out = execFileSync('bash', ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
	return out.split('\n').slice(0, -1).map((l) => Buffer.from(l, 'base64'));
}

describe('requests: string literal encoders read back exactly (property tests)', function () {
	this.timeout(120_000);

	it('JavaScript: Node evaluates every literal (strict mode, both quotes) to its input', () => {
		fc.assert(
			fc.property(anyString, fc.constantFrom("'", '"') as fc.Arbitrary<"'" | '"'>, (s, q) => {
				const lit = javascriptString(s, q);
				assert.ok(isWellFormed(lit), 'the literal is well-formed text');
				assert.equal(vm.runInNewContext(`'use strict'; (${lit})`), s);
			}),
			{ numRuns: 3000 },
		);
	});

	it('Python: python3 reads every literal (both quotes) to its input, lone surrogates included', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(anyString, fc.constantFrom("'", '"') as fc.Arbitrary<"'" | '"'>), { minLength: 80, maxLength: 80 }), (batch) => {
				const literals = batch.map(([s, q]) => pythonString(s, q));
				for (const lit of literals) assert.ok(isWellFormed(lit));
				const got = python(`import json, sys\nvalues = [\n${literals.join(',\n')}\n]\nsys.stdout.write(json.dumps(values))`) as string[];
				assert.deepEqual(got, batch.map(([s]) => s));
			}),
			{ numRuns: 4 },
		);
	});

	it('C#: regular literals decode (C# spec, string literals) to their input', () => {
		fc.assert(
			fc.property(anyString, (s) => {
				const lit = csharpString(s);
				assert.ok(isWellFormed(lit));
				assert.deepEqual(decodeCsharpString(lit, 0), { value: s, end: lit.length });
			}),
			{ numRuns: 3000 },
		);
	});

	it('C#: raw body literals decode (C# 11 raw string literal) to their input, or are not used', () => {
		const text = fc.oneof(
			fc.jsonValue().map((v) => JSON.stringify(v, null, 2)),
			fc.array(fc.oneof(anyString, fc.constantFrom('"', '""', '"""', '""""', '\n', '  ', '\t')), { maxLength: 10 }).map((a) => a.join('')),
		);
		fc.assert(
			fc.property(text, (s) => {
				const raw = csharpRawString(s, '\t');
				if (raw === undefined) return;
				const src = `x(\n\t${raw},`;
				const d = decodeCsharpString(src, 4);
				assert.equal(d.value, s);
				assert.equal(src.slice(d.end), ',');
			}),
			{ numRuns: 3000 },
		);
		assert.ok(csharpRawString(JSON.stringify({ a: 'x', b: [1, ''] }, null, 2), '\t'), 'ordinary JSON bodies stay raw and readable');
	});

	it('PowerShell: expandable literals decode (language spec §2.3.5.2, all quote characters) to their input and are plain ASCII', () => {
		fc.assert(
			fc.property(anyString, (s) => {
				const lit = powershellString(s);
				// Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page: only ASCII reads the same there.
				assert.match(lit, /^[\x20-\x7e]*$/);
				assert.deepEqual(decodePowershellString(lit, 0), { value: s, end: lit.length });
			}),
			{ numRuns: 3000 },
		);
	});

	it('bash: every shell word is one argument with the UTF-8 bytes of its input (NUL cannot be an argument)', () => {
		fc.assert(
			fc.property(fc.array(anyString, { minLength: 80, maxLength: 80 }), (batch) => {
				const script = batch.map((s) => `printf '%s' ${shellWord(s)} | base64 -w0; echo`).join('\n');
				const got = bashLines(script);
				assert.deepEqual(got, batch.map(withoutNul));
			}),
			{ numRuns: 4 },
		);
	});

	it('bash: printf formats print exactly the UTF-8 bytes of their input, NUL included', () => {
		fc.assert(
			fc.property(fc.array(anyString, { minLength: 80, maxLength: 80 }), (batch) => {
				const script = batch.map((s) => `printf ${printfFormat(s)} | base64 -w0; echo`).join('\n');
				assert.deepEqual(bashLines(script), batch.map((s) => Buffer.from(s, 'utf8')));
			}),
			{ numRuns: 4 },
		);
	});

	it('stays readable for ordinary ASCII', () => {
		const s = `it's a "value" with $dollar, \`tick\` and {braces}`;
		assert.equal(javascriptString(s), `'it\\'s a "value" with $dollar, \`tick\` and {braces}'`);
		assert.equal(pythonString(s), `"it's a \\"value\\" with $dollar, \`tick\` and {braces}"`);
		assert.equal(csharpString(s), `"it's a \\"value\\" with $dollar, \`tick\` and {braces}"`);
		assert.equal(powershellString(s), `"it's a \`"value\`" with \`$dollar, \`\`tick\`\` and {braces}"`);
		assert.equal(shellWord(s), `'it'\\''s a "value" with $dollar, \`tick\` and {braces}'`);
	});
});

/** A value built to break out of a string in one language or another. */
const hostile = fc.tuple(anyString, anyString).map(([a, b]) => `${a}\u201D; Remove-Item -Recurse C:\\ #\u2019 ' " \`$(id) \r\n\u2028 ${b}`);

interface Attack {
	readonly method: string;
	readonly url: string;
	readonly headers: { name: string; value: string }[];
	readonly body: unknown;
}

/** A URL carries UTF-8, so a lone surrogate in an id arrives as U+FFFD. */
const wellFormed = (s: string): string => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function attack(value: string, raw: boolean, query = true): Attack {
	const id = encodeURIComponent(wellFormed(value));
	return {
		method: 'POST',
		url: `/communications/calls/${id}/playPrompt${query ? `?note=${id}` : ''}`,
		headers: [{ name: 'X-Note', value }],
		body: raw ? `not json: ${value}` : { clientContext: value, prompts: [] },
	};
}

const BENIGN = 'benign';

describe('requests: Copy as Code with hostile values (the attack)', function () {
	this.timeout(120_000);

	it('C# and PowerShell: the code keeps its shape and carries every value exactly', () => {
		fc.assert(
			fc.property(hostile, fc.boolean(), (value, raw) => {
				const evil = scanCsharp(generateCode('csharp', attack(value, raw)));
				const calm = scanCsharp(generateCode('csharp', attack(BENIGN, raw)));
				assert.equal(evil.shape, calm.shape, 'csharp: same code around the literals');
				// C# falls back to HttpClient for a non-JSON body (headers included).
				for (const w of raw ? [`not json: ${value}`, 'X-Note', value] : [value]) assert.ok(evil.strings.includes(w), `csharp carries ${JSON.stringify(w)}`);
				if (!raw) assert.ok(evil.strings.includes(wellFormed(value)), 'csharp carries the id');
				// PowerShell: the cmdlet takes the id, the body and the headers; a query option it has no parameter for, or a
				// body that is not JSON, sends the whole request with Invoke-MgGraphRequest, URL included.
				for (const query of [true, false]) {
					const req = attack(value, raw, query);
					const ps = scanPowershell(generateCode('powershell', req));
					assert.equal(ps.shape, scanPowershell(generateCode('powershell', attack(BENIGN, raw, query))).shape, 'powershell: same code around the literals');
					for (const w of [raw ? `not json: ${value}` : value, 'X-Note', value]) assert.ok(ps.strings.includes(w), `powershell carries ${JSON.stringify(w)}`);
					if (query || raw) assert.ok(ps.strings.includes(toCodeRequest(req).url), 'powershell carries the URL');
					else assert.ok(ps.strings.includes(wellFormed(value)), 'powershell carries the id');
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('JavaScript: the code runs against a recording client and sends exactly the values', async () => {
		await fc.assert(
			fc.asyncProperty(hostile, fc.boolean(), async (value, raw) => {
				const req = attack(value, raw);
				const code = generateCode('javascript', req);
				const calls: unknown[][] = [];
				// Not a thenable: `await` on the chain must get the chain itself.
				const chain: object = new Proxy({}, { get: (_t, name: string) => (name === 'then' ? undefined : (...args: unknown[]) => (calls.push([name, ...args]), chain)) });
				const Client = { init: () => ({ api: (url: string) => (calls.push(['api', url]), chain) }) };
				await vm.runInNewContext(`'use strict'; (async () => {\n${code}\n})()`, { Client, authProvider: {} });
				const cr = toCodeRequest(req);
				// Through JSON: the objects come from the other realm, with its own prototypes.
				assert.deepEqual(JSON.parse(JSON.stringify(calls)), [['api', cr.relativeUrl], ['header', 'X-Note', value], ['post', raw ? `not json: ${value}` : { clientContext: value, prompts: [] }]]);
				assert.ok(cr.relativeUrl.includes(encodeURIComponent(wellFormed(value))), 'the id stays in the path, encoded');
			}),
			{ numRuns: 300 },
		);
	});

	it('Python: python3 parses every snippet to the same tree around its strings, which carry the values', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(hostile, fc.boolean()), { minLength: 40, maxLength: 40 }), (cases) => {
				const codes = cases.flatMap(([value, raw]) => [generateCode('python', attack(value, raw)), generateCode('python', attack(BENIGN, raw))]);
				const program = [
					'import ast, json, sys',
					'out = []',
					'for code in json.loads(sys.stdin.read()):',
					'    tree = compile(code, "<generated>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)',
					'    strings = []',
					'    for node in ast.walk(tree):',
					'        if isinstance(node, ast.Constant) and isinstance(node.value, str):',
					'            strings.append(node.value)',
					'            node.value = "..."',
					'    out.append({"shape": ast.dump(tree), "strings": strings})',
					'sys.stdout.write(json.dumps(out))',
				].join('\n');
				const got = python(program, JSON.stringify(codes)) as { shape: string; strings: string[] }[];
				cases.forEach(([value, raw], i) => {
					const [evil, calm] = [got[2 * i], got[2 * i + 1]];
					assert.equal(evil.shape, calm.shape, 'same tree around the strings');
					const want = raw ? [`not json: ${value}`, 'X-Note', value, toCodeRequest(attack(value, raw)).url] : [value, wellFormed(value)];
					for (const w of want) assert.ok(evil.strings.includes(w), `python carries ${JSON.stringify(w)}`);
				});
			}),
			{ numRuns: 5 },
		);
	});

	it('curl: bash runs the command with exactly the URL, headers and body as arguments', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(hostile, fc.boolean()), { minLength: 30, maxLength: 30 }), (cases) => {
				const script = [
					// A stand-in curl: one base64 line per argument (and stdin for @-), then a separator.
					'curl() { for a in "$@"; do printf "%s" "$a" | base64 -w0; echo; if [ "$a" = "@-" ]; then base64 -w0; echo; fi; done; echo "--"; }',
					'ACCESS_TOKEN=t',
					...cases.map(([value, raw]) => generateCode('curl', attack(value, raw))),
				].join('\n');
				const out = execFileSync('bash', ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
				const runs = out.split('--\n').slice(0, -1).map((r) => r.split('\n').slice(0, -1).map((l) => Buffer.from(l, 'base64').toString('utf8')));
				assert.equal(runs.length, cases.length, 'one curl per snippet: nothing broke out into a command of its own');
				cases.forEach(([value, raw], i) => {
					const cr = toCodeRequest(attack(value, raw));
					const body = raw ? `not json: ${value}` : JSON.stringify({ clientContext: value, prompts: [] }, null, 2);
					const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
					const tail = body.includes('\0') ? ['--data-binary', '@-', utf8(body)] : ['--data-raw', utf8(body)];
					assert.deepEqual(runs[i], ['-X', 'POST', utf8(cr.url), '-H', 'Authorization: Bearer t', '-H', withoutNul(`X-Note: ${value}`).toString('utf8'), '-H', 'Content-Type: application/json', ...tail]);
					// Braces are shown unencoded on purpose (so {{variables}} read as such); %7B and { mean the same to a server.
					const braces = (u: string) => new URL(u).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
					assert.equal(braces(cr.url), braces(`https://graph.microsoft.com/v1.0${attack(value, raw).url}`), 'the URL is the one requested');
				});
			}),
			{ numRuns: 5 },
		);
	});
});
