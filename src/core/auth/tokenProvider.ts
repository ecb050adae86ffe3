export interface AccessToken {
	readonly token: string;
	readonly expiresOn: Date;
}

export interface TokenRequestOptions {
	/** Skip the cache: used once after a 401 with an expired token. */
	readonly forceRefresh?: boolean;
	readonly signal?: AbortSignal;
}

/** Gives app-only tokens for one profile's Graph scope (`<graphHost>/.default`). */
export interface TokenProvider {
	getToken(options?: TokenRequestOptions): Promise<AccessToken>;
}
