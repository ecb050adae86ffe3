/**
 * Graph resource and notification shapes shared by the client, the emulator, the CallStore and the receiver.
 * Resources use @microsoft/microsoft-graph-types where it fits; notifications are not modelled there.
 */
import type { Call, CommsOperation, Participant, ResultInfo } from '@microsoft/microsoft-graph-types';

export type CallResource = Call & { id: string };
export type ParticipantResource = Participant & { id: string };
export type OperationResource = CommsOperation & { id: string; '@odata.type'?: string };
export type { ResultInfo };

export type ChangeType = 'created' | 'updated' | 'deleted';

/** One item of a commsNotifications POST. */
export interface CommsNotification {
	'@odata.type'?: '#microsoft.graph.commsNotification' | string;
	changeType: ChangeType;
	/** e.g. /communications/calls/{id}, /communications/calls/{id}/participants, /communications/calls/{id}/operations/{opId} */
	resourceUrl: string;
	/** Older payloads carry `resource` too. */
	resource?: string;
	/** A call, an operation, or (roster updates) an array of participants. */
	resourceData?: unknown;
}

/** The body Graph POSTs to a callbackUri. */
export interface CommsNotifications {
	'@odata.type'?: '#microsoft.graph.commsNotifications' | string;
	value: CommsNotification[];
}
