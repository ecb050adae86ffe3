import { randomUUID } from 'node:crypto';
import type { ResultInfo } from '../schema/types';
import { publicOperation, type CallRecord, type EmulatedOperation } from './callModel';
import type { CallTable } from './callTable';
import { GraphHttpError } from './http';
import { RESULT } from './resultCodes';

/** Most operations a call keeps; finished ones are dropped first so long calls don't grow without bound. */
const MAX_OPERATIONS = 500;
const TRIM_TO = 400;

/** The commsOperations of a call: started, finished (with a notification), or completed in the POST itself. */
export class CallOperations {
	constructor(private readonly table: CallTable) {}

	/** A running operation; `finish` ends it later. */
	start(call: CallRecord, type: string, clientContext: unknown): EmulatedOperation {
		const op: EmulatedOperation = { '@odata.type': `#microsoft.graph.${type}`, id: randomUUID(), status: 'running', clientContext: clientContext ?? null, resultInfo: null };
		call.operations.set(op.id, op);
		this.trim(call);
		return op;
	}

	/**
	 * Operations that finish in the POST itself: no notification follows (as the docs say). `withResult` false for an
	 * operation whose page has no resultInfo (subscribetotoneoperation.md lists clientContext, id and status only).
	 */
	completed(call: CallRecord, type: string, clientContext: unknown, withResult = true): EmulatedOperation {
		const op: EmulatedOperation = { '@odata.type': `#microsoft.graph.${type}`, id: randomUUID(), status: 'completed', clientContext: clientContext ?? null, resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...RESULT.success } };
		if (!withResult) delete (op as Partial<EmulatedOperation>).resultInfo;
		call.operations.set(op.id, op);
		this.trim(call);
		return op;
	}

	finish(call: CallRecord, op: EmulatedOperation, status: 'completed' | 'failed', resultInfo: ResultInfo, extra: Partial<EmulatedOperation> = {}): void {
		Object.assign(op, extra, { status, resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...resultInfo } });
		this.table.notify.operationFinished(call, op);
	}

	/** GET .../operations/{id}: the operation as Graph shows it. */
	get(call: CallRecord, operationId: string): Omit<EmulatedOperation, 'stopTones'> {
		const op = call.operations.get(operationId.toLowerCase()) ?? call.operations.get(operationId);
		if (!op) throw new GraphHttpError(404, 'itemNotFound', `Operation ${operationId} is not known in call ${call.id}.`);
		return publicOperation(op);
	}

	private trim(call: CallRecord): void {
		if (call.operations.size <= MAX_OPERATIONS) return;
		for (const [id, op] of call.operations) {
			if (op.status !== 'running') call.operations.delete(id);
			if (call.operations.size <= TRIM_TO) break;
		}
	}
}
