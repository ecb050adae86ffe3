/** Something that holds a resource until `dispose()` is called. Structurally the same as vscode.Disposable. */
export interface IDisposable {
	dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
	return { dispose: fn };
}

/**
 * Base class for long-lived objects: everything passed to `_register` is disposed with the owner,
 * in reverse order, exactly once.
 */
export abstract class Disposable implements IDisposable {
	private readonly _toDispose: IDisposable[] = [];
	private _isDisposed = false;

	protected get isDisposed(): boolean {
		return this._isDisposed;
	}

	protected _register<T extends IDisposable>(d: T): T {
		if (this._isDisposed) {
			d.dispose();
		} else {
			this._toDispose.push(d);
		}
		return d;
	}

	dispose(): void {
		if (this._isDisposed) return;
		this._isDisposed = true;
		for (const d of this._toDispose.splice(0).reverse()) {
			try {
				d.dispose();
			} catch {
				// One failing disposer must not keep the others from running.
			}
		}
	}
}
