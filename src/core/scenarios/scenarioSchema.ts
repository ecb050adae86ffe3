import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import schema from './scenario.schema.json';
import { DURATION_PATTERN, type ScenarioProblem } from './scenarioModel';

/** The JSON Schema of scenario files (also what editors get for completion and validation). */
export const SCENARIO_SCHEMA = schema;

/** The keys that make a step what it is; each step has exactly one. */
export const STEP_KEYS = ['press', 'hangUp', 'join', 'leave', 'hold', 'resume', 'wait', 'mute', 'unmute', 'answer', 'decline', 'admit', 'expect'] as const;
export type StepKey = (typeof STEP_KEYS)[number];
export const EXPECT_KINDS: readonly string[] = schema.definitions.expectKind.enum;

type Path = readonly (string | number)[];

let compiled: { ajv: Ajv; root: ValidateFunction } | undefined;

/** Compiled once, on first use: a CLI run or an editor session checks many files with the same schema. */
function validators(): { ajv: Ajv; root: ValidateFunction } {
	if (!compiled) {
		const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
		ajv.addFormat('duration', DURATION_PATTERN);
		ajv.addSchema(schema, 'scenario');
		compiled = { ajv, root: ajv.getSchema('scenario')! };
	}
	return compiled;
}

function definition(name: string): ValidateFunction {
	const v = validators().ajv.getSchema(`scenario#/definitions/${name}`);
	if (!v) throw new Error(`The scenario schema has no definition "${name}".`);
	return v;
}

/** Where a node of the document starts, 1-based. */
export function positionOf(node: Node | undefined | null, lines: LineCounter): { line: number; column: number } {
	const offset = node?.range?.[0] ?? 0;
	const p = lines.linePos(offset);
	return { line: p.line, column: p.col };
}

/** The value node at `path`, and the key node that names it when its parent is a map. */
export function nodeAt(doc: Document, path: Path): { node?: Node; key?: Node; parent?: Node } {
	let node: unknown = doc.contents;
	let key: Node | undefined;
	let parent: Node | undefined;
	for (const seg of path) {
		parent = node as Node;
		if (isMap(node)) {
			const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
			if (!pair) return { node: undefined, key: undefined, parent };
			key = pair.key as Node;
			node = pair.value;
		} else if (isSeq(node)) {
			node = node.items[Number(seg)];
			key = undefined;
		} else {
			return { node: undefined, key: undefined, parent };
		}
	}
	return { node: (node ?? undefined) as Node | undefined, key, parent };
}

const DURATION_TEXT = 'must be a duration such as 500ms, 15s, 45m or 2h';

/** One ajv error in words a scenario author understands, placed where it applies. */
interface Located {
	path: Path;
	/** Place the message on the key (unknown keys) rather than the value. */
	onKey?: string;
	message: string;
}

