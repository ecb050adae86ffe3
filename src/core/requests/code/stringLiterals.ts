/**
 * String literal encoders, one per generated language. Generated code is built from untrusted values (ids,
 * bodies and headers that came from Graph, a notification or a shared .http file), so each encoder must give
 * back exactly its input when the language reads the literal, for every JavaScript string: all of Unicode,
 * lone surrogates, NUL, line terminators and the characters a language treats as quotes. The unit tests parse
 * the literals back with python3, Node and bash, and with decoders written from the C# and PowerShell
 * specifications.
 *
 * Printable text stays as it is so ordinary values read naturally; control and format characters, line and
 * paragraph separators and lone surrogates are always escaped, so nothing invisible hides in the code and no
 * editor's line-ending normalisation or "unusual line terminators" clean-up can change a value after pasting.
 */

/** Characters no literal keeps raw: controls (C0, DEL, C1 incl. U+0085), format characters (bidi overrides,
 * zero-width characters, BOM), U+2028/U+2029. Lone surrogates are checked separately. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** One code point, or one lone surrogate (iteration by code points yields those as single units). */
function codePoints(s: string): string[] {
	return Array.from(s);
}

function isLoneSurrogate(ch: string): boolean {
	const c = ch.charCodeAt(0);
	return ch.length === 1 && c >= 0xd800 && c <= 0xdfff;
}

/** Whether a literal has to escape this character (whatever the language's own special characters are). */
export function mustEscape(ch: string): boolean {
	return isLoneSurrogate(ch) || INVISIBLE.test(ch);
}

function hex(n: number, width: number): string {
	return n.toString(16).toUpperCase().padStart(width, '0');
}

/**
 * JavaScript (ECMAScript string literal, §12.9.4): `'...'` or `"..."`. `\xHH`, `\uHHHH` and `\u{H...}` are
 * exact; `\0` is avoided because `\0` followed by a digit is a legacy octal escape, an error in strict code.
 */
