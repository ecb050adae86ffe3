// A minimal stand-in for the 'vscode' module, enough for activate() to build its services outside VS Code.
// The few types activation really uses (Uri, EventEmitter, Disposable, TreeItem, enums) are small real classes;
// every other API is a permissive proxy: any property exists, any call returns another proxy, `await` on one
// resolves at once (no `then`), and `config.get(key, default)` returns the default.
'use strict';
const path = require('node:path');

function stub(name) {
	const target = function () {};
	const cache = new Map();
	const own = new Map();
	return new Proxy(target, {
		get(t, prop) {
			if (prop === 'then') return undefined;
			if (prop === Symbol.toPrimitive) return (hint) => (hint === 'number' ? 0 : '');
			if (prop === Symbol.iterator) return function* () {};
			if (typeof prop === 'symbol') return undefined;
			if (own.has(prop)) return own.get(prop);
			if (prop === 'length' || prop === 'name' || prop === 'prototype') return t[prop];
			if (!cache.has(prop)) cache.set(prop, stub(`${name}.${prop}`));
			return cache.get(prop);
		},
		set(_t, prop, value) {
			own.set(prop, value);
			return true;
		},
		apply(_t, _this, args) {
			if (name.endsWith('.get')) return args.length >= 2 ? args[1] : undefined;
			if (name.endsWith('.executeCommand')) return Promise.resolve(undefined);
			return stub(`${name}()`);
		},
		construct() {
			return stub(`new ${name}`);
		},
	});
}

class Uri {
	constructor(scheme, fsPath) {
		this.scheme = scheme;
		this.fsPath = fsPath;
		this.path = fsPath;
		this.authority = '';
		this.query = '';
		this.fragment = '';
	}
	static file(p) { return new Uri('file', p); }
	static parse(s) { const u = new URL(s); return new Uri(u.protocol.replace(':', ''), decodeURIComponent(u.pathname)); }
	static joinPath(base, ...parts) { return new Uri(base.scheme, path.join(base.fsPath, ...parts)); }
	static from(c) { return new Uri(c.scheme, c.path ?? ''); }
	with(c) { return new Uri(c.scheme ?? this.scheme, c.path ?? this.fsPath); }
	toString() { return `${this.scheme}://${this.fsPath}`; }
	toJSON() { return this.toString(); }
}

class Disposable {
	constructor(fn) { this.fn = fn; }
	static from(...items) { return new Disposable(() => items.forEach((d) => d?.dispose?.())); }
	dispose() { this.fn?.(); this.fn = undefined; }
}

class EventEmitter {
	constructor() {
		this.listeners = new Set();
		this.event = (listener, thisArg) => {
			const l = thisArg ? listener.bind(thisArg) : listener;
			this.listeners.add(l);
			return new Disposable(() => this.listeners.delete(l));
		};
	}
	fire(e) { for (const l of [...this.listeners]) l(e); }
	dispose() { this.listeners.clear(); }
}

class TreeItem {
	constructor(label, collapsibleState) { this.label = label; this.collapsibleState = collapsibleState; }
}
class ThemeIcon { constructor(id, color) { this.id = id; this.color = color; } }
ThemeIcon.File = new ThemeIcon('file');
ThemeIcon.Folder = new ThemeIcon('folder');
class ThemeColor { constructor(id) { this.id = id; } }
class MarkdownString { constructor(value = '') { this.value = value; } appendMarkdown(s) { this.value += s; return this; } appendText(s) { this.value += s; return this; } appendCodeblock(s) { this.value += s; return this; } }
class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range { constructor(a, b, c, d) { this.start = typeof a === 'number' ? new Position(a, b) : a; this.end = typeof a === 'number' ? new Position(c, d) : b; } }
class CancellationError extends Error {}

const real = {
	Uri, Disposable, EventEmitter, TreeItem, ThemeIcon, ThemeColor, MarkdownString, Position, Range, CancellationError,
	LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
	TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
	StatusBarAlignment: { Left: 1, Right: 2 },
	ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
	ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
	DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
	ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
	QuickPickItemKind: { Separator: -1, Default: 0 },
	TestRunProfileKind: { Run: 1, Debug: 2, Coverage: 3 },
	version: '1.138.0',
};

// A plain object (not a proxy): bundlers copy the module's own keys, so every name must be an own property.
const namespaces = ['window', 'workspace', 'commands', 'languages', 'env', 'extensions', 'l10n', 'debug', 'tasks', 'authentication', 'tests', 'scm', 'notebooks', 'chat', 'lm'];
const classes = ['CodeLens', 'Hover', 'Diagnostic', 'SnippetString', 'CompletionItem', 'CompletionList', 'WorkspaceEdit', 'TextEdit', 'Selection', 'Location', 'RelativePattern', 'DocumentLink', 'FileSystemError', 'CancellationTokenSource', 'DataTransferItem', 'TreeItemCheckboxState', 'CodeAction', 'CodeActionKind', 'TabInputText', 'TabInputWebview', 'QuickInputButtons', 'EndOfLine', 'TextEditorRevealType', 'CompletionItemKind', 'UIKind', 'ColorThemeKind', 'ExtensionMode', 'FileType', 'OverviewRulerLane', 'DecorationRangeBehavior', 'DiagnosticTag', 'SymbolKind', 'DocumentSymbol', 'FoldingRange', 'InlayHint', 'SemanticTokensLegend', 'SemanticTokensBuilder', 'TestMessage', 'TestRunRequest', 'TestTag'];
module.exports = { ...real };
for (const n of namespaces) module.exports[n] = stub(`vscode.${n}`);
for (const n of classes) if (!(n in module.exports)) module.exports[n] = stub(`vscode.${n}`);

/** A Memento backed by a Map. */
module.exports.__memento = function memento() {
	const m = new Map();
	return { keys: () => [...m.keys()], get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void (v === undefined ? m.delete(k) : m.set(k, v)), setKeysForSync() {} };
};
