import { readFileSync } from 'node:fs';
import type { Permission } from '../schema/endpoints';
import type { EmulatorTimings } from './callEngine';
import { validateDirectory, type Directory } from './directory';
import { validateFaults, type FaultConfig } from './faults';

/** Something that happens during a scenario, relative to emulator start or to each call becoming established. */
export interface ScenarioEvent {
	on: 'start' | 'callEstablished';
	afterMs: number;
	do: 'incomingCall' | 'pressKeys' | 'join' | 'leave' | 'hangUp' | 'setFaults' | 'hold' | 'resume';
	/** incomingCall: who calls. */
	from?: { userId?: string; phone?: string };
	/** incomingCall: where the notification goes (default: the app's calling webhook). */
	callbackUri?: string;
	/** pressKeys: keys such as "1#". */
	keys?: string;
	/** join: a directory user id (or a guest with displayName). */
	userId?: string;
	displayName?: string;
	/** setFaults */
	faults?: FaultConfig;
}

/** A scenario file: who is in the directory, what the app may do, faults, timings and timed events. */
export interface Scenario {
	name: string;
	description?: string;
	directory?: Directory;
	/** Added to the default directory instead of replacing it. */
	extendDirectory?: boolean;
	roles?: Permission[];
	callingWebhook?: string;
	faults?: FaultConfig;
	timings?: Partial<EmulatorTimings>;
	clockSpeed?: number;
	events?: ScenarioEvent[];
}

const ACTIONS: readonly ScenarioEvent['do'][] = ['incomingCall', 'pressKeys', 'join', 'leave', 'hangUp', 'setFaults', 'hold', 'resume'];

export function validateScenario(value: unknown, source = 'scenario'): Scenario {
	const s = value as Partial<Scenario> | null;
	if (!s || typeof s !== 'object') throw new Error(`${source} must be a JSON object with at least "name".`);
	if (typeof s.name !== 'string') throw new Error(`${source} needs a string "name".`);
	for (const [i, e] of (s.events ?? []).entries()) {
		if (!['start', 'callEstablished'].includes(e.on)) throw new Error(`${source}: event ${i} has on="${e.on}": use "start" or "callEstablished".`);
		if (!ACTIONS.includes(e.do)) throw new Error(`${source}: event ${i} has do="${e.do}": use one of ${ACTIONS.join(', ')}.`);
		if (typeof e.afterMs !== 'number' || e.afterMs < 0) throw new Error(`${source}: event ${i} needs afterMs >= 0.`);
	}
	return {
		...s,
		name: s.name,
		directory: s.directory ? validateDirectory(s.directory) : undefined,
		faults: s.faults ? validateFaults(s.faults) : undefined,
		events: s.events ?? [],
	};
}

export function loadScenarioFile(file: string): Scenario {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (err) {
		throw new Error(`Cannot read scenario ${file} (${(err as NodeJS.ErrnoException).code}): check the path.`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (err) {
		throw new Error(`Scenario ${file} is not valid JSON (${(err as Error).message}).`);
	}
	return validateScenario(json, file);
}
