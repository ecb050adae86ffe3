import { CLOUDS, type CloudId } from './clouds';

export type ApiVersion = 'v1.0' | 'beta';
export type CredentialKind = 'secret' | 'certificate';

/**
 * A tenant profile without its secret. Everything here may be stored in globalState and exported;
 * the client secret or certificate private key lives only in SecretStorage (see src/vscode/profiles).
 */
export interface TenantProfile {
	/** Stable id, used to namespace the profile's secret. */
	readonly id: string;
	name: string;
	cloud: CloudId;
	/** Directory (tenant) id: a GUID or a verified domain such as contoso.onmicrosoft.com. */
	tenantId: string;
	/** Application (client) id: a GUID. */
	clientId: string;
	credentialKind: CredentialKind;
	/** Certificate profiles: where the PEM came from and its SHA-256 thumbprint (hex), for display. */
	certificatePath?: string;
	certificateThumbprint?: string;
	/** Certificate profiles: the SHA-1 thumbprint (hex), which the Entra admin center lists under Certificates & secrets. */
	certificateThumbprintSha1?: string;
	apiVersion: ApiVersion;
	/** Public https URL that forwards to the callback receiver (a dev tunnel), used as callbackUri. */
	callbackUrl?: string;
	/** Set for the local emulator profile: its authority and Graph root replace the cloud's. */
	emulator?: EmulatorEndpoints;
}

export interface EmulatorEndpoints {
	/** Authority including the tenant, for example https://127.0.0.1:PORT/TENANT_ID */
	authority: string;
	/** Graph root without the version, for example https://127.0.0.1:PORT */
	graphHost: string;
	/** PEM of the emulator's CA: trusted for this profile's connections only. */
	caCertPem: string;
	/** The emulator's control API, for example https://127.0.0.1:PORT/_emulator */
	controlUrl: string;
}

/** Graph root without the version: the only origin a bearer token for this profile may be sent to. */
export function graphHostOf(profile: Pick<TenantProfile, 'cloud' | 'emulator'>): string {
	return profile.emulator?.graphHost ?? CLOUDS[profile.cloud].graphHost;
}

/** Graph base URL including the API version, for example https://graph.microsoft.com/v1.0 */
export function graphBaseUrlOf(profile: Pick<TenantProfile, 'cloud' | 'emulator' | 'apiVersion'>): string {
	return `${graphHostOf(profile)}/${profile.apiVersion}`;
}

/** Entra authority including the tenant, for example https://login.microsoftonline.com/contoso.onmicrosoft.com */
export function authorityOf(profile: Pick<TenantProfile, 'cloud' | 'emulator' | 'tenantId'>): string {
	return profile.emulator?.authority ?? `${CLOUDS[profile.cloud].authorityHost}/${profile.tenantId}`;
}
