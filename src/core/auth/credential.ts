/**
 * The secret part of a profile. It is stored only in VS Code SecretStorage (as the JSON of this type) and never
 * in globalState, settings, exports or logs.
 */
export type ProfileCredential =
	| { readonly kind: 'secret'; readonly clientSecret: string }
	/** The PEM holding the certificate and its unencrypted private key. */
	| { readonly kind: 'certificate'; readonly pem: string };

export function serialiseCredential(credential: ProfileCredential): string {
	return JSON.stringify(credential);
}

/** Undefined when the stored text is missing or not a credential: the caller asks the user again. */
export function parseStoredCredential(text: string | undefined): ProfileCredential | undefined {
	if (!text) return undefined;
	try {
		const v = JSON.parse(text) as Partial<{ kind: string; clientSecret: unknown; pem: unknown }>;
		if (v.kind === 'secret' && typeof v.clientSecret === 'string' && v.clientSecret) return { kind: 'secret', clientSecret: v.clientSecret };
		if (v.kind === 'certificate' && typeof v.pem === 'string' && v.pem) return { kind: 'certificate', pem: v.pem };
	} catch {
		// Not JSON: treat as missing rather than guessing.
	}
	return undefined;
}

/** The strings that must never reach a log line, an error message or an export. */
export function secretsOf(credential: ProfileCredential): string[] {
	if (credential.kind === 'secret') return [credential.clientSecret];
	const keys = credential.pem.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/g) ?? [];
	// Also each base64 line of a key, in case a library prints one line of it.
	return keys.flatMap((k) => [k, ...k.split(/\r?\n/).filter((l) => l.length >= 40 && !l.startsWith('-----'))]);
}

/** Replaces every occurrence of the given secrets in `text`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const s of secrets) {
		if (s.length >= 4) out = out.split(s).join('[redacted]');
	}
	return out;
}
