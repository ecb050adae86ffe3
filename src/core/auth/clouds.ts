/** The national clouds a profile can target, each with its Entra ID authority host and Graph host. */
export type CloudId = 'global' | 'usGovL4' | 'usGovL5' | 'china';

export interface CloudEndpoints {
	readonly id: CloudId;
	readonly label: string;
	/** Entra ID authority host, for example https://login.microsoftonline.com */
	readonly authorityHost: string;
	/** Graph root without the API version, for example https://graph.microsoft.com */
	readonly graphHost: string;
}

export const CLOUDS: Readonly<Record<CloudId, CloudEndpoints>> = {
	global: { id: 'global', label: 'Global (graph.microsoft.com)', authorityHost: 'https://login.microsoftonline.com', graphHost: 'https://graph.microsoft.com' },
	usGovL4: { id: 'usGovL4', label: 'US Government L4 (graph.microsoft.us)', authorityHost: 'https://login.microsoftonline.us', graphHost: 'https://graph.microsoft.us' },
	usGovL5: { id: 'usGovL5', label: 'US Government L5 / DoD (dod-graph.microsoft.us)', authorityHost: 'https://login.microsoftonline.us', graphHost: 'https://dod-graph.microsoft.us' },
	china: { id: 'china', label: 'China, operated by 21Vianet (microsoftgraph.chinacloudapi.cn)', authorityHost: 'https://login.chinacloudapi.cn', graphHost: 'https://microsoftgraph.chinacloudapi.cn' },
};
