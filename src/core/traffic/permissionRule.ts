/**
 * `unused-permission`: the application roles the bot's token holds that none of its requests needed. What each
 * request needs comes from the one endpoint table (src/core/schema/endpoints.ts); a create needs what its kind of
 * call needs (CREATE_CALL_PERMISSIONS). The least-privilege set is the smallest set of held roles that covers
 * every request, preferring lower privilege on ties. Only calls permissions are judged: the table knows nothing
 * about the other Graph APIs a bot may use with the same token.
 */
import { ALL_PERMISSIONS, CREATE_CALL_PERMISSIONS, normalizePermission, permissionsFor, type CallAction, type Permission } from '../schema/endpoints';
import { TrafficView, type IndexedEntry, type LintRule } from './lintModel';

/** Least privileged first: a tie between two covering sets goes to the one with less power. */
const PRIVILEGE_ORDER: readonly Permission[] = ['Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCall.All', 'Calls.Initiate.All', 'Calls.InitiateGroupCall.All', 'Calls.AccessMedia.All'];

const byAction = new Map<CallAction, readonly Permission[]>();

/** Each inner list: any one of these permissions allows the request. */
export function requirementsOf(e: IndexedEntry): (readonly Permission[])[] {
	if (!e.action) return [];
	if (e.action !== 'call.create') {
		let perms = byAction.get(e.action);
		if (!perms) byAction.set(e.action, (perms = permissionsFor(e.action)));
		return [perms];
	}
	const body = e.requestJson() ?? {};
	const out: (readonly Permission[])[] = [];
	const targets = Array.isArray(body.targets) ? body.targets : [];
	const phone = targets.some((t) => !!(t as { identity?: { phone?: unknown } } | null)?.identity?.phone);
	if (body.meetingInfo || body.chatInfo) out.push(CREATE_CALL_PERMISSIONS.joinMeeting);
	else if (targets.length > 1) out.push(CREATE_CALL_PERMISSIONS.group);
	else if (phone) out.push(CREATE_CALL_PERMISSIONS.pstn);
	else out.push(CREATE_CALL_PERMISSIONS.peerToPeer);
	const media = (body.mediaConfig as Record<string, unknown> | undefined)?.['@odata.type'];
	if (typeof media === 'string' && /appHostedMediaConfig/i.test(media)) out.push(CREATE_CALL_PERMISSIONS.appHostedMedia);
	return out;
}

/** The smallest subset of `held` that meets every requirement it can meet (2^5 subsets at most). */
export function leastPrivilegeSet(held: readonly Permission[], requirements: readonly (readonly Permission[])[]): Permission[] {
	const heldSorted = PRIVILEGE_ORDER.filter((p) => held.includes(p));
	const needs = requirements.map((r) => r.filter((p) => heldSorted.includes(p))).filter((r) => r.length > 0);
	let best: Permission[] | undefined;
	let bestRank = Infinity;
	for (let mask = 0; mask < 1 << heldSorted.length; mask++) {
		const set = heldSorted.filter((_, i) => mask & (1 << i));
		if (best && set.length > best.length) continue;
		if (!needs.every((r) => r.some((p) => set.includes(p)))) continue;
		const rank = set.reduce((s, p) => s + (1 << PRIVILEGE_ORDER.indexOf(p)), 0);
		if (!best || set.length < best.length || rank < bestRank) {
			best = set;
			bestRank = rank;
		}
	}
	return best ?? [];
}

export const unusedPermission: LintRule = {
	id: 'unused-permission',
	severity: 'warning',
	summary: 'Calls application roles in the bot\'s token that none of its requests needed (least privilege).',
	docs: 'https://learn.microsoft.com/graph/permissions-overview#best-practices-for-using-microsoft-graph-permissions',
	wholeRecord: true,
	check(view) {
		if (!view.roles) return [];
		const held = [...new Set(view.roles.map(normalizePermission).filter((p): p is Permission => p !== undefined))];
		const requests = view.byTime.filter((e) => e.direction === 'out' && e.action && (TrafficView.ok(e) || e.status === 0 || e.status >= 500));
		if (!held.length || !requests.length) return [];
		// Thousands of requests need a handful of distinct permission lists: dedupe before the subset search.
		const distinct = new Map<string, readonly Permission[]>();
		for (const e of requests) for (const r of requirementsOf(e)) distinct.set(r.join(' '), r);
		const requirements = [...distinct.values()];
		const needed = leastPrivilegeSet(held, requirements);
		const unused = ALL_PERMISSIONS.filter((p) => held.includes(p) && !needed.includes(p));
		if (!unused.length) return [];
		return [{
			rule: this.id,
			severity: this.severity,
			entry: requests[0].index,
			docs: this.docs,
			message: `The bot's token holds ${unused.join(', ')}, which none of its ${requests.length} Graph calls request(s) in this record needed. Least privilege for what it did: ${needed.length ? needed.join(', ') : 'no calls permission'}. Remove the rest from the app registration (or check that a path this record did not exercise needs them).`,
		}];
	},
};
