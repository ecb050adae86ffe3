/**
 * Independent readers of C# and PowerShell string literals, written from the language specifications (there is
 * no dotnet or pwsh on the test machines). They are strict: anything the rules make an error, and anything whose
 * meaning depends on run-time state (a PowerShell variable or subexpression other than `$([char]0xHHHH)`), throws
 * instead of being guessed. `scan*` walk a whole generated file and return its shape with every string literal
 * replaced by a placeholder, plus the decoded values, so a test can tell that a value did not break out.
 *
 * C#: ECMA-334 / C# language specification, Lexical structure §6.4.5.6 "String literals" (regular and verbatim;
 * new-line characters are CR, LF, U+0085, U+2028, U+2029, §6.3.2) and the C# 11 feature specification
 * "Raw string literal" (multi-line form: delimiter of 3+ quotes, the closing line's whitespace removed from every
 * content line). PowerShell: PowerShell Language Specification 3.0 §2.3.5.2 "String literals" (expandable and
 * verbatim strings; double-quote-character is U+0022, U+201C, U+201D, U+201E; single-quote-character is U+0027,
 * U+2018, U+2019, U+201A, U+201B; a doubled quote character stands for one), with the backtick escapes of
 * §2.3.7 "Escaped characters" as the tokenizer implements them (`0 `a `b `e `f `n `r `t `u{} `v, any other
 * character stands for itself).
 */

const CS_NEWLINE = /[\r\n\u0085\u2028\u2029]/;

export interface Decoded {
	readonly value: string;
	/** Index just after the literal. */
	readonly end: number;
}

function hexAt(src: string, i: number, n: number, what: string): number {
	const h = src.slice(i, i + n);
	if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(h)) throw new Error(`${what}: expected ${n} hex digits at ${i}`);
	return parseInt(h, 16);
}

/** A C# string literal starting at `i`: `"..."`, `@"..."` or a raw `"""..."""`. */
export function decodeCsharpString(src: string, i: number): Decoded {
	if (src[i] === '@' && src[i + 1] === '"') {
		let out = '';
		for (let j = i + 2; j < src.length; j++) {
			if (src[j] === '"') {
				if (src[j + 1] === '"') {
					out += '"';
					j++;
					continue;
				}
				return { value: out, end: j + 1 };
			}
			out += src[j];
		}
		throw new Error('C#: unterminated verbatim string');
	}
	if (src[i] !== '"') throw new Error(`C#: no string at ${i}`);
	if (src.startsWith('"""', i)) return decodeCsharpRaw(src, i);
	let out = '';
	for (let j = i + 1; j < src.length; j++) {
		const c = src[j];
		if (c === '"') return { value: out, end: j + 1 };
		if (CS_NEWLINE.test(c)) throw new Error('C#: new-line character in a regular string literal');
		if (c !== '\\') {
			out += c;
			continue;
		}
		const e = src[++j];
		const simple: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
		if (e in simple) out += simple[e];
		else if (e === 'u') {
			out += String.fromCharCode(hexAt(src, j + 1, 4, 'C# \\u'));
			j += 4;
		} else if (e === 'U') {
			const cp = hexAt(src, j + 1, 8, 'C# \\U');
			if (cp > 0x10ffff) throw new Error('C#: \\U beyond U+10FFFF');
			out += String.fromCodePoint(cp);
			j += 8;
		} else if (e === 'x') {
			const m = /^[0-9A-Fa-f]{1,4}/.exec(src.slice(j + 1));
			if (!m) throw new Error('C#: \\x without hex digits');
			out += String.fromCharCode(parseInt(m[0], 16));
			j += m[0].length;
		} else throw new Error(`C#: unknown escape \\${e}`);
	}
	throw new Error('C#: unterminated string');
}

function decodeCsharpRaw(src: string, i: number): Decoded {
	let n = 0;
	while (src[i + n] === '"') n++;
	const delimiter = '"'.repeat(n);
	const rest = src.slice(i + n);
	const open = /^[ \t]*(\r\n|[\r\n\u0085\u2028\u2029])/.exec(rest);
	if (!open) {
		// Single-line form: content up to the same number of quotes.
		const close = rest.indexOf(delimiter);
		if (close < 0 || CS_NEWLINE.test(rest.slice(0, close))) throw new Error('C#: unterminated single-line raw string');
		if (rest[close + n] === '"') throw new Error('C#: raw string closed by too many quotes');
		return { value: rest.slice(0, close), end: i + n + close + n };
	}
	const body = rest.slice(open[0].length);
	const lines: string[] = [];
	const breaks: string[] = [];
	const re = /\r\n|[\r\n\u0085\u2028\u2029]/g;
	let last = 0;
	let m: RegExpExecArray | null;
	while ((m = re.exec(body))) {
		lines.push(body.slice(last, m.index));
		breaks.push(m[0]);
		last = m.index + m[0].length;
	}
	lines.push(body.slice(last));
	let consumed = 0;
	for (let k = 0; k < lines.length; k++) {
		const closing = new RegExp(`^([ \\t\\v\\f\\p{Zs}]*)${delimiter}`, 'u').exec(lines[k]);
		if (closing && lines[k].slice(closing[0].length, closing[0].length + 1) !== '"') {
			const indent = closing[1];
			const content = lines.slice(0, k).map((l) => {
				if (/^[ \t\v\f\p{Zs}]*$/u.test(l)) throw new Error('C#: whitespace-only line in a raw string (not produced by the encoder)');
				if (!l.startsWith(indent)) throw new Error('C#: raw string line does not start with the closing indentation');
				if (l.includes(delimiter)) throw new Error('C#: raw string content holds the delimiter');
				return l.slice(indent.length);
			});
			if (k === 0) throw new Error('C#: multi-line raw string without content');
			let value = content[0];
			for (let x = 1; x < content.length; x++) value += breaks[x - 1] + content[x];
			return { value, end: i + n + open[0].length + consumed + closing[0].length };
		}
		consumed += lines[k].length + (breaks[k]?.length ?? 0);
	}
	throw new Error('C#: unterminated raw string');
}

