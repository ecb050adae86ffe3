/** The emulator CLI's ready line, the CA as PEM, and a way to stop the process (see emulatorChild.js). */
export interface EmulatorChild {
	readonly graphBaseUrl: string;
	readonly baseUrl: string;
	readonly authority: string;
	readonly tenantId: string;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly controlUrl: string;
	readonly caCertFile: string;
	readonly caCertPem: string;
	readonly pid: number;
	stop(): Promise<void>;
}

export function startEmulatorChild(extraArgs?: string[]): Promise<EmulatorChild>;
