/**
 * Checks generated C# against the .NET SDK fixture (test/fixtures/sdk-models/dotnet-v1.0.json): every class
 * constructed exists, every property set exists on that class with a value of its declared type, every enum member
 * exists, AdditionalData only on classes that hold it, the request builder chain and method exist, and the `using`
 * of the body's namespace is the one its class lives in. It reads the shape our generator writes (one property or
 * item per line, `{` on the line after `new X`), not C# at large.
 */

export interface DotnetType {
	readonly kind: 'model' | 'enum';
	readonly base?: string;
	readonly namespace?: string;
	readonly additionalData?: boolean;
	readonly properties?: Readonly<Record<string, { readonly name: string; readonly type: string }>>;
	readonly members?: Readonly<Record<string, string>>;
}

export interface DotnetFixture {
	readonly source: { readonly repo: string; readonly commit: string };
	readonly root: { readonly graphClient: Readonly<Record<string, string>> };
	readonly requestBuilders: Readonly<Record<string, { navigation: Record<string, string>; indexer?: string; methods: Record<string, { body: string | null; returns: string | null }> }>>;
	readonly requestBodies: Readonly<Record<string, DotnetType & { readonly name: string }>>;
	readonly types: Readonly<Record<string, DotnetType>>;
}

export interface CheckResult {
	readonly problems: string[];
	/** Class names and Class.Property names that were checked. */
	readonly types: Set<string>;
	readonly properties: Set<string>;
}

type Frame =
	| { kind: 'object'; cls: string; spec: DotnetType }
	| { kind: 'anonymous' }
	| { kind: 'list'; item?: string }
	| { kind: 'dictionary' }
	| { kind: 'entry' };

const CS_PRIMITIVE: Readonly<Record<string, string>> = { string: 'string', bool: 'bool?', int: 'int?', long: 'long?', double: 'double?', float: 'float?' };

export function checkCsharp(code: string, fx: DotnetFixture): CheckResult {
	const problems: string[] = [];
	const types = new Set<string>();
	const properties = new Set<string>();
	const bodyByName = new Map<string, DotnetType & { name: string; ns: string }>();
	for (const [ns, b] of Object.entries(fx.requestBodies)) bodyByName.set(`${ns}.${b.name}`, { ...b, ns });
	const usings = [...code.matchAll(/^using ([\w.]+);$/gm)].map((m) => m[1]);

	/** A model by its short name: in Microsoft.Graph.Models, or a request body in a namespace we import. */
	const lookup = (name: string): DotnetType | undefined => {
		if (fx.types[name]?.kind === 'model') return fx.types[name];
		const bodies = usings.map((u) => bodyByName.get(`${u}.${name}`)).filter((b) => b);
		return bodies[0];
	};
	const derives = (name: string, base: string): boolean => {
		for (let n: string | undefined = name; n; n = fx.types[n]?.base) if (n === base) return true;
		return false;
	};
	const literalFits = (expr: string, type: string): boolean => {
		if (expr === 'null') return true;
		if (/^"/.test(expr) || /^@?"""/.test(expr)) return type === 'string';
		if (expr === 'true' || expr === 'false') return type === 'bool';
		if (/^-?\d+$/.test(expr)) return ['int', 'long', 'double', 'float', 'decimal'].includes(type);
		if (/^-?\d*\.\d+$/.test(expr)) return ['double', 'float', 'decimal'].includes(type);
		return false;
	};
	const enumFits = (expr: string, type: string, where: string): boolean => {
		const m = /^(\w+)\.(\w+)$/.exec(expr);
		if (!m) return false;
		const t = fx.types[m[1]];
		if (m[1] !== type || t?.kind !== 'enum') return false;
		types.add(m[1]);
		if (!Object.values(t.members ?? {}).includes(m[2])) problems.push(`${where}: ${m[1]} has no member ${m[2]}`);
		return true;
	};

	/** Checks `expr` against `declared` (undefined: untyped, as in AdditionalData); returns the frame it opens. */
	const value = (expr: string, declared: string | undefined, where: string): Frame | undefined => {
		let m = /^new (\w+)$/.exec(expr);
		if (m) {
			const spec = lookup(m[1]);
			types.add(m[1]);
			if (!spec) {
				problems.push(`${where}: the SDK has no class ${m[1]}`);
				return { kind: 'anonymous' };
			}
			if (declared !== undefined && !(fx.types[declared]?.kind === 'model' && derives(m[1], declared))) problems.push(`${where}: ${m[1]} is written where the SDK declares ${declared}`);
			return { kind: 'object', cls: m[1], spec };
		}
		if (expr === 'new') return { kind: 'anonymous' };
		if (expr === 'new Dictionary<string, object>') {
			if (declared !== undefined) problems.push(`${where}: a dictionary is written where the SDK declares ${declared}`);
			return { kind: 'dictionary' };
		}
		m = /^new List<([\w?]+)>$/.exec(expr);
		if (m) {
			if (declared === undefined) return { kind: 'list' };
			const item = declared.endsWith('[]') ? declared.slice(0, -2) : undefined;
			const t = item ? fx.types[item] : undefined;
			const want = item === undefined ? undefined : t?.kind === 'model' ? item : t?.kind === 'enum' ? `${item}?` : CS_PRIMITIVE[item];
			if (want !== m[1]) problems.push(`${where}: List<${m[1]}> is written where the SDK declares ${declared}`);
			return { kind: 'list', item };
		}
		if (declared === undefined) return undefined;
		if (!literalFits(expr, declared) && !enumFits(expr, declared, where)) problems.push(`${where}: ${expr} is no ${declared}`);
		return undefined;
	};

	const stack: Frame[] = [];
	let pending: Frame | undefined;
	const lines = code.split('\n');
	let body: string | undefined;
	for (const raw of lines) {
		const line = raw.trim();
		if (line === '{') {
			const top = stack[stack.length - 1];
			if (pending) stack.push(pending);
			else if (top?.kind === 'dictionary') stack.push({ kind: 'entry' });
			else if (stack.length) problems.push(`unexpected "{" in ${JSON.stringify(raw)}`);
			pending = undefined;
			continue;
		}
		if (/^\}[,;)]*$/.test(line)) {
			stack.pop();
			continue;
		}
		let m = /^var requestBody = (.+)$/.exec(line);
		if (m) {
			const cls = /^new (\w+)$/.exec(m[1])?.[1];
			body = cls;
			pending = value(m[1], undefined, 'requestBody');
			continue;
		}
		const top = stack[stack.length - 1];
		if (!top) continue;
		const expr = (s: string) => s.replace(/,$/, '');
		if (top.kind === 'object') {
			m = /^(\w+) = (.+)$/.exec(line);
			if (!m) {
				problems.push(`${top.cls}: cannot read ${JSON.stringify(line)}`);
				continue;
			}
			const where = `${top.cls}.${m[1]}`;
			if (m[1] === 'AdditionalData') {
				properties.add(where);
				if (!top.spec.additionalData) problems.push(`${top.cls} has no AdditionalData`);
				pending = value(expr(m[2]), undefined, where);
				continue;
			}
			const prop = Object.values(top.spec.properties ?? {}).find((p) => p.name === m![1]);
			properties.add(where);
			if (!prop) {
				problems.push(`${where}: the SDK class ${top.cls} has no property ${m[1]}`);
				pending = value(expr(m[2]), undefined, where);
				continue;
			}
			pending = value(expr(m[2]), prop.type, where);
		} else if (top.kind === 'list') {
			pending = value(expr(line), top.item, 'list item');
		} else if (top.kind === 'entry') {
			m = /^"(?:[^"\\]|\\.)*" , (.+)$/.exec(line);
			if (m) pending = value(expr(m[1]), undefined, 'AdditionalData value');
		} else if (top.kind === 'anonymous') {
			m = /^(\w+) = (.+)$/.exec(line);
			if (m) pending = value(expr(m[2]), undefined, 'anonymous object');
		}
	}
	checkChain(code, fx, body, usings, problems);
	if ([...types].some((t) => fx.types[t]) && !usings.includes('Microsoft.Graph.Models')) problems.push('the code uses SDK models without using Microsoft.Graph.Models');
	return { problems, types, properties };
}

