import { graphHostOf, type TenantProfile } from '../auth/tenantProfile';

/** The origin (scheme, host, port) of a URL, or undefined when it does not parse. */
export function originOf(url: string | URL): string | undefined {
	try {
		return new URL(url).origin;
	} catch {
		return undefined;
	}
}

/** True when `url` has exactly the origin of `graphHost` (scheme, host and port): the only place a token may go. */
export function isGraphHostUrl(url: string | URL, graphHost: string): boolean {
	const a = originOf(url);
	return a !== undefined && a === originOf(graphHost);
}

/** True when `url` belongs to the profile's Graph host, so the profile's bearer token may be attached to it. */
export function isProfileGraphUrl(url: string | URL, profile: Pick<TenantProfile, 'cloud' | 'emulator'>): boolean {
	return isGraphHostUrl(url, graphHostOf(profile));
}
