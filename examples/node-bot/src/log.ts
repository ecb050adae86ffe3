/** One line per event on stdout: time, event name, then key=value pairs. Never a token or secret. */
export function logEvent(event: string, fields: Record<string, unknown> = {}): void {
	const parts = Object.entries(fields)
		.filter(([, v]) => v !== undefined && v !== null && v !== '')
		.map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
	process.stdout.write(`${new Date().toISOString()} ${event}${parts.length ? ' ' + parts.join(' ') : ''}\n`);
}
