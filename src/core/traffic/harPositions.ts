/**
 * Where each entry of a HAR file starts in its text, so a lint finding (which names an entry index) can be shown
 * on that entry in the editor. One pass over the text that skips strings; it does not validate (parseHar does).
 */

/** Character offsets of `log.entries[i]`'s opening brace, in entry order; [] when there is no such array. */
export function harEntryOffsets(text: string): number[] {
	const out: number[] = [];
	// Path of containers: the key each object member was opened under ('' for array items).
	const path: string[] = [];
	let lastString: string | undefined;
	let pendingKey: string | undefined;
	let entriesDepth = -1;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */) {
			let j = i + 1;
			while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
			lastString = text.slice(i + 1, j);
			i = j;
			continue;
		}
		if (c === 0x3a /* : */) {
			pendingKey = lastString;
			continue;
		}
		if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
			if (c === 0x7b && entriesDepth >= 0 && path.length === entriesDepth) out.push(i);
			const key = pendingKey ?? '';
			pendingKey = undefined;
			path.push(key);
			if (c === 0x5b && key === 'entries' && path.length === 3 && path[1] === 'log') entriesDepth = path.length;
			continue;
		}
		if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
			if (path.length === entriesDepth && c === 0x5d) entriesDepth = -2;
			path.pop();
			pendingKey = undefined;
			continue;
		}
		if (c === 0x2c /* , */) pendingKey = undefined;
	}
	return out;
}
