/**
 * What a command gets as its first argument when it runs from a Calls view row: the call, and the participant or
 * operation the row stands for. Palette runs get no argument and ask instead.
 */
export interface NodeTarget {
	readonly callId: string;
	readonly participantId?: string;
	readonly operationId?: string;
}

export function nodeTargetOf(arg: unknown): NodeTarget | undefined {
	const n = arg as Partial<NodeTarget> | undefined;
	if (!n || typeof n !== 'object' || typeof n.callId !== 'string') return undefined;
	return { callId: n.callId, participantId: typeof n.participantId === 'string' ? n.participantId : undefined, operationId: typeof n.operationId === 'string' ? n.operationId : undefined };
}
