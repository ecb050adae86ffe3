// Types for launchCodeServer.js (plain JavaScript so `npm start` runs it without compiling). TypeScript callers
// load it at run time with createRequire, since out/ holds no copy of the .js file.
import type { BrowserContext, Page } from 'playwright-core';

export interface CodeServerOptions {
	/** Holds HOME, the user data and (unless extensionsDir is given) the extensions. */
	stateDir: string;
	/** Folder the workbench opens. */
	workspace?: string;
	extensionsDir?: string;
	/** User settings, on top of the harness defaults (no welcome page, no chat, no telemetry). */
	settings?: Record<string, unknown>;
	/** Needed for the `payload` URL parameter (extension tests). */
	smokeTestDriver?: boolean;
	env?: Record<string, string>;
	logFile?: string;
	/** Default: a free port. */
	port?: number;
	/** What the login page accepts; default: a new random one (newPassword()). Passed in the environment only. */
	password?: string;
	startupTimeoutMs?: number;
}

export interface CodeServer {
	readonly port: number;
	/** http://127.0.0.1:PORT */
	readonly baseUrl: string;
	/** Pid of code-server, which is also its process group id. */
	readonly pid: number;
	/** The login password of this start. A secret: never print or log it. */
	readonly password: string;
	readonly userDataDir: string;
	readonly extensionsDir: string;
	/** SIGTERM to the whole process group, SIGKILL after 3 s. */
	stop(): Promise<void>;
}

export function startCodeServer(options: CodeServerOptions): Promise<CodeServer>;
/** Copies the built extension into extensionsDir as an install would; returns the installed folder. */
export function installExtension(extensionsDir: string): string;
export function launchChromium(profileDir: string, options?: { viewport?: { width: number; height: number } }): Promise<BrowserContext>;
/** Opens `url`, and on the login page code-server shows instead, types the password and submits. */
export function signIn(page: Page, url: string, password: string, options?: { timeoutMs?: number }): Promise<void>;
/** Answers the workbench's startup trust prompt with "Yes, I trust the authors" and waits for it to close. */
export function trustFolder(page: Page, options?: { timeoutMs?: number }): Promise<void>;
export const TRUST_PROMPT: string;
/** 192 random bits, base64url. */
export function newPassword(): string;
export function payloadUrl(baseUrl: string, folder: string, options?: { extensionDevelopmentPath?: string; extensionTestsPath?: string; logLevel?: string }): string;
export function freePort(): Promise<number>;
export function freshDir(dir: string): string;
export function killGroup(pid: number, signal: NodeJS.Signals | number): boolean;
export const CHROMIUM_ARGS: readonly string[];
