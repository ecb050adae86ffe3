/**
 * Which doctor check a failed Graph request points at. Graph's calling errors name a code (7503, 7504, 7505, 8506)
 * or a missing permission, never the part of the setup that is wrong: this maps the answer to the check that finds
 * out, so an error message can name it and offer to run the doctor. A leaf module (no imports from graph/), so
 * GraphError can use it without a cycle.
 */
import { checkInfo, type DoctorCheckId } from './doctorChecks';

export interface GraphFailure {
	readonly status?: number;
	readonly code?: string;
	readonly message?: string;
}

/** Codes the calling service reports, in `error.code` or inside the message (sometimes as embedded JSON). */
const CODE_CHECKS: readonly { code: string; check: DoctorCheckId }[] = [
	// "Application is not registered in our store": no Azure Bot with this app id, or its Teams channel has calling off.
	{ code: '7503', check: 'botChannel' },
	// "Insufficient enterprise tenant permissions": no admin consent for the Calls.* permissions in this tenant.
	{ code: '7504', check: 'consent' },
	// "Request authorization tenant mismatch": the token is for another tenant than the call.
	{ code: '7505', check: 'tenant' },
	// Reported by developers next to the calling webhook (the calling service could not use the bot's callback).
	{ code: '8506', check: 'botChannel' },
];

function mentions(text: string | undefined, code: string): boolean {
	return text !== undefined && new RegExp(`(^|[^0-9])${code}([^0-9]|$)`).test(text);
}

/** The check a failure points at, or undefined when it says nothing about the setup. */
export function checkForGraphFailure(f: GraphFailure): DoctorCheckId | undefined {
	for (const { code, check } of CODE_CHECKS) {
		if (f.code === code || mentions(f.message, code)) return check;
	}
	if (f.status === 403) return 'roles';
	if (f.status === 400 && /callback ?ur[il]/i.test(f.message ?? '')) return 'callbackPublic';
	return undefined;
}

/** The sentence an error message adds: which check finds the cause. */
export function doctorHint(check: DoctorCheckId): string {
	return `Setup Doctor check "${checkInfo(check).title}" looks at this: run "Graph Calls: Run Setup Doctor".`;
}
