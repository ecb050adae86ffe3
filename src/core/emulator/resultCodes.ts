import type { ResultInfo } from '../schema/types';

/**
 * The `resultInfo` the emulator puts on terminated calls and finished operations. Codes the Graph docs name are
 * used as documented (call-delete.md's end reason codes 4521, 5001, 540000, 7000, 7015, 8537, 1106, 10037; 8508 and 8515 from
 * call-cancelmediaprocessing.md and call-record.md); busy/decline/no-answer use the SIP status with
 * subcode 0, which is how the service reports them in practice but is not spelled out in the docs.
 */
export const RESULT = {
	// call-delete.md (v1.0), "Call end reason codes".
	ended: { code: 200, subcode: 5001, message: 'The conversation has ended.' },
	peerHungUp: { code: 200, subcode: 4521, message: 'Call ended by the other participant in peer-to-peer call.' },
	// The table gives "540000/560000" for this reason without saying when each applies; the emulator uses the first.
	pstnHungUp: { code: 200, subcode: 540000, message: 'Call ended by the PSTN User.' },
	endedByBot: { code: 200, subcode: 7000, message: 'The call was ended by the bot (DELETE).' },
	transferCompleted: { code: 200, subcode: 7015, message: 'The call was transferred.' },
	redirected: { code: 200, subcode: 0, message: 'The incoming call was redirected.' },
	keepAliveTimeout: { code: 408, subcode: 8537, message: 'The call was ended because no keepAlive arrived in time.' },
	notAnswered: { code: 408, subcode: 1106, message: 'The bot did not answer, reject or redirect the incoming call in time.' },
	noAnswer: { code: 408, subcode: 0, message: 'The callee did not answer.' },
	noEndpoints: { code: 480, subcode: 10037, message: 'The callee has no endpoints to ring (offline).' },
	busy: { code: 486, subcode: 0, message: 'The callee is busy.' },
	declined: { code: 603, subcode: 0, message: 'The callee declined the call.' },
	rejectedByBot: { code: 603, subcode: 0, message: 'The bot rejected the incoming call.' },
	success: { code: 200, subcode: 0, message: 'Action completed successfully.' },
	// call-record.md (v1.0), "Notification - operation completed".
	maxRecordDurationReached: { code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' },
	canceled: { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' },
	callEnded: { code: 410, subcode: 0, message: 'The operation stopped because the call ended.' },
} as const satisfies Record<string, ResultInfo & { code: number; subcode: number; message: string }>;

export type ResultName = keyof typeof RESULT;
