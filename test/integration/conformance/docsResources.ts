/**
 * The Graph v1.0 resource pages of the calls API (test/fixtures/graph-docs/resources, made by
 * test/scripts/refreshGraphDocsFixtures.js) as a schema: every property a resource page documents, in its table or
 * its JSON representation, with its type and the values it lists. `DocsSchema.check` walks a JSON value the emulator
 * sent and names every property no page documents, every value of the wrong JSON type and every value outside the
 * documented ones. `@odata.*` annotations are not properties (only `@odata.type` is read, to pick the page).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DocsProperty {
	name: string;
	type: string;
	types: string[];
	collection: boolean;
	description: string;
	values: string[];
	readOnly: boolean;
	/** 'always' for "Required.", else the case the page names ("joining a meeting"), null when not required. */
	required: string | null;
}

export interface DocsResourcePage {
	source: { repo: string; path: string; commit: string | null };
	name: string;
	odataType: string | null;
	openType: boolean;
	properties: DocsProperty[];
	enums: Record<string, string[]>;
	json: Record<string, unknown> | null;
}

/** A documented exception: a property the emulator sends that its resource page does not list, and the API page example that shows it. */
export interface ShownElsewhere {
	/** The API page fixture (test/fixtures/graph-docs/<page>.json) whose examples show the property. */
	page: string;
	why: string;
}

export interface Finding {
	path: string;
	problem: string;
}

function repoRoot(): string {
	let dir = __dirname;
	while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
	return dir;
}
export const DOCS_FIXTURES = path.join(repoRoot(), 'test/fixtures/graph-docs');

export function loadResourcePages(): DocsResourcePage[] {
	const dir = path.join(DOCS_FIXTURES, 'resources');
	return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as DocsResourcePage);
}

const PRIMITIVES: Record<string, (v: unknown) => boolean> = {
	string: (v) => typeof v === 'string',
	boolean: (v) => typeof v === 'boolean',
	int32: (v) => Number.isInteger(v),
	int64: (v) => Number.isInteger(v),
	datetime: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
	datetimeoffset: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
};

/**
 * Subtypes the pages name with "Inherits from" (or a baseType annotation): a value of the subtype may stand where
 * the base is documented. commsOperation's subtypes are the operation pages (each "Inherits from commsOperation" or
 * is listed as its return type on call.md).
 */
const SUBTYPES: Record<string, string[]> = {
	identityset: ['communicationsidentityset'],
	identity: ['communicationsuseridentity', 'communicationsphoneidentity', 'communicationsapplicationidentity', 'communicationsapplicationinstanceidentity'],
	mediaconfig: ['apphostedmediaconfig', 'servicehostedmediaconfig'],
	meetinginfo: ['organizermeetinginfo', 'tokenmeetinginfo', 'joinmeetingidmeetinginfo'],
	calloptions: ['outgoingcalloptions'],
};

/**
 * The identitySet of a call's participants is a communicationsIdentitySet: communicationsidentityset.md says it
 * "identif[ies] a participant in a call or meeting" and inherits from identitySet, and it is the page that types
 * the members calls use (user with tenantId, phone, applicationInstance, guest...). identitySet's own page types every
 * member as a bare identity.
 */
const REFINED: Record<string, string> = { identityset: 'communicationsidentityset' };

export class DocsSchema {
	private readonly pages = new Map<string, DocsResourcePage>();
	/** "type.property" pairs checked at least once, and how many values were checked. */
	readonly checked = new Set<string>();
	values = 0;
	/** Exceptions that were needed while checking (the test fails on exceptions nobody needed). */
	readonly used = new Set<string>();

