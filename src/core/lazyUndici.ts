/**
 * undici is about half of dist/extension.js and takes hundreds of milliseconds to evaluate, so it is loaded on the
 * first request rather than at activation. esbuild still bundles it; `require` here only delays evaluation.
 */
type Undici = typeof import('undici');

let undiciModule: Undici | undefined;

export function undici(): Undici {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred load is the point of this module
	undiciModule ??= require('undici') as Undici;
	return undiciModule;
}

export function isUndiciLoaded(): boolean {
	return undiciModule !== undefined;
}
