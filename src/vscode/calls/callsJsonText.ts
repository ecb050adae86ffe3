import { redactForDisplay } from '../../core/graph/redaction';

/**
 * A call, participant or operation as the "Open as JSON" document shows it: pretty JSON with every secret-shaped
 * value redacted (recordingAccessToken and other tokens Graph puts in resources, credential-like strings).
 */
export function resourceJsonText(resource: unknown): string {
	return `${JSON.stringify(redactForDisplay(resource), null, 2)}\n`;
}
