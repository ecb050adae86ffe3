/**
 * Export and import of the endpoint table (or the filtered part the reference shows) as JSON and CSV.
 * Import gives back exactly the rows that were exported, so exported files can be diffed, edited and
 * compared against the table; granted/missing marks travel alongside the rows, never inside them.
 */
import {
	ALL_PERMISSIONS,
	docUrlFor,
	type ApiVersionName,
	type CallAction,
	type EndpointRow,
	type HttpMethod,
	type Permission,
	type PermissionSource,
} from '../schema/endpoints';

export const EXPORT_FORMAT = 'graph-calls-permission-reference';
export const EXPORT_FORMAT_VERSION = 1;

export type RowStatus = 'granted' | 'missing';

export interface ReferenceExport {
	readonly rows: readonly EndpointRow[];
	/** granted/missing per action, when a profile's token was known. */
	readonly status?: Readonly<Record<string, RowStatus>>;
	readonly profileName?: string;
	readonly query?: string;
}

export class ReferenceImportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ReferenceImportError';
	}
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PATCH', 'DELETE'];
const VERSIONS: readonly ApiVersionName[] = ['v1.0', 'beta'];
const SOURCES: readonly PermissionSource[] = ['include', 'page', 'permissionPage', 'metadata', 'unverified'];
const ACTION = /^(call|participant|operation|contentSharingSession|audioRoutingGroup)\.[A-Za-z]+$/;

// ---- JSON ----

export function exportJson(e: ReferenceExport, exportedAt: Date = new Date()): string {
	return `${JSON.stringify(
		{
			format: EXPORT_FORMAT,
			formatVersion: EXPORT_FORMAT_VERSION,
			exportedAt: exportedAt.toISOString(),
			...(e.profileName ? { profile: e.profileName } : {}),
			...(e.query ? { query: e.query } : {}),
			rows: e.rows.map((r) => ({ ...r, docUrl: docUrlFor(r) })),
			...(e.status ? { status: e.status } : {}),
		},
		null,
		2,
	)}\n`;
}

export function importJson(text: string): ReferenceExport {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (err) {
		throw new ReferenceImportError(`The file is not valid JSON (${(err as Error).message}). Export it again with "Export JSON".`);
	}
	if (!isObject(doc) || doc.format !== EXPORT_FORMAT) throw new ReferenceImportError(`The file is not a permission reference export: "format" must be "${EXPORT_FORMAT}".`);
	if (doc.formatVersion !== EXPORT_FORMAT_VERSION) throw new ReferenceImportError(`The export has formatVersion ${String(doc.formatVersion)}; this version reads ${EXPORT_FORMAT_VERSION}. Export it again with this extension.`);
	if (!Array.isArray(doc.rows)) throw new ReferenceImportError('The export has no "rows" array.');
	const rows = doc.rows.map((raw, i) => {
		if (!isObject(raw)) throw new ReferenceImportError(`Row ${i + 1} is not an object.`);
		const where = `Row ${i + 1}`;
		return buildRow(where, {
			action: str(raw.action),
			method: str(raw.method),
			path: str(raw.path),
			versions: strList(where, 'versions', raw.versions),
			summary: str(raw.summary),
			leastPrivileged: strList(where, 'leastPrivileged', raw.leastPrivileged),
			higherPrivileged: strList(where, 'higherPrivileged', raw.higherPrivileged),
			delegated: raw.delegated,
			cmdletV1: isObject(raw.cmdlets) ? optStr(raw.cmdlets.v1) : undefined,
			cmdletBeta: isObject(raw.cmdlets) ? optStr(raw.cmdlets.beta) : undefined,
			docPath: str(raw.docPath),
			note: optStr(raw.note),
			noRequestCheck: raw.noRequestCheck === true,
			appAlias: raw.appAlias,
			sourcedFrom: str(raw.sourcedFrom),
		});
	});
	const status = doc.status === undefined ? undefined : readStatus(doc.status, rows);
	return { rows, status, profileName: optStr(doc.profile), query: optStr(doc.query) };
}

// ---- CSV (RFC 4180: comma separated, CRLF, fields with a comma, quote or line break quoted) ----

export const CSV_COLUMNS = [
	'action', 'method', 'path', 'versions', 'summary', 'leastPrivileged', 'higherPrivileged', 'delegated',
	'cmdletV1', 'cmdletBeta', 'docPath', 'docUrl', 'noRequestCheck', 'appAlias', 'sourcedFrom', 'note', 'status',
] as const;

const LIST_SEPARATOR = '; ';

