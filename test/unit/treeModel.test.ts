import * as assert from 'node:assert/strict';
import { CallStore } from '../../src/core/calls/callStore';
import { Emitter } from '../../src/core/event';
import { ManualClock } from '../../src/core/calls/clock';
import { KeepAliveScheduler } from '../../src/core/calls/keepAliveScheduler';
import type { ParticipantResource } from '../../src/core/schema/types';
import { resourceJsonText } from '../../src/vscode/calls/callsJsonText';
import { CallsTreeModel, operationType, PARTICIPANT_PAGE_SIZE, type CallsTreeNode } from '../../src/vscode/calls/callsTreeModel';

function person(i: number, extra: Partial<ParticipantResource> = {}): ParticipantResource {
	return { id: `p-${i}`, info: { identity: { user: { id: `u${i}`, displayName: `Person ${i}` } } }, isMuted: false, isInLobby: false, ...extra };
}

const BOT: ParticipantResource = { id: 'bot-leg', info: { identity: { application: { id: 'app-id', displayName: 'Echo Bot' } } }, isMuted: true };

describe('calls tree model', () => {
	let clock: ManualClock;
	let store: CallStore;
	let keepAlive: KeepAliveScheduler;
	let model: CallsTreeModel;
	let fired: (CallsTreeNode | undefined)[];
	let profile: string | undefined;

	beforeEach(() => {
		clock = new ManualClock();
		store = new CallStore({ clock });
		keepAlive = new KeepAliveScheduler(store, { clock, send: async () => undefined });
		profile = 'Emulator';
		model = new CallsTreeModel({ store, keepAlive, profileName: () => profile, now: () => clock.now() });
		fired = [];
		model.onDidChange((n) => fired.push(n));
	});
	afterEach(() => {
		model.dispose();
		keepAlive.dispose();
		store.dispose();
	});

	const roots = () => model.getChildren();
	const calls = () => model.getChildren(roots()[0]);

	it('shows a call\'s lint findings on its row: a count, a lint flag for the menu, the findings in the tooltip; redraws only that row', () => {
		store.applyCall({ id: 'c-lint', state: 'established', direction: 'outgoing' });
		store.applyCall({ id: 'c-clean', state: 'established', direction: 'outgoing' });
		const changed = new Emitter<void>();
		let findings: { rule: string; severity: 'error' | 'warning' | 'info'; message: string }[] = [];
		model.showLint({ forCall: (id) => (id === 'c-lint' ? findings : []), onDidChange: changed.event });
		const row = (id: string) => model.view(calls().find((n) => 'callId' in n && n.callId === id)!);
		assert.doesNotMatch(row('c-lint').description!, /lint/);

		findings = [
			{ rule: 'missing-tenant-id', severity: 'error', message: 'POST /communications/calls without tenantId: see [docs](https://evil.example)' },
			...Array.from({ length: 6 }, (_, i) => ({ rule: 'keepalive-missing', severity: 'warning' as const, message: `gap ${i}` })),
		];
		fired = [];
		changed.fire();
		assert.deepEqual(fired.map((n) => n && 'callId' in n && n.callId), ['c-lint'], 'only the row whose findings changed is redrawn');
		const v = row('c-lint');
		assert.match(v.description!, /· 7 lint findings$/);
		assert.match(v.contextValue, /^call:established:.*:lint$/);
		assert.match(v.tooltip!, /\*\*Lint\*\*\n\n- \$\(error\) `missing-tenant-id`: POST \/communications\/calls without tenantId\\: see \\\[docs\\\]\\\(https\\:\/\/evil\\\.example\\\)/, 'the message is literal Markdown: no link');
		assert.match(v.tooltip!, /- and 2 more \(Show Lint Findings\)$/);
		assert.doesNotMatch(row('c-clean').contextValue, /lint/);

		fired = [];
		changed.fire();
		assert.deepEqual(fired, [], 'the same findings again redraw nothing');
	});

	it('is empty without a profile or without calls, so the welcome content shows', () => {
		assert.deepEqual(roots(), []);
		store.applyCall({ id: 'c1', state: 'establishing' });
		assert.equal(roots().length, 1);
		assert.equal(model.view(roots()[0]).label, 'Emulator');
		profile = undefined;
		assert.deepEqual(roots(), []);
	});

	it('marks a call another app made (a bot, seen in the emulator\'s feed) with the app, a robot icon and a bot flag', () => {
		model.dispose();
		model = new CallsTreeModel({ store, keepAlive, profileName: () => profile, now: () => clock.now(), otherApp: (id) => (id === 'bot-call' ? 'Contoso Front Desk' : undefined) });
		store.applyCall({ id: 'bot-call', state: 'established', direction: 'outgoing', targets: [{ identity: { user: { id: 'u1', displayName: 'Adele Vance' } } }] }, 'notification');
		store.applyCall({ id: 'own-call', state: 'established', direction: 'outgoing' });
		const byId = (id: string) => model.view(calls().find((n) => 'callId' in n && n.callId === id)!);
		const bot = byId('bot-call');
		assert.match(bot.description!, /^bot: Contoso Front Desk · established/);
		assert.match(bot.contextValue!, /^call:established:.*:bot$/);
		assert.deepEqual(bot.icon, { id: 'robot', color: 'charts.green' });
		const own = byId('own-call');
		assert.doesNotMatch(own.description!, /bot:/);
		assert.doesNotMatch(own.contextValue!, /:bot/);
		assert.deepEqual(own.icon, { id: 'pass-filled', color: 'charts.green' });
	});

	it('shows state, direction, other party, duration, muted and keepAlive on the call row, with flags in contextValue', () => {
		store.applyCall({
			id: 'c1',
			state: 'establishing',
			direction: 'outgoing',
			myParticipantId: 'bot-leg',
			targets: [{ identity: { user: { id: 'u1', displayName: 'Adele Vance' } } }],
		});
		let v = model.view(calls()[0]);
		assert.equal(v.label, 'Adele Vance');
		assert.equal(v.contextValue, 'call:establishing:unmuted:outgoing:keepAliveOn');
		assert.equal(v.icon?.id, 'loading~spin');

		store.applyCall({ id: 'c1', state: 'established' });
		store.applyParticipants('c1', [BOT, person(1)]);
		clock.advance(65_000);
		v = model.view(calls()[0]);
		assert.equal(v.contextValue, 'call:established:muted:outgoing:keepAliveOn');
		assert.match(v.contextValue, /^call:.*established/, 'matches the menus\' regex');
		assert.equal(v.description, 'established · outgoing · 1:05 · muted · keepAlive in 14 min');
		assert.deepEqual(v.icon, { id: 'pass-filled', color: 'charts.green' });
		assert.match(v.tooltip!, /Call id: `c1`/);
		assert.match(v.tooltip!, /States: establishing → established/);
		assert.equal(v.collapsible, 'collapsed');

		keepAlive.setEnabled('c1', false);
		assert.equal(model.view(calls()[0]).contextValue, 'call:established:muted:outgoing:keepAliveOff');
	});

	// Moved from the extension-host tests, which now read the Calls view's content through the public API.
	it('says "keepAlive off" on the call row once automatic keepAlive is off, and "keepAlive in 15 min" on a fresh call', () => {
		store.applyCall({ id: 'c1', state: 'established', direction: 'outgoing', myParticipantId: 'bot-leg' });
		store.applyParticipants('c1', [{ ...BOT, isMuted: false }, person(1)]);
		let v = model.view(calls()[0]);
		assert.match(v.description!, /^established · outgoing · \d+:\d\d/);
		assert.match(v.description!, /keepAlive in 15 min/);
		assert.match(v.contextValue, /^call:established:unmuted:outgoing:keepAliveOn$/);
		keepAlive.setEnabled('c1', false);
		v = model.view(calls()[0]);
		assert.match(v.contextValue, /:keepAliveOff$/);
		assert.match(v.description!, /keepAlive off/);
		keepAlive.setEnabled('c1', true);
		assert.match(model.view(calls()[0]).contextValue, /:keepAliveOn$/);
	});

	it('flags a participant who is both muted and in the lobby, and drops one who left from the roster node', () => {
		store.applyCall({ id: 'c1', state: 'established', myParticipantId: 'bot-leg' });
		store.applyParticipants('c1', [BOT, person(1, { isMuted: true, isInLobby: true }), person(2)]);
		const [group] = model.getChildren(calls()[0]);
		const views = () => model.getChildren(group).map((n) => model.view(n));
		assert.equal(views().find((v) => v.label === 'Person 1')?.contextValue, 'participant:muted:inLobby:callActive');
		store.removeParticipants('c1', ['p-2']);
		assert.ok(!views().some((v) => v.label === 'Person 2'), 'the participant who left has no node');
		assert.ok(views().some((v) => v.label === 'Person 1'), 'the others stay');
	});

	it('greys an ended call and explains its resultInfo', () => {
		store.applyCall({ id: 'c1', state: 'established', direction: 'incoming', source: { identity: { phone: { id: '+14255550100' } } as never } });
		store.applyCall({ id: 'c1', state: 'terminated', resultInfo: { code: 408, subcode: 8537 } });
		const v = model.view(calls()[0]);
		assert.equal(v.label, '+14255550100');
		assert.equal(v.icon?.color, 'disabledForeground');
		assert.match(v.description!, /^terminated · 408\/8537: keepAlive not sent in time · incoming/);
		assert.match(v.contextValue, /^call:terminated:.*:ended$/);
		assert.doesNotMatch(v.contextValue, /^call:.*established/);
	});

	it('labels a meeting call by its join id and a tracked call by its id until data arrives', () => {
		store.applyCall({ id: 'meeting-call', state: 'established', meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '123 456 789' } as never });
		store.track('2f1a3b4c-0000-4000-8000-000000000001');
		const labels = calls().map((n) => model.view(n).label);
		assert.deepEqual(labels.sort(), ['Call 2f1a3b4c…', 'meeting 123 456 789']);
		const tracked = calls().find((n) => model.view(n).label.startsWith('Call'))!;
		assert.equal(model.view(tracked).contextValue, 'call:unknown:unmuted:unknownDirection:keepAliveOn');
	});

	it('shows participants with role, muted, on hold, lobby and media, flagged for the menus', () => {
		store.applyCall({ id: 'c1', state: 'established', myParticipantId: 'bot-leg' });
		store.applyParticipants('c1', [
			BOT,
			person(1, { isMuted: true, mediaStreams: [{ mediaType: 'audio', direction: 'sendReceive', sourceId: '1', serverMuted: false }] }),
			person(2, { isInLobby: true }),
			person(3, { mediaStreams: [{ mediaType: 'audio', direction: 'inactive', sourceId: '2', serverMuted: false }] }),
		]);
		const [group] = model.getChildren(calls()[0]);
		assert.equal(model.view(group).label, 'Participants (4)');
		const views = model.getChildren(group).map((n) => model.view(n));
		assert.deepEqual(views.map((v) => v.label), ['Echo Bot (app)', 'Person 1', 'Person 2', 'Person 3']);
		assert.deepEqual(views.map((v) => v.contextValue), [
			'participant:muted:self:callActive',
			'participant:muted:callActive',
			'participant:unmuted:inLobby:callActive',
			'participant:unmuted:onHold:callActive',
		]);
		assert.equal(views[0].description, 'bot · muted');
		assert.equal(views[1].description, 'muted · audio sendReceive');
		assert.equal(views[2].description, 'in lobby');
		assert.equal(views[3].description, 'on hold · audio inactive');
		const target = model.getChildren(group)[1] as unknown as { callId: string; participantId: string };
		assert.deepEqual({ callId: target.callId, participantId: target.participantId }, { callId: 'c1', participantId: 'p-1' });
	});

	it('keeps hostile names from a roster as text in tooltips: no link, image, HTML or command URI gets through', () => {
		// Display names come from Graph, and through Graph from whoever joined or was invited: they are not ours.
		const hostile = '[Open](command:workbench.action.terminal.new) ![x](https://attacker.example/p.png) <img src=x onerror=alert(1)> **bold** `code`';
		store.applyCall({ id: 'c1', state: 'established', myParticipantId: 'bot-leg' });
		store.applyParticipants('c1', [BOT, { id: 'p-evil', info: { identity: { user: { id: 'u-evil', displayName: hostile } } } }]);
		const [group] = model.getChildren(calls()[0]);
		const evil = model.getChildren(group).map((n) => model.view(n)).find((v) => v.label === hostile);
		assert.ok(evil, 'the name is shown as the label, as it is');
		const tooltip = evil.tooltip ?? '';
		assert.doesNotMatch(tooltip, /(^|[^\\])\[[^\]]*(^|[^\\])\]\(/, 'no markdown link or image');
		assert.doesNotMatch(tooltip, /(^|[^\\])</, 'no raw HTML');
		assert.doesNotMatch(tooltip, /(^|[^\\])\*\*bold/, 'no emphasis');
		assert.doesNotMatch(tooltip, /https:\/\/|command:/, 'no scheme left to autolink');
		assert.ok(tooltip.includes('\\[Open\\]\\(command\\:workbench\\.action'), 'the text itself is kept, escaped');
	});

	it('shows operations newest first with type, status and clientContext', () => {
		store.applyCall({ id: 'c1', state: 'established' });
		store.applyOperation('c1', { id: 'op-1', '@odata.type': '#microsoft.graph.playPromptOperation', status: 'running' as never, clientContext: 'greeting' });
		store.applyOperation('c1', { id: 'op-2', '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'failed' as never, resultInfo: { code: 403, subcode: 7504 } });
		const [ops] = model.getChildren(calls()[0]);
		assert.equal(model.view(ops).label, 'Operations (2)');
		assert.equal(model.view(ops).description, '1 running');
		const views = model.getChildren(ops).map((n) => model.view(n));
		assert.deepEqual(views.map((v) => [v.label, v.contextValue]), [['muteParticipant', 'operation:failed:finished'], ['playPrompt', 'operation:running:running']]);
		assert.match(views[1].description!, /^running · greeting$/);
		assert.match(views[0].description!, /403\/7504: insufficient enterprise tenant permissions/);
		assert.equal(operationType(undefined), 'operation');
	});

	it('pages a roster of 1,000 participants and redraws only the roster node per roster update', () => {
		store.applyCall({ id: 'big', state: 'established' });
		const roster = Array.from({ length: 1000 }, (_, i) => person(i));
		store.applyParticipants('big', roster);
		const [group] = model.getChildren(calls()[0]);
		assert.equal(model.view(group).label, 'Participants (1,000)');
		const pages = model.getChildren(group);
		assert.equal(pages.length, 1000 / PARTICIPANT_PAGE_SIZE);
		assert.equal(model.view(pages[9]).label, '901–1,000');
		const last = model.getChildren(pages[9]);
		assert.equal(last.length, 100);
		assert.equal(model.view(last[99]).label, 'Person 999');
		assert.equal(model.getParent(last[99]), pages[9]);
		// Render the call row once so the model knows what it shows.
		model.view(calls()[0]);
		fired.length = 0;
		roster[500] = person(500, { isMuted: true });
		store.applyParticipants('big', roster);
		assert.deepEqual(fired, [group], 'one event, for the roster node only');
		// Node objects are reused, so the view keeps expansion and selection.
		assert.equal(model.getChildren(group)[5], pages[5]);
		assert.equal(model.getChildren(pages[9])[99], last[99]);
	});

	it('redraws the call row when a roster change alters it (the bot muted)', () => {
		store.applyCall({ id: 'c1', state: 'established', myParticipantId: 'bot-leg' });
		store.applyParticipants('c1', [{ ...BOT, isMuted: false }]);
		model.view(calls()[0]);
		fired.length = 0;
		store.applyParticipants('c1', [BOT]);
		assert.deepEqual(fired, [model.callNode('c1')]);
		assert.match(model.view(calls()[0]).contextValue, /:muted:/);
	});

	it('redraws the whole tree when calls come and go, and one call row when a call changes', () => {
		store.applyCall({ id: 'c1', state: 'establishing' });
		assert.deepEqual(fired, [undefined]);
		fired.length = 0;
		store.applyCall({ id: 'c1', state: 'established' });
		assert.deepEqual(fired, [model.callNode('c1')]);
		fired.length = 0;
		store.forget('c1');
		assert.deepEqual(fired, [undefined]);
		assert.deepEqual(roots(), []);
	});

	it('returns the latest resource behind each node for Open as JSON', () => {
		store.applyCall({ id: 'c1', state: 'established', subject: 'Standup' });
		store.applyParticipants('c1', [person(1)]);
		store.applyOperation('c1', { id: 'op-1', status: 'running' as never });
		assert.equal((model.resourceOf({ callId: 'C1' }) as { subject: string }).subject, 'Standup');
		assert.equal((model.resourceOf({ callId: 'c1', participantId: 'P-1' }) as ParticipantResource).id, 'p-1');
		assert.equal((model.resourceOf({ callId: 'c1', operationId: 'op-1' }) as { status: string }).status, 'running');
		assert.equal(model.resourceOf({ callId: 'nope' }), undefined);
	});
});

describe('Open as JSON of a call (the Calls view)', () => {
	it('never shows a recording token or another secret-shaped value a resource carries', () => {
		// What Graph may put in a call resource: a recording token, and a JWT under an innocent-looking name.
		const jwt = 'ZXhhbXBsZS1oZWFkZXI.cGF5bG9hZC1wYXJ0LW9uZQ.c2lnbmF0dXJlLXBhcnQtdHdvLXZlcnktbG9uZw';
		const text = resourceJsonText({ id: 'c1', state: 'established', recordingAccessToken: 'rec-token-7f3a9c1e5b2d', extra: { note: jwt }, chatInfo: { threadId: '19:meeting_Zjc4ZjM4@thread.v2' } });
		assert.ok(!text.includes('rec-token-7f3a9c1e5b2d'), text);
		assert.ok(!text.includes(jwt), text);
		assert.match(text, /"id": "c1"/, 'ids stay readable');
		assert.match(text, /19:meeting_Zjc4ZjM4@thread\.v2/, 'thread ids stay readable');
	});
});
