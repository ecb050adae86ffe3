// No import cycles in src, between files or between folders. Every relative import counts: `import type`,
// `export ... from`, `import()` and `require()`, because a type-only cycle still ties two modules together for a
// reader and turns into a load-order cycle the day someone imports a value.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { productSources, shown } from './sourceFiles';

interface ImportEdge {
	readonly from: string;
	readonly to: string;
	/** Where the import is written: `src/a.ts:12 imports './b'`. */
	readonly where: string;
}

interface ImportGraph {
	readonly edges: ImportEdge[];
	/** Relative imports that point at no .ts file (the graph would silently miss them). */
	readonly unresolved: string[];
}

/** The .ts file a relative specifier names: `./x`, `./x.js` (Node16 style), `./x.ts` or the folder `./x/index.ts`. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
	const base = path.resolve(path.dirname(fromFile), specifier);
	const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
	return candidates.find((c) => c.endsWith('.ts') && fs.existsSync(c) && fs.statSync(c).isFile());
}

function importGraph(): ImportGraph {
	const edges: ImportEdge[] = [];
	const unresolved: string[] = [];
	for (const source of productSources()) {
		for (const imported of ts.preProcessFile(source.text, true, true).importedFiles) {
			if (!imported.fileName.startsWith('.')) continue;
			const where = `${shown(source.file)}:${source.lineOf(imported.pos)} imports '${imported.fileName}'`;
			if (imported.fileName.endsWith('.json')) continue;
			const to = resolveRelative(source.file, imported.fileName);
			if (to) edges.push({ from: source.file, to, where });
			else unresolved.push(where);
		}
	}
	return { edges, unresolved };
}

/** Strongly connected components with more than one node, or one node that imports itself (Tarjan). */
function knots(nodes: Iterable<string>, next: (node: string) => string[]): string[][] {
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (v: string): void => {
		index.set(v, counter);
		low.set(v, counter++);
		stack.push(v);
		onStack.add(v);
		for (const w of next(v)) {
			if (!index.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (onStack.has(w)) {
				low.set(v, Math.min(low.get(v)!, index.get(w)!));
			}
		}
		if (low.get(v) === index.get(v)) {
			const component: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				onStack.delete(w);
				component.push(w);
			} while (w !== v);
			if (component.length > 1 || next(v).includes(v)) found.push(component.sort());
		}
	};
	for (const v of nodes) if (!index.has(v)) visit(v);
	return found;
}

/** One shortest cycle through `start` inside its knot, as the list of steps taken (breadth-first). */
function cycleThrough<T>(start: string, members: Set<string>, steps: (node: string) => { to: string; step: T }[]): T[] {
	const cameBy = new Map<string, { prev: string; step: T }>();
	const queue = [start];
	while (queue.length > 0) {
		const node = queue.shift()!;
		for (const { to, step } of steps(node)) {
			if (!members.has(to)) continue;
			if (to === start) {
				const path: T[] = [step];
				for (let at = node; at !== start; at = cameBy.get(at)!.prev) path.unshift(cameBy.get(at)!.step);
				return path;
			}
			if (!cameBy.has(to)) {
				cameBy.set(to, { prev: node, step });
				queue.push(to);
			}
		}
	}
	throw new Error(`no cycle through ${start}`);
}

/**
 * Each knot as one line: its members, then one shortest cycle through the first of them as the import lines that
 * close it, then any other member caught in the knot.
 */
function describeKnots(edges: readonly ImportEdge[], label: (node: string) => string): string[] {
	const out = new Map<string, ImportEdge[]>();
	for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
	const steps = (node: string) => (out.get(node) ?? []).map((e) => ({ to: e.to, step: e }));
	const nodes = new Set(edges.flatMap((e) => [e.from, e.to]));
	return knots(nodes, (n) => [...new Set(steps(n).map((s) => s.to))]).map((members) => {
		const cycle = cycleThrough(members[0], new Set(members), steps);
		const offCycle = members.filter((m) => !cycle.some((e) => e.from === m));
		return `${members.map(label).join(' <-> ')}: ${cycle.map((e) => e.where).join(' -> ')}${offCycle.length ? ` (also in this knot: ${offCycle.map(label).join(', ')})` : ''}`;
	});
}

/** The same imports seen between folders: an import inside one folder is no edge. */
function folderEdges(edges: readonly ImportEdge[]): ImportEdge[] {
	return edges.map((e) => ({ from: path.dirname(e.from), to: path.dirname(e.to), where: e.where })).filter((e) => e.from !== e.to);
}

describe('import structure', () => {
	const graph = importGraph();

	it('reads the imports of src: every relative import names a .ts file there', () => {
		assert.ok(graph.edges.length > 100, `src should hold the product code and its imports (found ${graph.edges.length})`);
		assert.deepEqual(graph.unresolved, []);
	});

	it('no two files in src import each other, directly or round a loop (import type included)', () => {
		assert.deepEqual(describeKnots(graph.edges, shown), []);
	});

	it('no two folders in src import each other, directly or round a loop', () => {
		assert.deepEqual(describeKnots(folderEdges(graph.edges), (dir) => `${shown(dir)}/`), []);
	});

	it('the cycle finder names the import lines that close a cycle, and passes a chain or a diamond', () => {
		const edge = (from: string, to: string): ImportEdge => ({ from, to, where: `${from}.ts:1 imports './${to}'` });
		const same = (node: string) => node;
		assert.deepEqual(describeKnots([edge('a', 'b'), edge('b', 'c'), edge('a', 'c')], same), []);
		assert.deepEqual(describeKnots([edge('a', 'b'), edge('b', 'a'), edge('b', 'c')], same), ["a <-> b: a.ts:1 imports './b' -> b.ts:1 imports './a'"]);
		assert.deepEqual(describeKnots([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd'), edge('d', 'c')], same), ["a <-> b <-> c <-> d: a.ts:1 imports './b' -> b.ts:1 imports './c' -> c.ts:1 imports './a' (also in this knot: d)"]);
		assert.deepEqual(describeKnots([edge('a', 'a')], same), ["a: a.ts:1 imports './a'"]);
		assert.deepEqual(folderEdges([{ from: '/s/x/a.ts', to: '/s/x/b.ts', where: 'w' }, { from: '/s/x/a.ts', to: '/s/y/c.ts', where: 'v' }]), [{ from: '/s/x', to: '/s/y', where: 'v' }]);
	});
});
