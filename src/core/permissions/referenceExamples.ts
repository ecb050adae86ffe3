/**
 * Code examples for the reference, made by the copy-as-code generators (src/core/requests/code) from the
 * documented request of one action per permission, like Graph's permission page shows one method per language.
 */
import { ENDPOINTS, type CallAction, type Permission } from '../schema/endpoints';
import { exampleFor } from '../requests/callExamples';
import { CODE_LANGUAGES, generateCode, type CodeLanguage } from '../requests/code';
import type { CodeExample } from './referenceModel';

/** The languages of Graph's permission page, plus raw HTTP. */
export const REFERENCE_LANGUAGES: readonly CodeLanguage[] = ['http', 'csharp', 'javascript', 'powershell', 'python'];

/** The action shown for a permission: a visible POST it is specifically least privileged for, with a documented example. */
export function exampleActionFor(permission: Permission, visible: readonly CallAction[]): CallAction | undefined {
	// Prefer methods that need this permission specifically over those any calls permission allows.
	const specificity = (r: (typeof ENDPOINTS)[number]) => (r.noRequestCheck ? 100 : 0) + r.leastPrivileged.length;
	const least = ENDPOINTS.filter((r) => visible.includes(r.action) && r.leastPrivileged.includes(permission)).sort((a, b) => specificity(a) - specificity(b));
	const candidates = [...least.filter((r) => r.method === 'POST' && r.action !== 'call.create'), ...least, ...ENDPOINTS.filter((r) => visible.includes(r.action))];
	return candidates.find((r) => exampleFor(r.action))?.action;
}

export function referenceExamples(permission: Permission, visible: readonly CallAction[]): CodeExample[] {
	const action = exampleActionFor(permission, visible);
	const example = action && exampleFor(action);
	if (!example) return [];
	const beta = example.path.startsWith('/beta/');
	const request = { method: example.method, url: beta ? example.path : `/v1.0${example.path}`, body: example.body };
	return REFERENCE_LANGUAGES.map((language) => ({
		language,
		title: `${CODE_LANGUAGES.find((l) => l.id === language)?.label ?? language}: ${example.title}`,
		code: generateCode(language, request, beta ? 'beta' : 'v1.0'),
	}));
}
