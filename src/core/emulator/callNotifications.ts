import { participantBody } from './responseShapes';
import type { ChangeType } from '../schema/types';
import { isPeerToPeer, publicOperation, snapshot, type CallRecord, type EmulatedContentSharingSession, type EmulatedOperation, type NotificationSink } from './callModel';

/**
 * The three kinds of commsNotification the engine sends: the call changed, the roster changed, an operation
 * finished. Each carries a snapshot, so later changes to the call never alter a notification already queued.
 */
export class CallNotifier {
	constructor(private readonly sink: NotificationSink) {}

	/** Each call's notification count, for @odata.etag (a weak entity tag that changes with every notification). */
	private readonly versions = new WeakMap<CallRecord, number>();

	call(call: CallRecord, changeType: ChangeType): void {
		const resourceUrl = `/communications/calls/${call.id}`;
		this.sink(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl, resourceData: this.entity(call, resourceUrl, snapshot(call.resource)) }]);
	}

	/**
	 * The participants changed. Only group calls and meetings say so: application-post-calls.md (v1.0), Example 2,
	 * "For peer-to-peer calls, the expected notifications are for call state changes only." The roster of a 1:1
	 * call is still there to GET.
	 */
	roster(call: CallRecord): void {
		if (isPeerToPeer(call)) return;
		const resourceUrl = `/communications/calls/${call.id}/participants`;
		this.sink(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl, resourceData: [...call.participants.values()].map((p) => participantBody(snapshot(p))) }]);
	}

	/**
	 * A content sharing session started (created) or ended (deleted): application-post-calls.md shows the sessions
	 * as resourceData on /communications/calls/{id}/contentsharingsessions.
	 */
	contentSharing(call: CallRecord, changeType: ChangeType, sessions: EmulatedContentSharingSession[]): void {
		const resourceUrl = `/communications/calls/${call.id}/contentsharingsessions`;
		this.sink(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl, resourceData: snapshot(sessions) }]);
	}

	/** An operation reached its final status (completed or failed). */
	operationFinished(call: CallRecord, op: EmulatedOperation): void {
		const resourceUrl = `/communications/calls/${call.id}/operations/${op.id}`;
		this.sink(call, [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'deleted', resourceUrl, resourceData: this.entity(call, resourceUrl, publicOperation(op)) }]);
	}

	/**
	 * The entity as the docs' notification examples show it (call-answer.md, call-playprompt.md, call-record.md):
	 * "@odata.type", then "@odata.id" (the resource URL) and "@odata.etag" (W/"n"), then its properties.
	 */
	private entity<T extends { '@odata.type': string }>(call: CallRecord, resourceUrl: string, data: T): T & { '@odata.id': string; '@odata.etag': string } {
		const version = (this.versions.get(call) ?? 0) + 1;
		this.versions.set(call, version);
		const { '@odata.type': type, ...rest } = data;
		return { '@odata.type': type, '@odata.id': resourceUrl, '@odata.etag': `W/"${version}"`, ...rest } as T & { '@odata.id': string; '@odata.etag': string };
	}
}