export interface Scanned {
	/** The code with every string literal replaced by `"…"`. */
	readonly shape: string;
	readonly strings: string[];
}

/** Walks C# code: comments, char literals and string literals (interpolated strings are not produced: error). */
export function scanCsharp(src: string): Scanned {
	let shape = '';
	const strings: string[] = [];
	for (let i = 0; i < src.length; ) {
		if (src.startsWith('//', i)) {
			const end = src.slice(i).search(CS_NEWLINE);
			const stop = end < 0 ? src.length : i + end;
			shape += src.slice(i, stop);
			i = stop;
		} else if (src.startsWith('/*', i)) {
			const end = src.indexOf('*/', i + 2);
			if (end < 0) throw new Error('C#: unterminated comment');
			shape += src.slice(i, end + 2);
			i = end + 2;
		} else if (src[i] === '$' && (src[i + 1] === '"' || src[i + 1] === '@')) {
			throw new Error('C#: interpolated string');
		} else if (src[i] === '"' || (src[i] === '@' && src[i + 1] === '"')) {
			const d = decodeCsharpString(src, i);
			strings.push(d.value);
			shape += '"…"';
			i = d.end;
		} else if (src[i] === "'") {
			throw new Error('C#: character literal (not produced by the generator)');
		} else {
			shape += src[i++];
		}
	}
	return { shape, strings };
}

const PS_DOUBLE = /^["\u201C\u201D\u201E]$/;
const PS_SINGLE = /^['\u2018\u2019\u201A\u201B]$/;

function psBacktick(src: string, j: number): { value: string; next: number } {
	const e = src[j];
	const map: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
	if (e === undefined) throw new Error('PowerShell: backtick at end of input');
	if (e in map) return { value: map[e], next: j + 1 };
	if (e === 'u') {
		const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(src.slice(j + 1));
		if (!m) throw new Error('PowerShell: bad `u{} escape');
		return { value: String.fromCodePoint(parseInt(m[1], 16)), next: j + 1 + m[0].length };
	}
	return { value: e, next: j + 1 };
}

/** A PowerShell expandable (`"`) or verbatim (`'`) string starting at `i`, with any of their quote characters. */
export function decodePowershellString(src: string, i: number): Decoded {
	const open = src[i];
	let out = '';
	if (PS_SINGLE.test(open)) {
		for (let j = i + 1; j < src.length; j++) {
			if (PS_SINGLE.test(src[j])) {
				if (j + 1 < src.length && PS_SINGLE.test(src[j + 1])) {
					out += src[j + 1];
					j++;
					continue;
				}
				return { value: out, end: j + 1 };
			}
			out += src[j];
		}
		throw new Error('PowerShell: unterminated verbatim string');
	}
	if (!PS_DOUBLE.test(open)) throw new Error(`PowerShell: no string at ${i}`);
	for (let j = i + 1; j < src.length; ) {
		const c = src[j];
		if (PS_DOUBLE.test(c)) {
			if (j + 1 < src.length && PS_DOUBLE.test(src[j + 1])) {
				out += src[j + 1];
				j += 2;
				continue;
			}
			return { value: out, end: j + 1 };
		}
		if (c === '`') {
			const b = psBacktick(src, j + 1);
			out += b.value;
			j = b.next;
			continue;
		}
		if (c === '$') {
			const next = src[j + 1] ?? '';
			const char = /^\$\(\[char\]0x([0-9A-Fa-f]{1,4})\)/.exec(src.slice(j));
			if (char) {
				out += String.fromCharCode(parseInt(char[1], 16));
				j += char[0].length;
				continue;
			}
			// `$(`, `${` and `$name` (a letter, digit, `_`, `?`, `:`, `^` or `$` after it) expand at run time.
			if (next === '(' || next === '{' || /^[\p{L}\p{N}_?:^$]$/u.test(next)) throw new Error(`PowerShell: expansion at ${j}`);
		}
		out += c;
		j++;
	}
	throw new Error('PowerShell: unterminated expandable string');
}

/** Walks PowerShell code: comments and strings (here-strings are not produced by the generator: error). */
export function scanPowershell(src: string): Scanned {
	let shape = '';
	const strings: string[] = [];
	for (let i = 0; i < src.length; ) {
		const c = src[i];
		if (c === '#') {
			const end = src.slice(i).search(/[\r\n]/);
			const stop = end < 0 ? src.length : i + end;
			shape += src.slice(i, stop);
			i = stop;
		} else if (c === '<' && src[i + 1] === '#') {
			const end = src.indexOf('#>', i + 2);
			if (end < 0) throw new Error('PowerShell: unterminated block comment');
			shape += src.slice(i, end + 2);
			i = end + 2;
		} else if (c === '@' && (PS_DOUBLE.test(src[i + 1] ?? '') || PS_SINGLE.test(src[i + 1] ?? ''))) {
			throw new Error('PowerShell: here-string');
		} else if (c === '`') {
			throw new Error('PowerShell: backtick outside a string (line continuation or escape)');
		} else if (PS_DOUBLE.test(c) || PS_SINGLE.test(c)) {
			const d = decodePowershellString(src, i);
			strings.push(d.value);
			shape += '"…"';
			i = d.end;
		} else {
			shape += src[i++];
		}
	}
	return { shape, strings };
}