/** `await graphClient.Communications.Calls["id"].PlayPrompt.PostAsync(requestBody)`: every step exists in the SDK. */
function checkChain(code: string, fx: DotnetFixture, body: string | undefined, usings: string[], problems: string[]): void {
	const m = /^(?:var result = )?await graphClient((?:\.\w+|\["[^"]*"\])+)\.(\w+)Async\(/m.exec(code);
	if (!m) {
		problems.push('no request builder call');
		return;
	}
	const steps = [...m[1].matchAll(/\.(\w+)|\[("[^"]*")\]/g)];
	let cls: string | undefined;
	for (const s of steps) {
		const next = cls === undefined ? (s[1] ? fx.root.graphClient[s[1]] : undefined) : s[1] ? fx.requestBuilders[cls]?.navigation[s[1]] : fx.requestBuilders[cls]?.indexer;
		if (!next) {
			problems.push(`${cls ?? 'graphClient'} has no ${s[1] ?? 'indexer'}`);
			return;
		}
		cls = next;
	}
	const method = cls ? fx.requestBuilders[cls]?.methods[m[2]] : undefined;
	if (!method) {
		problems.push(`${cls} has no ${m[2]}Async`);
		return;
	}
	if (/^var result = /m.test(code) !== (method.returns !== null)) problems.push(`${cls}.${m[2]}Async ${method.returns ? 'returns' : 'returns nothing'}, the code ${/^var result = /m.test(code) ? 'keeps a result' : 'drops it'}`);
	if ((body !== undefined) !== (method.body !== null)) problems.push(`${cls}.${m[2]}Async ${method.body ? 'takes' : 'takes no'} body`);
	if (body !== undefined && method.body) {
		const ns = method.body.slice(0, method.body.lastIndexOf('.'));
		if (method.body.split('.').pop() !== body) problems.push(`${cls}.${m[2]}Async takes a ${method.body}, the code writes ${body}`);
		if (ns !== 'Microsoft.Graph.Models' && !usings.includes(ns)) problems.push(`the code does not import ${ns}`);
	}
}
