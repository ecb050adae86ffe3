/** Rules about how the bot treats what Graph sends it and the media operations it queues. Sources in docs/lint.md. */
import { callKey, formatDuration, type Finding, type IndexedEntry, type LintRule } from './lintModel';

/**
 * Not stated in the Graph v1.0 reference: the project's facts (/docs/lint.md) and the emulator's webhook
 * `ackTimeoutMs` use 5 s as the time Graph waits for the bot's answer to a notification.
 */
export const CALLBACK_ACK_MS = 5_000;

export const callbackSlow: LintRule = {
	id: 'callback-slow',
	severity: 'error',
	summary: 'The bot answered a notification with a status other than 2xx (or a 302 redirect), or took longer than 5 s.',
	docs: 'https://learn.microsoft.com/microsoftteams/platform/bots/calls-and-meetings/call-notifications',
	check(view) {
		const out: Finding[] = [];
		for (const e of view.byTime) {
			if (e.direction !== 'in') continue;
			const what = e.notifications.length ? `the notification about ${e.notifications[0].resourceUrl || 'a call'}` : 'a notification';
			if (e.status === 0) {
				out.push({ rule: this.id, severity: 'error', entry: e.index, docs: this.docs, message: `The bot never answered ${what}${e.entry.response._error ? ` (${e.entry.response._error})` : ''}: Graph retries, then gives up, and the bot misses the event.` });
				continue;
			}
			// 204 to a legacy-format notification and 302 for region affinity are documented answers.
			const accepted = (e.status >= 200 && e.status < 300) || e.status === 302;
			if (!accepted) {
				out.push({ rule: this.id, severity: 'error', entry: e.index, docs: this.docs, message: `The bot answered ${what} with ${e.status}: Graph treats that as not delivered${e.status === 401 || e.status === 403 ? ' (check the callback token validation: issuer, audience = the bot\'s app id, signing keys)' : ''}.` });
				continue;
			}
			if (e.entry.time > CALLBACK_ACK_MS) out.push({ rule: this.id, severity: 'warning', entry: e.index, docs: this.docs, message: `The bot took ${formatDuration(e.entry.time)} to acknowledge ${what}; acknowledge within 5 s and do the work afterwards, or Graph counts it as not delivered.` });
		}
		return out;
	},
};

const QUEUED_MEDIA = new Set(['call.playPrompt', 'call.recordResponse']);

interface PendingOperation {
	readonly entry: IndexedEntry;
	readonly id?: string;
}

function operationId(e: IndexedEntry): string | undefined {
	const id = e.responseJson()?.id;
	return typeof id === 'string' ? callKey(id) : undefined;
}

function finishedImmediately(e: IndexedEntry): boolean {
	const status = e.responseJson()?.status;
	return status === 'completed' || status === 'failed';
}

function operationDone(n: { operationId?: string; changeType: string; resourceData: unknown }): boolean {
	const d = n.resourceData as Record<string, unknown> | null;
	return n.changeType === 'deleted' || (!!d && typeof d === 'object' && (d.status === 'completed' || d.status === 'failed'));
}

const name = (e: IndexedEntry) => e.action?.replace('call.', '') ?? 'operation';

export const operationOverlap: LintRule = {
	id: 'operation-overlap',
	severity: 'warning',
	summary: 'A request that cancels or cuts short a playPrompt/recordResponse the bot did not wait for.',
	docs: 'https://learn.microsoft.com/graph/api/call-cancelmediaprocessing?view=graph-rest-1.0',
	check(view) {
		const out: Finding[] = [];
		const pending = new Map<string, PendingOperation[]>();
		for (const e of view.byTime) {
			if (e.direction === 'in') {
				for (const n of e.notifications) {
					if (!n.callId || !n.operationId || !operationDone(n)) continue;
					const list = pending.get(n.callId);
					if (list) pending.set(n.callId, list.filter((p) => p.id !== n.operationId));
				}
				continue;
			}
			if (!e.callId || !e.action) continue;
			const list = pending.get(e.callId) ?? [];
			if (QUEUED_MEDIA.has(e.action)) {
				// Media operations queue in order: a second one waits for the first, which changes nothing.
				if (e.status >= 200 && e.status < 300 && !finishedImmediately(e)) pending.set(e.callId, [...list, { entry: e, id: operationId(e) }]);
				continue;
			}
			if (!list.length) continue;
			const first = list[0].entry;
			const what = list.length === 1 ? `the ${name(first)} started at entry ${first.index}` : `${list.length} queued media operations (the first, ${name(first)}, at entry ${first.index})`;
			if (e.action === 'call.cancelMediaProcessing') {
				out.push({ rule: this.id, severity: 'warning', entry: e.index, docs: this.docs, message: `cancelMediaProcessing while ${what} had not finished: it cancels the running and queued operations (they fail with 400/8508). Wait for the completion notification if they should play out.` });
				pending.delete(e.callId);
			} else if (e.action === 'call.delete' || e.action === 'call.transfer' || e.action === 'call.redirect') {
				out.push({ rule: this.id, severity: 'warning', entry: e.index, docs: this.docs, message: `${name(e)} while ${what} had not finished: the caller does not hear the rest of it. Wait for the operation's completion notification first.` });
				pending.delete(e.callId);
			}
		}
		return out;
	},
};
