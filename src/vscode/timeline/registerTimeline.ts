import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseHar } from '../../core/traffic/harReader';
import { CallTrafficSource, type SessionTraffic } from '../../core/timeline/sessionTraffic';
import { callsInRecord, recordSource, type TimelineSource } from '../../core/timeline/timelineSource';
import type { NodeTarget } from '../shared/nodeTarget';
import type { Commands } from '../shared/commands';
import type { UserInput } from '../shared/userInput';
import { Timelines } from './timelines';

export interface TimelineDeps {
	readonly extensionUri: vscode.Uri;
	readonly commands: Commands;
	readonly input: () => UserInput;
	readonly log: vscode.LogOutputChannel;
	readonly extensionVersion: string;
	/** The workbench's own requests and received notifications, for a call's timeline. */
	readonly traffic: SessionTraffic;
	/** The call selected in the Calls view, and the calls known (for the palette's pick). */
	readonly selectedCallId: () => string | undefined;
	readonly knownCallIds: () => readonly string[];
	/**
	 * The emulator's own record of a call, when the emulator is watched: it sees every request the bot (any app)
	 * sends and every notification it delivers, so it is the fuller view for emulator calls.
	 */
	readonly emulatorSource?: (callId: string) => TimelineSource | undefined;
}

/**
 * The call timeline's commands: open one from a HAR file, show one for a call in the Calls view (live, from the
 * workbench's request log and callback receiver), export the focused one as HAR, Mermaid or SVG. Returns the
 * Timelines service other features open their own sources with.
 */
export function registerTimeline(context: Pick<vscode.ExtensionContext, 'subscriptions'>, deps: TimelineDeps): Timelines {
	const timelines = new Timelines({ extensionUri: deps.extensionUri, input: deps.input, log: deps.log, extensionVersion: deps.extensionVersion });

	async function openHar(uri?: vscode.Uri): Promise<void> {
		const target = uri instanceof vscode.Uri ? uri : (await deps.input().showOpenDialog({ title: 'Open a HAR file as a call timeline', canSelectMany: false, filters: { 'HTTP Archive': ['har'], JSON: ['json'] } }))[0];
		const bytes = await vscode.workspace.fs.readFile(target);
		const log = parseHar(Buffer.from(bytes).toString('utf8'));
		const name = path.basename(target.fsPath);
		const calls = callsInRecord(log.log.entries);
		let callId: string | undefined;
		if (calls.length > 1) {
			const all = { label: `All traffic in ${name}`, description: `${log.log.entries.length} entries, ${calls.length} calls`, callId: undefined as string | undefined };
			const picked = await deps.input().showQuickPick([all, ...calls.map((c) => ({ label: `Call ${c.callId}`, description: `${c.entries} entries from ${c.first}`, callId: c.callId as string | undefined }))], { title: `${name} holds ${calls.length} calls: which timeline?`, step: 'timeline call' });
			callId = picked.callId;
		}
		timelines.open(recordSource(log, callId ? `${name} (call ${callId.slice(0, 8)})` : name, callId));
	}

	async function showForCall(node?: NodeTarget): Promise<void> {
		let callId = node && typeof node === 'object' && typeof node.callId === 'string' ? node.callId : deps.selectedCallId();
		if (!callId) {
			const known = deps.knownCallIds();
			if (!known.length) throw new Error('No call to show: create, answer or track a call first, or open a HAR file as a timeline.');
			callId = (await deps.input().showQuickPick(known.map((id) => ({ label: id })), { title: 'Show the timeline of which call?', step: 'timeline call' })).label;
		}
		const fromEmulator = deps.emulatorSource?.(callId);
		if (fromEmulator) {
			timelines.open(fromEmulator);
			return;
		}
		const source = new CallTrafficSource(callId, `call ${callId.slice(0, 8)}`, deps.traffic);
		const panel = timelines.open(source);
		// The panel may be one already open for this call: then this source has no listener and goes at once.
		if (panel.source !== source) source.dispose();
		else panel.onDidDispose(() => source.dispose());
	}

	context.subscriptions.push(
		timelines,
		deps.commands.register('graphCalls.timeline.openHar', (uri?: vscode.Uri) => openHar(uri)),
		deps.commands.register('graphCalls.timeline.showForCall', (node?: NodeTarget) => showForCall(node)),
		deps.commands.register('graphCalls.timeline.exportHar', () => timelines.exportActive('har')),
		deps.commands.register('graphCalls.timeline.exportMermaid', () => timelines.exportActive('mermaid')),
		deps.commands.register('graphCalls.timeline.exportSvg', () => timelines.exportActive('svg')),
	);
	return timelines;
}
