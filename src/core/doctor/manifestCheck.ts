/**
 * The Teams app manifest in the workspace: its shape (the fields the schema requires, the bots entry), the bot's id
 * against the client id, supportsCalling, and supportsVideo when the bot asks for video. Field names and rules are
 * from the manifest schema (learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema) and the
 * calling bot registration page (bots[].supportsCalling / supportsVideo).
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { cannotCheck, fail, pass, type CheckResult } from './doctorModel';

/** Where Teams Toolkit and the samples keep the manifest, relative to a workspace folder. */
export const MANIFEST_PLACES = ['manifest.json', 'appPackage/manifest.json', 'appManifest/manifest.json', 'teamsAppManifest/manifest.json', 'manifest/manifest.json'];

export interface ManifestSource {
	readonly path: string;
	readonly text: string;
}

/** The first manifest.json in the usual places under `folders`; undefined when there is none. */
export async function findManifest(folders: readonly string[]): Promise<string | undefined> {
	for (const folder of folders) {
		for (const place of MANIFEST_PLACES) {
			const file = path.join(folder, place);
			try {
				if ((await stat(file)).isFile()) return file;
			} catch {
				// not here
			}
		}
	}
	return undefined;
}

export async function readManifest(file: string): Promise<ManifestSource> {
	return { path: file, text: await readFile(file, 'utf8') };
}

const REQUIRED = ['manifestVersion', 'version', 'id', 'developer', 'name', 'description', 'icons', 'accentColor'];
const SCOPES = ['team', 'personal', 'groupChat', 'groupchat', 'copilot'];
const PLACEHOLDER = /^\$\{\{\s*[A-Za-z0-9_]+\s*\}\}$|^\{\{[^}]+\}\}$|^%[A-Z0-9_-]+%$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** Shape problems, one sentence each (empty when the shape is right). */
export function manifestShapeProblems(m: Json): string[] {
	const problems: string[] = [];
	for (const key of REQUIRED) if (m[key] === undefined) problems.push(`"${key}" is missing (the schema requires it)`);
	if (m.name !== undefined && !(isObject(m.name) && typeof m.name.short === 'string')) problems.push('"name" must be an object with "short"');
	if (m.description !== undefined && !(isObject(m.description) && typeof m.description.short === 'string')) problems.push('"description" must be an object with "short"');
	if (m.icons !== undefined && !(isObject(m.icons) && typeof m.icons.color === 'string' && typeof m.icons.outline === 'string')) problems.push('"icons" must name "color" and "outline"');
	if (m.bots === undefined) problems.push('"bots" is missing: a calling bot is declared there');
	else if (!Array.isArray(m.bots)) problems.push('"bots" must be an array');
	else {
		m.bots.forEach((b: unknown, i: number) => {
			if (!isObject(b)) return void problems.push(`bots[${i}] must be an object`);
			if (typeof b.botId !== 'string' || !b.botId) problems.push(`bots[${i}].botId must be the bot's Microsoft App ID`);
			if (!Array.isArray(b.scopes) || b.scopes.length === 0) problems.push(`bots[${i}].scopes must list team, personal or groupChat`);
			else for (const s of b.scopes) if (!SCOPES.includes(String(s))) problems.push(`bots[${i}].scopes has "${String(s)}" (use ${SCOPES.filter((x) => x !== 'groupchat').join(', ')})`);
			for (const flag of ['supportsCalling', 'supportsVideo', 'supportsFiles', 'isNotificationOnly']) {
				if (b[flag] !== undefined && typeof b[flag] !== 'boolean') problems.push(`bots[${i}].${flag} must be true or false, not ${JSON.stringify(b[flag])}`);
			}
		});
	}
	return problems;
}

export function manifestCheck(source: ManifestSource | { readonly path?: string; readonly error: string } | undefined, clientId: string, wantsVideo: boolean): CheckResult {
	if (!source) return cannotCheck('manifest', `No Teams app manifest found (looked for ${MANIFEST_PLACES.join(', ')}).`, 'Open the folder that holds the Teams app package, or pass --manifest PATH.');
	if ('error' in source) return fail('manifest', `${source.path ?? 'The manifest'} cannot be read: ${source.error}`, 'Point the doctor at the manifest.json of the Teams app package.');
	const where = source.path;
	let m: unknown;
	try {
		m = JSON.parse(source.text.replace(/^\uFEFF/, ''));
	} catch (err) {
		return fail('manifest', `${where} is not valid JSON: ${(err as Error).message}`, 'Fix the JSON (Teams rejects the package otherwise).');
	}
	if (!isObject(m)) return fail('manifest', `${where} is not a JSON object.`, 'A manifest is one JSON object.');
	const problems = manifestShapeProblems(m);
	const bots = Array.isArray(m.bots) ? m.bots.filter(isObject) : [];
	const bot = bots.find((b) => typeof b.botId === 'string' && b.botId.toLowerCase() === clientId.toLowerCase());
	const placeholder = bots.find((b) => typeof b.botId === 'string' && PLACEHOLDER.test(b.botId));
	if (!bot) {
		if (placeholder) {
			return cannotCheck('manifest', `${where}: bots[].botId is the placeholder ${String(placeholder.botId)}, filled in when the package is built.${problems.length ? ` Also: ${problems.join('; ')}.` : ''}`, `Make sure the value it is filled with is ${clientId}, the bot's client id.`);
		}
		const ids = bots.map((b) => String(b.botId)).join(', ');
		problems.unshift(bots.length ? `no bot has botId ${clientId} (the manifest names ${ids})` : `no bot is declared for ${clientId}`);
	} else {
		if (bot.supportsCalling !== true) problems.push(`the bot ${clientId} does not say "supportsCalling": true, so Teams does not let it into calls`);
		if (wantsVideo && bot.supportsVideo !== true) problems.push(`the bot asks for video but does not say "supportsVideo": true`);
	}
	if (problems.length) {
		return fail('manifest', `${where}: ${problems.join('; ')}.`, `Edit ${path.basename(where)}: bots[] needs {"botId": "${clientId}", "scopes": ["personal", "team", "groupChat"], "supportsCalling": true${wantsVideo ? ', "supportsVideo": true' : ''}}, then upload the new package to Teams.`);
	}
	return pass('manifest', `${where} declares bot ${clientId} with supportsCalling${bot?.supportsVideo === true ? ' and supportsVideo' : ''}.`);
}
