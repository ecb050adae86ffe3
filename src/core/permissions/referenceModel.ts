/**
 * The permission reference as data: the endpoint table grouped by permission and API version, filtered by a
 * search query, each method marked granted or missing against a token's roles. The webview only renders it.
 */
import {
	ALL_PERMISSIONS,
	ENDPOINTS,
	allRoutes,
	docUrlFor,
	isAllowed,
	type ApiVersionName,
	type CallAction,
	type EndpointRow,
	type HttpMethod,
	type Permission,
} from '../schema/endpoints';
import { PERMISSION_INFO, registrationSteps } from './permissionInfo';

export type MethodStatus = 'granted' | 'missing' | 'unknown';

export interface ReferenceMethod {
	readonly action: CallAction;
	readonly version: ApiVersionName;
	readonly method: HttpMethod;
	readonly path: string;
	readonly viaAppAlias: boolean;
	readonly summary: string;
	/** How this section's permission relates to the method. */
	readonly privilege: 'least' | 'higher';
	readonly cmdlet?: string;
	readonly docUrl: string;
	readonly note?: string;
	readonly noRequestCheck: boolean;
	/** Whether the token's roles allow the method (any permission, not only this section's). */
	readonly status: MethodStatus;
}

export interface CodeExample {
	readonly language: string;
	readonly title: string;
	readonly code: string;
}

export interface ReferenceSection {
	readonly permission: Permission;
	readonly displayName: string;
	readonly description: string;
	/** Whether the token's roles include this permission; undefined without a token. */
	readonly granted?: boolean;
	readonly methods: Readonly<Record<ApiVersionName, readonly ReferenceMethod[]>>;
	readonly cmdlets: Readonly<Record<ApiVersionName, readonly string[]>>;
	readonly registrationSteps: readonly { title: string; detail: string }[];
	readonly examples: readonly CodeExample[];
}

export interface ReferenceModel {
	readonly query: string;
	/** The token's roles, or undefined when no profile is active or no token could be had. */
	readonly roles?: readonly string[];
	readonly profileName?: string;
	readonly sections: readonly ReferenceSection[];
	/** Distinct table rows behind the visible methods: what Export writes. */
	readonly rows: readonly EndpointRow[];
	readonly shownMethods: number;
	readonly totalMethods: number;
}

export interface ReferenceOptions {
	readonly query?: string;
	readonly roles?: readonly string[];
	readonly profileName?: string;
	/** Include beta's deprecated `/app/calls` aliases as methods of their own (the way Graph's page lists them). */
	readonly includeAppAliases?: boolean;
	/** Code examples for a permission's methods (the copy-as-code generators); none when absent. */
	readonly examplesFor?: (permission: Permission, actions: readonly CallAction[]) => readonly CodeExample[];
}

const FIELD_KEYS = ['permission', 'perm', 'method', 'path', 'cmdlet', 'action', 'version'] as const;
type FieldKey = (typeof FIELD_KEYS)[number];

export interface QueryTerm {
	readonly field?: FieldKey;
	readonly text: string;
}

/** Splits a query into terms; `method:post`, `path:participants`, `cmdlet:Invoke`, `perm:Media` target one field. */
export function parseQuery(query: string): QueryTerm[] {
	return query
		.trim()
		.split(/\s+/)
		.filter(Boolean)
		.map((raw) => {
			const m = /^(\w+):(.+)$/.exec(raw);
			const field = m && (FIELD_KEYS as readonly string[]).includes(m[1].toLowerCase()) ? (m[1].toLowerCase() as FieldKey) : undefined;
			return { field, text: (field ? m![2] : raw).toLowerCase() };
		});
}

interface Candidate {
	readonly permission: Permission;
	readonly m: Omit<ReferenceMethod, 'status'>;
}

function fieldsOf(c: Candidate): Record<Exclude<FieldKey, 'perm'>, string> {
	return {
		permission: c.permission.toLowerCase(),
		method: c.m.method.toLowerCase(),
		path: c.m.path.toLowerCase(),
		cmdlet: (c.m.cmdlet ?? '').toLowerCase(),
		action: c.m.action.toLowerCase(),
		version: c.m.version,
	};
}

