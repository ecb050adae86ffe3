/** Polls `probe` until it returns something truthy, or fails naming what it waited for and the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await probe();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last probe: ${String(v)})`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}