export function exportCsv(e: ReferenceExport): string {
	const lines = [CSV_COLUMNS.join(',')];
	for (const r of e.rows) {
		const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
			action: r.action,
			method: r.method,
			path: r.path,
			versions: r.versions.join(LIST_SEPARATOR),
			summary: r.summary,
			leastPrivileged: r.leastPrivileged.join(LIST_SEPARATOR),
			higherPrivileged: r.higherPrivileged.join(LIST_SEPARATOR),
			delegated: String(r.delegated),
			cmdletV1: r.cmdlets.v1 ?? '',
			cmdletBeta: r.cmdlets.beta ?? '',
			docPath: r.docPath,
			docUrl: docUrlFor(r),
			noRequestCheck: r.noRequestCheck ? 'true' : 'false',
			appAlias: String(r.appAlias),
			sourcedFrom: r.sourcedFrom,
			note: r.note ?? '',
			status: e.status?.[r.action] ?? '',
		};
		lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
	}
	return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
	// A leading =, +, - or @ would run as a formula in a spreadsheet: prefix it with a quote character (and a
	// leading quote too, so import can tell the prefix from text that starts with one).
	const safe = /^[=+\-@']/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Parses RFC 4180 text into records; tolerates LF line ends and a trailing line break. */
export function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let cell = '';
	let quoted = false;
	let i = 0;
	const src = text.replace(/^\uFEFF/, '');
	while (i < src.length) {
		const ch = src[i];
		if (quoted) {
			if (ch === '"') {
				if (src[i + 1] === '"') {
					cell += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i++;
				continue;
			}
			cell += ch;
			i++;
			continue;
		}
		if (ch === '"' && cell === '') {
			quoted = true;
			i++;
		} else if (ch === ',') {
			record.push(cell);
			cell = '';
			i++;
		} else if (ch === '\r' || ch === '\n') {
			record.push(cell);
			records.push(record);
			record = [];
			cell = '';
			i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
		} else {
			cell += ch;
			i++;
		}
	}
	if (quoted) throw new ReferenceImportError('The CSV ends inside a quoted field: a closing quote is missing.');
	if (cell !== '' || record.length) {
		record.push(cell);
		records.push(record);
	}
	return records;
}

export function importCsv(text: string): ReferenceExport {
	const records = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
	if (records.length === 0) throw new ReferenceImportError('The CSV is empty: it needs the header line of an "Export CSV" file.');
	const header = records[0];
	const index = new Map(header.map((h, i) => [h.trim(), i]));
	const missing = CSV_COLUMNS.filter((c) => c !== 'docUrl' && c !== 'status' && c !== 'note' && !index.has(c));
	if (missing.length) throw new ReferenceImportError(`The CSV header lacks the column(s) ${missing.join(', ')}. Export it again with "Export CSV".`);
	const rows: EndpointRow[] = [];
	const status: Record<string, RowStatus> = {};
	records.slice(1).forEach((rec, n) => {
		const where = `CSV line ${n + 2}`;
		if (rec.length !== header.length) throw new ReferenceImportError(`${where} has ${rec.length} fields, the header ${header.length}: a field with a comma may have lost its quotes.`);
		const get = (c: (typeof CSV_COLUMNS)[number]) => (index.has(c) ? unformula(rec[index.get(c)!]) : '');
		const row = buildRow(where, {
			action: get('action'),
			method: get('method'),
			path: get('path'),
			versions: splitList(get('versions')),
			summary: get('summary'),
			leastPrivileged: splitList(get('leastPrivileged')),
			higherPrivileged: splitList(get('higherPrivileged')),
			delegated: get('delegated') === 'false' ? false : get('delegated'),
			cmdletV1: get('cmdletV1') || undefined,
			cmdletBeta: get('cmdletBeta') || undefined,
			docPath: get('docPath'),
			note: get('note') || undefined,
			noRequestCheck: readBool(where, 'noRequestCheck', get('noRequestCheck')),
			appAlias: get('appAlias') === '' ? undefined : readBool(where, 'appAlias', get('appAlias')),
			sourcedFrom: get('sourcedFrom'),
		});
		rows.push(row);
		const s = get('status');
		if (s === 'granted' || s === 'missing') status[row.action] = s;
		else if (s !== '') throw new ReferenceImportError(`${where}: status must be granted, missing or empty, not "${s}".`);
	});
	return { rows, status: Object.keys(status).length ? status : undefined };
}

function unformula(cell: string): string {
	return /^'[=+\-@']/.test(cell) ? cell.slice(1) : cell;
}

