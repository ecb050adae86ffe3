// Refreshes test/fixtures/graph-docs/*.json from a local copy of the Graph docs (microsoftgraph/microsoft-graph-docs-contrib).
// No network: give it a clone (work tree or bare git dir) or a directory laid out like the repository.
//
//   node test/scripts/refreshGraphDocsFixtures.js <docs clone or git dir> [--out test/fixtures/graph-docs]
//
// From a git dir the files are read at HEAD and every fixture records that commit. From a plain directory the commit of
// each file comes from SOURCE-COMMITS.json at its root ({ "<path>": "<commit>" }) when there is one.
// Each API page becomes one fixture: every documented request example (method, path, headers, body), its documented
// response (status, the headers shown, body), the notification examples around it, and the request-body parameters with
// the ones the page marks required. Each resource page of RESOURCE_PAGES becomes one fixture under resources/: its
// property table (name, type, description, the values it lists, required and read-only hints), the enum tables, the
// relationships and the JSON representation. The conformance tests (test/integration/conformance) hold the emulator to them.
const fs = require('node:fs');
const path = require('node:path');
const { openSource } = require('./sourceTree');

const DOCS_REPO = 'microsoftgraph/microsoft-graph-docs-contrib';
const API_DIR = 'api-reference/v1.0/api';
// The calls API pages: create, the call-* actions and children, the participant-* actions.
const PAGE = /^(application-post-calls|call-[\w-]+|participant-[\w-]+)\.md$/;
const RESOURCE_DIR = 'api-reference/v1.0/resources';
/**
 * The resource pages of what the calls API returns and notifies: the call, its participants, operations and
 * notifications, and every complex type inside them. Listed by name: the folder holds a thousand other resources.
 */
const RESOURCE_PAGES = [
	'call', 'participant', 'commsnotification', 'commsnotifications', 'commsoperation', 'resultinfo',
	'playpromptoperation', 'recordoperation', 'subscribetotoneoperation', 'cancelmediaprocessingoperation', 'muteparticipantoperation',
	'unmuteparticipantoperation', 'updaterecordingstatusoperation', 'inviteparticipantsoperation', 'senddtmftonesoperation',
	'startholdmusicoperation', 'stopholdmusicoperation', 'addlargegalleryviewoperation',
	'identityset', 'identity', 'communicationsidentityset', 'communicationsuseridentity', 'communicationsphoneidentity',
	'communicationsapplicationidentity', 'communicationsapplicationinstanceidentity', 'participantinfo', 'invitationparticipantinfo',
	'mediastream', 'callmediastate', 'calltranscriptioninfo', 'toneinfo', 'incomingcontext', 'callroute', 'outgoingcalloptions',
	'servicehostedmediaconfig', 'apphostedmediaconfig', 'mediainfo', 'mediaprompt', 'recordinginfo', 'chatinfo',
	'organizermeetinginfo', 'joinmeetingidmeetinginfo', 'tokenmeetinginfo', 'contentsharingsession', 'audioroutinggroup',
];

function main(argv) {
	const args = argv.slice(2);
	const outIndex = args.indexOf('--out');
	const out = path.resolve(outIndex >= 0 ? args.splice(outIndex, 2)[1] : path.join(__dirname, '../fixtures/graph-docs'));
	if (args.length !== 1) {
		console.error('usage: node test/scripts/refreshGraphDocsFixtures.js <microsoft-graph-docs-contrib clone or git dir> [--out dir]');
		return 2;
	}
	const source = openSource(path.resolve(args[0]));
	const pages = source.list(API_DIR).filter((p) => p.startsWith(`${API_DIR}/`) && PAGE.test(path.posix.basename(p))).sort();
	const resources = source.list(RESOURCE_DIR).filter((p) => RESOURCE_PAGES.includes(path.posix.basename(p, '.md').toLowerCase()));
	if (pages.length === 0 && resources.length === 0) {
		console.error(`no ${API_DIR}/call-*.md or participant-*.md pages and none of the listed ${RESOURCE_DIR} pages under ${args[0]}`);
		return 2;
	}
	// A copy with only one of the two folders (a partial one, made page by page) refreshes that part and leaves the other.
	if (pages.length === 0) {
		console.log(`no ${API_DIR} pages: the API fixtures are left as they are`);
		return writeResources(source, path.join(out, 'resources'));
	}
	fs.mkdirSync(out, { recursive: true });
	for (const old of fs.readdirSync(out)) if (old.endsWith('.json')) fs.rmSync(path.join(out, old));
	let examples = 0;
	let notifications = 0;
	for (const page of pages) {
		const fixture = { source: { repo: DOCS_REPO, path: page, commit: source.commit(page) }, generatedBy: 'test/scripts/refreshGraphDocsFixtures.js', ...parsePage(source.read(page)) };
		examples += fixture.examples.length;
		notifications += fixture.examples.reduce((n, e) => n + e.notificationsBefore.length + e.notificationsAfter.length, 0) + fixture.otherNotifications.length;
		fs.writeFileSync(path.join(out, `${path.posix.basename(page, '.md')}.json`), `${JSON.stringify(fixture, null, '\t')}\n`);
	}
	console.log(`${pages.length} pages, ${examples} request examples, ${notifications} notification examples -> ${path.relative(process.cwd(), out) || out}`);
	if (resources.length === 0) {
		console.log(`no ${RESOURCE_DIR} pages: the resource fixtures are left as they are`);
		return 0;
	}
	return writeResources(source, path.join(out, 'resources'));
}