function splitPointer(pointer: string): Path {
	if (!pointer) return [];
	return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function label(path: Path): string {
	const last = path[path.length - 1];
	return last === undefined ? 'the scenario' : typeof last === 'number' || /^\d+$/.test(String(last)) ? `item ${Number(last) + 1}` : `"${last}"`;
}

function describe(e: ErrorObject, base: Path): Located | undefined {
	const path = [...base, ...splitPointer(e.instancePath)];
	const parent = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
	switch (e.keyword) {
		case 'required':
			return { path, message: `missing "${(e.params as { missingProperty: string }).missingProperty}"` };
		case 'additionalProperties': {
			const extra = (e.params as { additionalProperty: string }).additionalProperty;
			const allowed = Object.keys(parent?.properties ?? {});
			return { path, onKey: extra, message: `unknown key "${extra}"${allowed.length ? `: use ${allowed.join(', ')}` : ''}` };
		}
		case 'type':
			return { path, message: `${label(path)} must be ${(e.params as { type: string }).type === 'object' ? 'a mapping (key: value lines)' : `a ${(e.params as { type: string }).type}`}` };
		case 'enum':
			return { path, message: `${label(path)} is ${JSON.stringify(e.data)}: use one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}` };
		case 'format':
			return { path, message: `${label(path)} ${(e.params as { format: string }).format === 'duration' ? DURATION_TEXT : `must be a ${(e.params as { format: string }).format}`}` };
		case 'pattern':
			return { path, message: `${label(path)} ${parent?.description ? `is not valid: ${parent.description}` : `must match ${(e.params as { pattern: string }).pattern}`}` };
		case 'anyOf':
			if (e.parentSchema === schema.definitions.duration) return { path, message: `${label(path)} ${DURATION_TEXT}` };
			if (e.parentSchema === schema.definitions.person) return { path, message: `${label(path)} must be a behaviour (answers, busy, declines, neverAnswers, offline) or a mapping with behaviour, answerAfter and displayName` };
			return { path, message: `${label(path)} is not valid${parent?.description ? `: ${parent.description}` : ''}` };
		case 'const':
		case 'oneOf':
		case 'if':
			return undefined;
		case 'minItems':
			return { path, message: `${label(path)} must have at least ${(e.params as { limit: number }).limit} item(s)` };
		case 'minLength':
			return { path, message: `${label(path)} must not be empty` };
		case 'uniqueItems':
			return { path, message: `${label(path)} lists the same value twice` };
		default:
			return { path, message: `${label(path)} ${e.message ?? 'is not valid'}` };
	}
}

/**
 * ajv reports every branch of an anyOf; keep the most specific: a deeper error beats the anyOf above it,
 * and the anyOf's summary beats its branches' errors at the same place.
 */
function simplify(errors: readonly ErrorObject[]): ErrorObject[] {
	const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
	const hasDeeper = (p: string) => errors.some((e) => e.instancePath.startsWith(`${p}/`));
	return errors.filter((e) => {
		if (e.keyword === 'anyOf') return !hasDeeper(e.instancePath);
		if (anyOfPaths.has(e.instancePath)) return hasDeeper(e.instancePath) && e.keyword !== 'type' && e.keyword !== 'enum' && e.keyword !== 'format';
		return true;
	});
}

export class SchemaChecker {
	readonly problems: ScenarioProblem[] = [];

	constructor(private readonly file: string, private readonly doc: Document, private readonly lines: LineCounter) {}

	report(path: Path, message: string, onKey?: string): void {
		const { node, key, parent } = nodeAt(this.doc, onKey !== undefined ? [...path, onKey] : path);
		const at = onKey !== undefined ? key ?? node ?? parent : node ?? parent;
		const pos = positionOf(at, this.lines);
		if (this.problems.some((p) => p.line === pos.line && p.message === message)) return;
		this.problems.push({ file: this.file, line: pos.line, column: pos.column, message });
	}

	lineOf(path: Path): number {
		return positionOf(nodeAt(this.doc, path).node, this.lines).line;
	}

	private run(validate: ValidateFunction, value: unknown, base: Path, skip?: (e: ErrorObject) => boolean): boolean {
		if (validate(value)) return true;
		for (const e of simplify(validate.errors ?? [])) {
			if (skip?.(e)) continue;
			const d = describe(e, base);
			if (d) this.report(d.path, d.message, d.onKey);
		}
		return false;
	}

	/** Checks the whole file; steps are checked one by one against the definition their key names. */
	check(value: unknown): boolean {
		const stepError = (e: ErrorObject) => /^\/steps\/\d+/.test(e.instancePath);
		let ok = this.run(validators().root, value, [], stepError);
		const steps = (value as { steps?: unknown }).steps;
		if (Array.isArray(steps)) steps.forEach((s, i) => (ok = this.checkStep(s, i) && ok));
		return ok && this.problems.length === 0;
	}

	checkStep(step: unknown, i: number): boolean {
		const path = ['steps', i];
		if (!step || typeof step !== 'object' || Array.isArray(step)) {
			this.report(path, `a step must be a mapping such as "press: 1" or "expect: answer"`);
			return false;
		}
		const kinds = STEP_KEYS.filter((k) => k in step);
		if (kinds.length === 0) {
			this.report(path, `a step needs one of ${STEP_KEYS.join(', ')}; found ${Object.keys(step).map((k) => `"${k}"`).join(', ') || 'nothing'}`);
			return false;
		}
		if (kinds.length > 1) {
			this.report(path, `one thing per step: this one has ${kinds.join(' and ')}; split it into ${kinds.length} steps`);
			return false;
		}
		const kind = kinds[0];
		if (kind !== 'expect') return this.run(definition(`${kind}Step`), step, path);
		const expect = (step as { expect: unknown }).expect;
		if (typeof expect !== 'string' || !EXPECT_KINDS.includes(expect)) {
			this.report([...path, 'expect'], `expect is ${JSON.stringify(expect)}: use one of ${EXPECT_KINDS.join(', ')}`);
			return false;
		}
		return this.run(definition(`expect${expect[0].toUpperCase()}${expect.slice(1)}`), step, path);
	}

	/** A `bot` mapping somewhere else than a scenario (graph-calls.json), checked against the same definition. */
	checkBotConfigAt(value: unknown, path: Path): boolean {
		return this.run(definition('bot'), value, path);
	}
}