function splitList(cell: string): string[] {
	return cell.split(';').map((s) => s.trim()).filter(Boolean);
}

function readBool(where: string, field: string, v: string): boolean {
	if (v === 'true') return true;
	if (v === 'false' || v === '') return false;
	throw new ReferenceImportError(`${where}: ${field} must be true or false, not "${v}".`);
}

// ---- shared validation ----

interface RawRow {
	action: string;
	method: string;
	path: string;
	versions: string[];
	summary: string;
	leastPrivileged: string[];
	higherPrivileged: string[];
	delegated: unknown;
	cmdletV1?: string;
	cmdletBeta?: string;
	docPath: string;
	note?: string;
	noRequestCheck: boolean;
	appAlias: unknown;
	sourcedFrom: string;
}

function buildRow(where: string, r: RawRow): EndpointRow {
	if (!ACTION.test(r.action)) throw new ReferenceImportError(`${where}: "${r.action}" is not a calls action name such as call.create.`);
	if (!(METHODS as readonly string[]).includes(r.method)) throw new ReferenceImportError(`${where} (${r.action}): method must be one of ${METHODS.join(', ')}, not "${r.method}".`);
	if (!r.path.startsWith('/communications/calls')) throw new ReferenceImportError(`${where} (${r.action}): path must start with /communications/calls, not "${r.path}".`);
	if (r.versions.length === 0 || r.versions.some((v) => !(VERSIONS as readonly string[]).includes(v))) throw new ReferenceImportError(`${where} (${r.action}): versions must be v1.0 and/or beta, not "${r.versions.join(', ')}".`);
	if (r.delegated !== false) throw new ReferenceImportError(`${where} (${r.action}): delegated must be false; calls methods are application-only.`);
	if (!(SOURCES as readonly string[]).includes(r.sourcedFrom)) throw new ReferenceImportError(`${where} (${r.action}): sourcedFrom must be one of ${SOURCES.join(', ')}, not "${r.sourcedFrom}".`);
	if (!r.docPath.endsWith('.md')) throw new ReferenceImportError(`${where} (${r.action}): docPath must name a .md page of microsoft-graph-docs-contrib.`);
	if (r.leastPrivileged.length === 0) throw new ReferenceImportError(`${where} (${r.action}): leastPrivileged is empty; every calls method needs an application permission.`);
	const perms = (list: string[], field: string): Permission[] =>
		list.map((p) => {
			if (!(ALL_PERMISSIONS as readonly string[]).includes(p)) throw new ReferenceImportError(`${where} (${r.action}): ${field} has "${p}", which is not one of ${ALL_PERMISSIONS.join(', ')}.`);
			return p as Permission;
		});
	const cmdlets: { v1?: string; beta?: string } = {};
	if (r.cmdletV1) cmdlets.v1 = r.cmdletV1;
	if (r.cmdletBeta) cmdlets.beta = r.cmdletBeta;
	const row: EndpointRow = {
		action: r.action as CallAction,
		method: r.method as HttpMethod,
		path: r.path,
		versions: r.versions as ApiVersionName[],
		summary: r.summary,
		leastPrivileged: perms(r.leastPrivileged, 'leastPrivileged'),
		higherPrivileged: perms(r.higherPrivileged, 'higherPrivileged'),
		delegated: false,
		cmdlets,
		docPath: r.docPath,
		appAlias: r.appAlias !== false,
		sourcedFrom: r.sourcedFrom as PermissionSource,
		...(r.note ? { note: r.note } : {}),
		...(r.noRequestCheck ? { noRequestCheck: true } : {}),
	};
	return row;
}

function readStatus(v: unknown, rows: readonly EndpointRow[]): Record<string, RowStatus> {
	if (!isObject(v)) throw new ReferenceImportError('"status" must be an object of action: granted|missing.');
	const actions = new Set(rows.map((r) => r.action as string));
	const out: Record<string, RowStatus> = {};
	for (const [action, s] of Object.entries(v)) {
		if (!actions.has(action)) throw new ReferenceImportError(`"status" names ${action}, which is not among the exported rows.`);
		if (s !== 'granted' && s !== 'missing') throw new ReferenceImportError(`"status" of ${action} must be granted or missing, not ${JSON.stringify(s)}.`);
		out[action] = s;
	}
	return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return !!v && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string {
	return typeof v === 'string' ? v : '';
}

function optStr(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
}

function strList(where: string, field: string, v: unknown): string[] {
	if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ReferenceImportError(`${where}: ${field} must be an array of strings.`);
	return v as string[];
}