	constructor(pages: DocsResourcePage[], private readonly elsewhere: Record<string, ShownElsewhere> = {}) {
		for (const p of pages) this.pages.set((p.odataType ?? p.name).replace(/^#?microsoft\.graph\./, '').toLowerCase(), p);
	}

	page(type: string): DocsResourcePage | undefined {
		return this.pages.get(type.replace(/^#?microsoft\.graph\./, '').toLowerCase());
	}

	get pageCount(): number {
		return this.pages.size;
	}

	/** Everything wrong with `value` as an instance of `type` (a resource page's type name). */
	check(value: unknown, type: string, at = '$'): Finding[] {
		const out: Finding[] = [];
		this.object(value, type.replace(/^#?microsoft\.graph\./, '').toLowerCase(), at, out);
		return out;
	}

	private object(value: unknown, type: string, at: string, out: Finding[]): void {
		if (value === null) return;
		if (typeof value !== 'object' || Array.isArray(value)) {
			out.push({ path: at, problem: `documented as ${type} (an object), sent ${JSON.stringify(value)?.slice(0, 60)}` });
			return;
		}
		const v = value as Record<string, unknown>;
		const sentType = typeof v['@odata.type'] === 'string' ? (v['@odata.type'] as string).replace(/^#?microsoft\.graph\./, '').toLowerCase() : undefined;
		let use = REFINED[type] ?? type;
		if (sentType && sentType !== type && sentType !== use) {
			if (!this.isSubtype(sentType, type)) {
				out.push({ path: `${at}.@odata.type`, problem: `documented as ${type}, sent ${String(v['@odata.type'])}` });
				return;
			}
			use = REFINED[sentType] ?? sentType;
		}
		const page = this.page(use);
		if (!page) return; // A type without a page here (removedState, onlineMeetingRestricted...): an object is all that is checked.
		const documented = new Map(page.properties.map((p) => [p.name, p]));
		for (const key of Object.keys(page.json ?? {})) if (!documented.has(key) && !key.startsWith('@odata.')) documented.set(key, jsonOnly(page, key));
		for (const [key, child] of Object.entries(v)) {
			if (key.startsWith('@odata.')) continue;
			const where = `${at}.${key}`;
			const prop = documented.get(key);
			this.values++;
			if (!prop) {
				const exception = `${page.name.toLowerCase()}.${key}`;
				if (this.elsewhere[exception]) {
					this.used.add(exception);
					continue;
				}
				out.push({ path: where, problem: `${key} is not a property of ${page.name} (${page.source.path})` });
				continue;
			}
			this.checked.add(`${page.name}.${key}`);
			this.property(child, prop, page, where, out);
		}
	}

	private property(value: unknown, prop: DocsProperty, page: DocsResourcePage, at: string, out: Finding[]): void {
		if (value === null || value === undefined) return; // Graph sends null for a documented property without a value.
		if (prop.collection) {
			if (!Array.isArray(value)) {
				out.push({ path: at, problem: `documented as a ${prop.type}, sent ${JSON.stringify(value).slice(0, 60)}` });
				return;
			}
			value.forEach((el, i) => this.single(el, prop, page, `${at}[${i}]`, out));
			return;
		}
		this.single(value, prop, page, at, out);
	}

	private single(value: unknown, prop: DocsProperty, page: DocsResourcePage, at: string, out: Finding[]): void {
		const allowed = allowedValues(prop, page);
		if (allowed.length) {
			if (typeof value !== 'string' || !allowed.includes(value)) out.push({ path: at, problem: `${JSON.stringify(value)} is not among the documented values of ${page.name}.${prop.name}: ${allowed.join(', ')}` });
			return;
		}
		const primitive = PRIMITIVES[prop.types[0]?.toLowerCase() ?? ''];
		if (primitive) {
			if (!primitive(value)) out.push({ path: at, problem: `documented as ${prop.types[0]}, sent ${JSON.stringify(value)?.slice(0, 60)}` });
			return;
		}
		if (typeof value !== 'object' || Array.isArray(value)) {
			// A named type without values or a page (callDirection, modality...) is an enum sent as a string.
			if (typeof value !== 'string') out.push({ path: at, problem: `documented as ${prop.type}, sent ${JSON.stringify(value)?.slice(0, 60)}` });
			return;
		}
		const sent = typeof (value as Record<string, unknown>)['@odata.type'] === 'string' ? String((value as Record<string, unknown>)['@odata.type']).replace(/^#?microsoft\.graph\./, '').toLowerCase() : undefined;
		const candidates = prop.types.map((t) => t.toLowerCase());
		// A client may name the base type where the page documents a subtype (the docs' own requests send
		// "#microsoft.graph.identity" for a user): the value is then read as the documented type.
		const match = sent ? candidates.find((t) => t === sent || this.isSubtype(sent, t) || this.isSubtype(t, sent)) : undefined;
		if (sent && !match) {
			out.push({ path: `${at}.@odata.type`, problem: `${page.name}.${prop.name} is documented as ${prop.type}, sent ${sent}` });
			return;
		}
		const documentedType = match && sent && this.isSubtype(match, sent) ? match : undefined;
		this.object(documentedType ? { ...(value as object), '@odata.type': undefined } : value, match ?? candidates.find((t) => this.pages.has(t) || SUBTYPES[t]) ?? candidates[0], at, out);
	}

	private isSubtype(sub: string, base: string): boolean {
		return (SUBTYPES[base] ?? []).includes(sub) || (base === 'commsoperation' && sub.endsWith('operation') && this.pages.has(sub));
	}
}

/** A property only the JSON representation names: typed by its example value. */
function jsonOnly(page: DocsResourcePage, key: string): DocsProperty {
	const example = page.json?.[key];
	const type = Array.isArray(example) ? 'collection' : example && typeof example === 'object' ? String((example as Record<string, unknown>)['@odata.type'] ?? 'object').replace(/^#?microsoft\.graph\./, '') : typeof example === 'boolean' ? 'Boolean' : typeof example === 'number' ? 'Int64' : 'String';
	return { name: key, type, types: [type], collection: Array.isArray(example), description: '(JSON representation only)', values: [], readOnly: false, required: null };
}

/**
 * The values a page lists for a property: after "possible values" in its description, in its enum table, and in its
 * JSON representation ("a | b | c"). The pages are not always consistent (toneinfo.md's JSON adds a, b, c, d and flash;
 * senddtmftonesoperation.md spells unknownFutureValue two ways): any of them is documented.
 */
export function allowedValues(prop: DocsProperty, page: DocsResourcePage): string[] {
	const example = page.json?.[prop.name];
	const fromJson = typeof example === 'string' && example.includes(' | ') ? example.split('|').map((s) => s.trim()) : [];
	const enumTable = Object.entries(page.enums).find(([name]) => prop.types.some((t) => t.toLowerCase() === name.toLowerCase()))?.[1] ?? [];
	return [...new Set([...prop.values, ...enumTable, ...fromJson])];
}