export function javascriptString(s: string, quote: "'" | '"' = "'"): string {
	let out = quote;
	for (const ch of codePoints(s)) {
		if (ch === '\\') out += '\\\\';
		else if (ch === quote) out += `\\${quote}`;
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (mustEscape(ch)) {
			const cp = ch.codePointAt(0)!;
			out += cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\u{${hex(cp, 1)}}`;
		} else out += ch;
	}
	return out + quote;
}

/**
 * Python 3 (Lexical analysis, "String and Bytes literals"): a non-raw, non-f string. `\uHHHH` may name a lone
 * surrogate, which a Python str can hold.
 */
export function pythonString(s: string, quote: "'" | '"' = '"'): string {
	let out = quote;
	for (const ch of codePoints(s)) {
		if (ch === '\\') out += '\\\\';
		else if (ch === quote) out += `\\${quote}`;
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (mustEscape(ch)) {
			const cp = ch.codePointAt(0)!;
			out += cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
		} else out += ch;
	}
	return out + quote;
}

/**
 * C# regular string literal (C# specification, Lexical structure, "String literals"): `\x` is avoided because
 * it takes one to four hex digits and would swallow a following digit; `\uHHHH` (lone surrogates included) and
 * `\UHHHHHHHH` are exact. A new-line character (CR, LF, U+0085, U+2028, U+2029) may not appear raw.
 */
export function csharpString(s: string): string {
	let out = '"';
	for (const ch of codePoints(s)) {
		if (ch === '\\') out += '\\\\';
		else if (ch === '"') out += '\\"';
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (ch === '\0') out += '\\0';
		else if (mustEscape(ch)) {
			const cp = ch.codePointAt(0)!;
			out += cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
		} else out += ch;
	}
	return out + '"';
}

/**
 * A C# multi-line raw string literal (C# 11) holding `text`, indented by `indent`, when the text can be shown
 * raw: no character that must be escaped (a CR or U+2028 would be a line break of the source), no line that is
 * only whitespace (its indentation rules differ). The delimiter has more quotes than the longest run inside.
 * Undefined when the text cannot be written raw; use csharpString then.
 */
export function csharpRawString(text: string, indent: string): string | undefined {
	if (text === '') return undefined;
	for (const ch of codePoints(text)) if (ch !== '\n' && ch !== '\t' && mustEscape(ch)) return undefined;
	const lines = text.split('\n');
	if (lines.some((l) => /^\s*$/.test(l))) return undefined;
	const longestRun = Math.max(0, ...(text.match(/"+/g) ?? []).map((r) => r.length));
	const quotes = '"'.repeat(Math.max(3, longestRun + 1));
	return `${quotes}\n${lines.map((l) => indent + l).join('\n')}\n${indent}${quotes}`;
}

/** UTF-16 code units PowerShell 5.1 and 7 both read the same way in any code page: printable ASCII. */
const POWERSHELL_PLAIN = /^[\x20-\x7e]$/;

/**
 * PowerShell expandable (double-quoted) string (PowerShell Language Specification §2.3.5.2, and the
 * tokenizer's ScanStringExpandable/Backtick): U+201C, U+201D and U+201E end the string like `"`, so they,
 * like every character outside printable ASCII, are written as `$([char]0xHHHH)`: Windows PowerShell 5.1
 * reads a script without BOM in the ANSI code page, where the UTF-8 bytes of an ordinary character (the
 * en dash, E2 80 93) turn into a typographic quote. `` ` `` and `$` are escaped with a backtick.
 */
export function powershellString(s: string): string {
	let out = '"';
	for (let i = 0; i < s.length; i++) {
		const ch = s[i];
		if (ch === '`' || ch === '$' || ch === '"') out += '`' + ch;
		else if (ch === '\n') out += '`n';
		else if (ch === '\r') out += '`r';
		else if (ch === '\t') out += '`t';
		else if (ch === '\0') out += '`0';
		else if (POWERSHELL_PLAIN.test(ch)) out += ch;
		// One UTF-16 unit at a time: a pair becomes two [char]s, which PowerShell joins back into the character.
		else out += `$([char]0x${hex(ch.charCodeAt(0), 4)})`;
	}
	return out + '"';
}

/**
 * A shell word for bash, zsh and ksh: single quotes for printable text (newlines included), `$'\xHH'` for
 * the UTF-8 bytes of anything else (dollar-single-quotes, POSIX.1-2024 XCU 2.2.4). A lone surrogate becomes
 * the bytes of U+FFFD, which is what any UTF-8 encoder (the workbench's HTTP client too) sends for it. An
 * argument cannot carry NUL: NULs are left out (bodies with NUL go through `printfFormat`).
 */
export function shellWord(s: string): string {
	let out = '';
	let plain = '';
	let special = '';
	const flushPlain = () => {
		if (plain) out += `'${plain}'`;
		plain = '';
	};
	const flushSpecial = () => {
		if (special) out += `$'${special}'`;
		special = '';
	};
	for (const ch of codePoints(s)) {
		if (ch === '\0') continue;
		if (ch === "'") {
			flushPlain();
			flushSpecial();
			out += "\\'";
		} else if (ch !== '\n' && mustEscape(ch)) {
			flushPlain();
			special += [...Buffer.from(ch, 'utf8')].map((b) => `\\x${hex(b, 2)}`).join('');
		} else {
			flushSpecial();
			plain += ch;
		}
	}
	flushPlain();
	flushSpecial();
	return out || "''";
}

/**
 * A single-quoted `printf` format that prints exactly the UTF-8 bytes of `s`, NUL included (POSIX printf:
 * `\\` and `%%` stand for themselves, `\ooo` for one byte; a leading `-` is written `\055` so it is no option).
 */
export function printfFormat(s: string): string {
	let out = '';
	for (const ch of codePoints(s)) {
		// A format starting with `-` would be read as an option.
		if (ch === '-' && out === '') out += '\\055';
		else if (ch === '%') out += '%%';
		else if (ch === '\\') out += '\\\\';
		else if (ch === "'") out += "'\\''";
		else if (ch !== '\n' && mustEscape(ch)) out += [...Buffer.from(ch, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
		else out += ch;
	}
	return `'${out}'`;
}
