import type { IDisposable } from './lifecycle';

/** A typed event, shaped like vscode.Event so the VS Code layer can pass it straight through. */
export type Event<T> = (listener: (e: T) => void) => IDisposable;

/** Minimal typed emitter for core code, which cannot use vscode.EventEmitter. */
export class Emitter<T> implements IDisposable {
	private listeners = new Set<(e: T) => void>();

	readonly event: Event<T> = (listener) => {
		this.listeners.add(listener);
		return { dispose: () => this.listeners.delete(listener) };
	};

	fire(e: T): void {
		for (const listener of [...this.listeners]) {
			try {
				listener(e);
			} catch (err) {
				// A broken listener must not stop the others; surface it where Node reports unhandled errors.
				queueMicrotask(() => {
					throw err;
				});
			}
		}
	}

	get hasListeners(): boolean {
		return this.listeners.size > 0;
	}

	dispose(): void {
		this.listeners.clear();
	}
}