/** The resource pages of RESOURCE_PAGES that the copy has, one fixture each; a listed page that is missing is an error. */
function writeResources(source, out) {
	const available = new Map(source.list(RESOURCE_DIR).map((p) => [path.posix.basename(p).toLowerCase(), p]));
	const missing = RESOURCE_PAGES.filter((name) => !available.has(`${name}.md`));
	if (missing.length) {
		console.error(`resource pages missing under ${RESOURCE_DIR}: ${missing.join(', ')}`);
		return 2;
	}
	fs.mkdirSync(out, { recursive: true });
	for (const old of fs.readdirSync(out)) if (old.endsWith('.json')) fs.rmSync(path.join(out, old));
	let properties = 0;
	for (const name of RESOURCE_PAGES) {
		const page = available.get(`${name}.md`);
		const fixture = { source: { repo: DOCS_REPO, path: page, commit: source.commit(page) }, generatedBy: 'test/scripts/refreshGraphDocsFixtures.js', ...parseResourcePage(source.read(page)) };
		properties += fixture.properties.length;
		fs.writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify(fixture, null, '\t')}\n`);
	}
	console.log(`${RESOURCE_PAGES.length} resource pages, ${properties} properties -> ${path.relative(process.cwd(), out) || out}`);
	return 0;
}

/**
 * Walks the page once: headings, the JSON annotations in HTML comments (`<!-- { "blockType": ... } -->`) and the fenced
 * blocks they annotate. A `request` block opens an example, a `response` block closes it, and a block whose JSON is a
 * commsNotifications payload is a notification example, placed before or after the request of its section.
 */
function parsePage(text) {
	const lines = text.replace(/\r\n/g, '\n').split('\n');
	const examples = [];
	const otherNotifications = [];
	const parameters = [];
	let section = '';
	let heading = '';
	let h2 = '';
	let annotation;
	let pending = []; // notifications of the current section seen before its request
	let current; // the example whose notifications follow
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		const h = /^(#{2,6})\s+(.*?)\s*$/.exec(line);
		if (h && !line.startsWith('# [')) {
			heading = h[2];
			if (h[1].length === 2) {
				h2 = h[2];
				annotation = undefined;
			}
			if (h[1].length === 3 && /example/i.test(h[2])) {
				otherNotifications.push(...pending.map((n) => ({ ...n, section })));
				pending = [];
				section = h[2];
				current = undefined;
			}
			continue;
		}
		if (/^\s*<!--/.test(line)) {
			let comment = line;
			while (!comment.includes('-->') && i + 1 < lines.length) comment += `\n${lines[++i]}`;
			const parsed = lenientJson(comment.replace(/^\s*<!--/, '').replace(/-->\s*$/, '').trim());
			annotation = parsed.value && typeof parsed.value === 'object' && parsed.value.blockType ? parsed.value : annotation;
			continue;
		}
		if (/^\s*\|/.test(line) && /^request body$/i.test(h2)) {
			const cells = line.split('|').slice(1, -1).map((c) => c.trim());
			if (cells.length >= 3 && !/^:?-+:?$/.test(cells[0]) && !/^parameter$/i.test(cells[0])) {
				const description = cells.slice(2).join(' | ');
				parameters.push({ name: cells[0], type: cells[1], required: /\brequired\b/i.test(description) && !/\bnot required\b|\boptional\b/i.test(description) });
			}
			continue;
		}
		const fence = /^\s*```\s*([\w-]*)\s*$/.exec(line);
		if (!fence) continue;
		const body = [];
		while (i + 1 < lines.length && !/^\s*```\s*$/.test(lines[i + 1])) body.push(lines[++i]);
		i++;
		const block = body.join('\n');
		const kind = annotation?.blockType;
		const annotatedName = annotation?.name;
		annotation = undefined;
		if (kind === 'ignored') continue;
		if (kind === 'request') {
			let name = annotatedName ?? `example-${examples.length + 1}`;
			if (examples.some((e) => e.name === name)) name = `${name}-${examples.length + 1}`;
			const example = { name, section, heading, request: parseRequest(block), response: null, notificationsBefore: pending, notificationsAfter: [] };
			examples.push(example);
			pending = [];
			current = example;
			continue;
		}
		if (kind === 'response') {
			const open = [...examples].reverse().find((e) => e.response === null);
			if (open) open.response = parseResponse(block);
			continue;
		}
		const payload = notificationPayload(block);
		if (payload) {
			const notification = { heading, ...payload };
			if (current && current.section === section) current.notificationsAfter.push(notification);
			else pending.push(notification);
		}
	}
	otherNotifications.push(...pending.map((n) => ({ ...n, section })));
	return { parameters, examples, otherNotifications };
}

/**
 * A resource page: its title's type name, the property table (each row's name, type, description, the values the
 * description lists after "possible values", whether it says required or read-only), enum tables ("### x values"),
 * relationships and the JSON representation with its annotation (@odata.type, baseType, openType, optionalProperties).
 */
function parseResourcePage(text) {
	const lines = text.replace(/\r\n/g, '\n').split('\n');
	const page = { name: null, odataType: null, baseType: null, openType: false, optionalProperties: [], properties: [], enums: {}, relationships: [], json: null };
	let h2 = '';
	let h3 = '';
	let annotation;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		const title = /^#\s+(\S+)\s+resource type\s*$/i.exec(line);
		if (title && !page.name) {
			page.name = title[1];
			continue;
		}
		const h = /^(#{2,6})\s+(.*?)\s*$/.exec(line);
		if (h) {
			if (h[1].length === 2) [h2, h3] = [h[2], ''];
			else h3 = h[2];
			continue;
		}
		if (/^\s*<!--/.test(line)) {
			let comment = line;
			while (!comment.includes('-->') && i + 1 < lines.length) comment += `\n${lines[++i]}`;
			const parsed = lenientJson(comment.replace(/^\s*<!--/, '').replace(/-->\s*$/, '').trim());
			if (parsed.value?.blockType === 'resource') annotation = parsed.value;
			continue;
		}
		if (/^\s*\|/.test(line)) {
			const cells = line.split('|').slice(1, -1).map((c) => c.trim());
			// A header row is the one above the |:--| separator; the separator itself is no row either.
			const header = /^\s*\|\s*:?-+:?\s*\|/.test(lines[i + 1] ?? '');
			if (cells.length < 2 || header || /^:?-+:?$/.test(cells[0])) continue;
			const enumName = /^(\w+) values$/i.exec(h3)?.[1];
			if (enumName) (page.enums[enumName] ??= []).push(cells[0]);
			else if (/^properties$/i.test(h2)) page.properties.push(property(cells));
			else if (/^relationships$/i.test(h2)) page.relationships.push({ name: cells[0], type: cells[1], description: cells.slice(2).join(' | ') });
			continue;
		}
		const fence = /^\s*```\s*([\w-]*)\s*$/.exec(line);
		if (!fence) continue;
		const body = [];
		while (i + 1 < lines.length && !/^\s*```\s*$/.test(lines[i + 1])) body.push(lines[++i]);
		i++;
		if (!/^json representation$/i.test(h2) || !annotation || page.json) continue;
		const parsed = lenientJson(body.join('\n').trim());
		page.odataType = annotation['@odata.type'] ?? null;
		page.baseType = annotation.baseType ?? null;
		page.openType = annotation.openType === true;
		page.optionalProperties = annotation.optionalProperties ?? [];
		page.json = 'value' in parsed ? parsed.value : null;
		if (parsed.repaired) page.jsonRepaired = parsed.repaired;
		if (parsed.error) page.jsonError = parsed.error;
	}
	return page;
}

/** One property row: `name | type | description`. */
function property(cells) {
	const [name, type] = cells;
	const description = cells.slice(2).join(' | ');
	const links = [...type.matchAll(/\[([^\]]+)\]\(([^)]*)\)/g)].map((m) => m[1]);
	const possible = /possible values?\s+(?:are|is)?:?\s*(.*)$/i.exec(description)?.[1] ?? '';
	const values = [...possible.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
	const required = /(^|\.\s+|^\s*)Required\.(\s|$)/.test(description) ? 'always' : /\brequired information for ([^.|]+)/i.exec(description)?.[1].trim() ?? null;
	return {
		name,
		type: type.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'),
		types: links.length ? links : [type.replace(/\s+collection$/i, '').replace(/^collection\((\w+)\)$/i, '$1')],
		collection: /\bcollection\b/i.test(type),
		description,
		values,
		readOnly: /\bread-only\b/i.test(description),
		required,
	};
}

/** `METHOD url` + headers + blank line + JSON body. */
function parseRequest(block) {
	const lines = block.split('\n');
	while (lines.length && !lines[0].trim()) lines.shift();
	const [method, target] = lines.shift().trim().split(/\s+/);
	const request = { method, url: target, path: requestPath(target), headers: {} };
	const rest = headersAndBody(lines, request.headers);
	if (rest.trim()) Object.assign(request, bodyOf(rest));
	return request;
}

/** `HTTP/1.1 201 Created` + headers + blank line + JSON body. */
function parseResponse(block) {
	const lines = block.split('\n');
	while (lines.length && !lines[0].trim()) lines.shift();
	const status = /^HTTP\/[\d.]+\s+(\d{3})/.exec(lines.shift() ?? '');
	const response = { status: status ? Number(status[1]) : null, headers: {} };
	const rest = headersAndBody(lines, response.headers);
	if (rest.trim()) Object.assign(response, bodyOf(rest));
	return response;
}

function headersAndBody(lines, headers) {
	while (lines.length && lines[0].trim()) {
		const h = /^([\w-]+):\s*(.*)$/.exec(lines[0]);
		if (!h) break;
		headers[h[1].toLowerCase()] = h[2].trim();
		lines.shift();
	}
	return lines.join('\n');
}

/** The path relative to the version root, for both absolute URLs and the docs' bare paths. */
function requestPath(target) {
	return target.replace(/^https:\/\/graph\.microsoft\.com/, '').replace(/^\/(v1\.0|beta)(?=\/)/, '');
}

function bodyOf(text) {
	const parsed = lenientJson(text.trim());
	return 'value' in parsed ? { body: parsed.value, ...(parsed.repaired ? { bodyRepaired: parsed.repaired } : {}) } : { bodyText: text.trim(), bodyError: parsed.error };
}

/** A commsNotifications payload in a json block, or in an http block after its request line and headers. */
function notificationPayload(block) {
	let text = block.trim();
	const post = /^POST\s+(\S+)/.exec(text);
	if (post) {
		const lines = text.split('\n').slice(1);
		text = headersAndBody(lines, {}).trim();
	}
	if (!text.startsWith('{')) return undefined;
	const parsed = lenientJson(text);
	if (!('value' in parsed) || parsed.value?.['@odata.type'] !== '#microsoft.graph.commsNotifications') return undefined;
	return { body: parsed.value, ...(parsed.repaired ? { bodyRepaired: parsed.repaired } : {}) };
}

/**
 * JSON as the docs write it: some examples carry `// comments` and trailing commas. Those two are repaired (and the
 * repair named, so a reader sees the docs were not strict JSON); anything else is left as text with the parse error.
 */
function lenientJson(text) {
	try {
		return { value: JSON.parse(text) };
	} catch {
		// fall through to the repairs
	}
	const repairs = [];
	let out = '';
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			out += c;
			if (c === '\\') out += text[++i] ?? '';
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') inString = true;
		if (c === '/' && text[i + 1] === '/') {
			while (i < text.length && text[i] !== '\n') i++;
			out += '\n';
			if (!repairs.includes('comments')) repairs.push('comments');
			continue;
		}
		out += c;
	}
	const noTrailing = out.replace(/,(\s*[}\]])/g, '$1');
	if (noTrailing !== out) repairs.push('trailing commas');
	try {
		return { value: JSON.parse(noTrailing), repaired: repairs.join(', ') };
	} catch (err) {
		return { error: err.message };
	}
}

module.exports = { parsePage, parseResourcePage, lenientJson, RESOURCE_PAGES };
if (require.main === module) process.exitCode = main(process.argv);
