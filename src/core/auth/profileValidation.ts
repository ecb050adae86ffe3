/**
 * Validation for the fields of a tenant profile. Each `validateX` returns undefined when the value is fine, or a
 * message that says what is wrong and what to enter instead (the shape InputBoxOptions.validateInput expects).
 */

const GUID_LOOSE = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** A GUID in any case, with or without dashes or braces, as lower-case 8-4-4-4-12; undefined when it is not one. */
export function normaliseGuid(value: string): string | undefined {
	const m = GUID_LOOSE.exec(value.trim());
	if (!m) return undefined;
	const dashed = value.trim().replace(/[{}]/g, '');
	// Either all four dashes or none: "0000000000000000-0000-..." is a typo, not a GUID.
	const dashes = (dashed.match(/-/g) ?? []).length;
	if (dashes !== 0 && dashes !== 4) return undefined;
	return m.slice(1, 6).join('-').toLowerCase();
}

export function isGuid(value: string): boolean {
	return normaliseGuid(value) !== undefined;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** A DNS name with at least two labels and an alphabetic top-level label, such as contoso.onmicrosoft.com. */
export function isDomainName(value: string): boolean {
	const v = value.trim();
	if (v.length > 253 || !v.includes('.')) return false;
	const labels = v.split('.');
	if (!labels.every((l) => LABEL.test(l))) return false;
	return /^[a-z]{2,63}$/i.test(labels[labels.length - 1]);
}

export function validateProfileName(value: string, takenNames: readonly string[] = []): string | undefined {
	const v = value.trim();
	if (!v) return 'Enter a name for the profile, for example "Contoso dev".';
	if (v.length > 64) return `The name has ${v.length} characters; use at most 64.`;
	if (takenNames.some((n) => n.toLowerCase() === v.toLowerCase())) return `A profile named "${v}" already exists: choose another name.`;
	return undefined;
}

export function validateTenantId(value: string): string | undefined {
	const v = value.trim();
	if (!v) return 'Enter the Directory (tenant) ID from the app registration\'s Overview page, or a verified domain such as contoso.onmicrosoft.com.';
	if (normaliseGuid(v) || isDomainName(v)) return undefined;
	if (/^(common|organizations|consumers)$/i.test(v)) return `"${v}" cannot get app-only tokens: enter the tenant's GUID or a verified domain such as contoso.onmicrosoft.com.`;
	if (/^[0-9a-f{}-]+$/i.test(v)) return `"${v}" is not a GUID: a tenant id has 32 hexadecimal digits, for example 72f988bf-86f1-41af-91ab-2d7cd011db47.`;
	return `"${v}" is neither a GUID nor a domain name: enter the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com.`;
}

/** The tenant id as stored: GUIDs normalised to lower-case with dashes, domains lower-cased. */
export function normaliseTenantId(value: string): string {
	return normaliseGuid(value) ?? value.trim().toLowerCase();
}

export function validateClientId(value: string): string | undefined {
	const v = value.trim();
	if (!v) return 'Enter the Application (client) ID from the app registration\'s Overview page.';
	if (normaliseGuid(v)) return undefined;
	return `"${v}" is not a GUID: the Application (client) ID has 32 hexadecimal digits, for example 11111111-2222-3333-4444-555555555555.`;
}

export function validateClientSecret(value: string): string | undefined {
	const v = value.trim();
	if (!v) return 'Paste the client secret\'s Value (not its Secret ID) from Certificates & secrets.';
	if (normaliseGuid(v)) return 'That looks like the Secret ID (a GUID). Copy the secret\'s Value column instead; it is shown only once, right after the secret is created.';
	if (/\s/.test(v)) return 'A client secret has no spaces: paste the Value column exactly.';
	return undefined;
}

function isLoopbackHost(hostname: string): boolean {
	return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/**
 * The public URL Graph posts notifications to. Graph requires https; plain http is accepted only on loopback
 * when `allowLoopbackHttp` is set (the emulator delivers there). Empty means "no callback URL yet".
 */
export function validateCallbackUrl(value: string, options: { allowLoopbackHttp?: boolean; required?: boolean } = {}): string | undefined {
	const v = value.trim();
	if (!v) return options.required ? 'Enter the public https URL that forwards to your bot, for example https://abc123.devtunnels.ms/api/calls.' : undefined;
	let url: URL;
	try {
		url = new URL(v);
	} catch {
		return `"${v}" is not a URL: enter an absolute https URL such as https://abc123.devtunnels.ms/api/calls.`;
	}
	if (url.username || url.password) return 'Remove the user name and password from the URL: Graph does not send them.';
	if (url.protocol === 'https:') return undefined;
	if (url.protocol === 'http:' && options.allowLoopbackHttp && isLoopbackHost(url.hostname)) return undefined;
	if (url.protocol === 'http:') return 'Graph only calls https callback URLs: use a tunnel (dev tunnels, ngrok) that gives your local port a public https URL.';
	return `"${url.protocol}" is not supported: the callback URL must start with https://.`;
}