/** Every term must match: a field term its field, a free term any of permission, method, path, cmdlet, action, summary. */
export function matchesTerms(c: Candidate, terms: readonly QueryTerm[]): boolean {
	const f = fieldsOf(c);
	const free = `${f.permission} ${f.method} ${f.path} ${f.cmdlet} ${f.action} ${c.m.summary.toLowerCase()}`;
	return terms.every((t) => {
		if (!t.field) return free.includes(t.text);
		const key = t.field === 'perm' ? 'permission' : t.field;
		return key === 'method' || key === 'version' ? f[key] === t.text || f[key].startsWith(t.text) : f[key].includes(t.text);
	});
}

function candidates(includeAppAliases: boolean): Candidate[] {
	const out: Candidate[] = [];
	for (const route of allRoutes()) {
		if (route.viaAppAlias && !includeAppAliases) continue;
		const r = route.row;
		for (const [privilege, list] of [['least', r.leastPrivileged], ['higher', r.higherPrivileged]] as const) {
			for (const permission of list) {
				out.push({
					permission,
					m: {
						action: r.action,
						version: route.version,
						method: route.method,
						path: route.path,
						viaAppAlias: route.viaAppAlias,
						summary: r.summary,
						privilege,
						cmdlet: route.version === 'beta' ? r.cmdlets.beta : r.cmdlets.v1,
						docUrl: docUrlFor(r, route.version),
						note: r.note,
						noRequestCheck: r.noRequestCheck === true,
					},
				});
			}
		}
	}
	return out;
}

const METHOD_ORDER: Record<HttpMethod, number> = { GET: 0, POST: 1, PATCH: 2, DELETE: 3 };

function byMethodThenPath(a: ReferenceMethod, b: ReferenceMethod): number {
	return METHOD_ORDER[a.method] - METHOD_ORDER[b.method] || a.path.localeCompare(b.path);
}

export function buildReferenceModel(options: ReferenceOptions = {}): ReferenceModel {
	const query = options.query ?? '';
	const terms = parseQuery(query);
	const all = candidates(options.includeAppAliases ?? true);
	const roles = options.roles;
	const statusOf = (action: CallAction): MethodStatus => (roles ? (isAllowed(action, roles) ? 'granted' : 'missing') : 'unknown');
	const shown = all.filter((c) => matchesTerms(c, terms));
	const sections: ReferenceSection[] = [];
	for (const permission of ALL_PERMISSIONS) {
		const mine = shown.filter((c) => c.permission === permission).map((c): ReferenceMethod => ({ ...c.m, status: statusOf(c.m.action) }));
		if (mine.length === 0) continue;
		const v1 = mine.filter((m) => m.version === 'v1.0').sort(byMethodThenPath);
		const beta = mine.filter((m) => m.version === 'beta').sort(byMethodThenPath);
		const info = PERMISSION_INFO[permission];
		const actions = [...new Set(mine.map((m) => m.action))];
		sections.push({
			permission,
			displayName: info.displayName,
			description: info.description,
			granted: roles ? roles.includes(permission) : undefined,
			methods: { 'v1.0': v1, beta },
			cmdlets: { 'v1.0': distinctCmdlets(v1), beta: distinctCmdlets(beta) },
			registrationSteps: registrationSteps(permission),
			examples: options.examplesFor?.(permission, actions) ?? [],
		});
	}
	const shownActions = new Set(shown.map((c) => c.m.action));
	return {
		query,
		roles: roles ? [...roles] : undefined,
		profileName: options.profileName,
		sections,
		rows: ENDPOINTS.filter((r) => shownActions.has(r.action)),
		shownMethods: sections.reduce((n, s) => n + s.methods['v1.0'].length + s.methods.beta.length, 0),
		totalMethods: all.length,
	};
}

function distinctCmdlets(methods: readonly ReferenceMethod[]): string[] {
	return [...new Set(methods.map((m) => m.cmdlet).filter((c): c is string => !!c))].sort();
}

/** granted/missing per table row, for exports; undefined without roles. */
export function statusByAction(rows: readonly EndpointRow[], roles: readonly string[] | undefined): Record<string, 'granted' | 'missing'> | undefined {
	if (!roles) return undefined;
	return Object.fromEntries(rows.map((r) => [r.action, isAllowed(r.action, roles) ? 'granted' : 'missing']));
}
