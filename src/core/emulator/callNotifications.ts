import type { ChangeType } from '../schema/types';
import { publicOperation, snapshot, type CallRecord, type EmulatedOperation, type NotificationSink } from './callModel';

/**
 * The three kinds of commsNotification the engine sends: the call changed, the roster changed, an operation
 * finished. Each carries a snapshot, so later changes to the call never alter a notification already queued.
 */
export class CallNotifier {
	constructor(private readonly sink: NotificationSink) {}

	call(call: CallRecord, changeType: ChangeType): void {
		const resourceUrl = `/communications/calls/${call.id}`;
		this.sink(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl, resource: resourceUrl, resourceData: snapshot(call.resource) }]);
	}

	roster(call: CallRecord): void {
		const resourceUrl = `/communications/calls/${call.id}/participants`;
		this.sink(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl, resource: resourceUrl, resourceData: [...call.participants.values()].map(snapshot) }]);
	}

	/** An operation reached its final status (completed or failed). */
	operationFinished(call: CallRecord, op: EmulatedOperation): void {
		this.sink(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'deleted', resourceUrl: `/communications/calls/${call.id}/operations/${op.id}`, resourceData: publicOperation(op) }]);
	}
}
