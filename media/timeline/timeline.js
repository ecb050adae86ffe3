// The call timeline page: draws the sequence diagram the extension posts (src/vscode/timeline/timelinePanel.ts)
// and sends the user's clicks back. Every text from the record is set with textContent. Only the rows in view
// are in the DOM, so a call with thousands of events scrolls and streams without redrawing everything.
// @ts-check
(function () {
	// eslint-disable-next-line no-undef
	const vscode = acquireVsCodeApi();
	const ROW = 30;
	const OVERSCAN = 12;
	const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
	const rowsEl = $('rows');
	const lanesEl = $('lanes');
	const statusEl = $('status');
	const detailsEl = $('details');
	const detailsTitle = $('details-title');
	const detailsBody = $('details-body');
	const checks = {
		requests: /** @type {HTMLInputElement} */ ($('show-requests')),
		notifications: /** @type {HTMLInputElement} */ ($('show-notifications')),
		actions: /** @type {HTMLInputElement} */ ($('show-actions')),
		findings: /** @type {HTMLInputElement} */ ($('only-findings')),
	};
	const saved = vscode.getState() || {};
	for (const [k, c] of Object.entries(checks)) if (saved.filters && typeof saved.filters[k] === 'boolean') c.checked = saved.filters[k];

	/** @type {{ id: string, kind: string, name: string }[]} */
	let lanes = [];
	/** @type {any[]} events in time order */
	let events = [];
	/** @type {Map<number, any>} */
	const byId = new Map();
	/** indexes into events that pass the filter */
	let visible = [];
	let active = -1; // index into visible
	let live = false;
	let follow = true;
	let scheduled = false;
	let detailsFor = -1;

	const spacer = document.createElement('div');
	spacer.className = 'spacer';
	rowsEl.append(spacer);
	const lifelines = document.createElement('div');
	lifelines.className = 'lifelines';
	spacer.append(lifelines);

	function el(tag, cls, text) {
		const n = document.createElement(tag);
		if (cls) n.className = cls;
		if (text !== undefined) n.textContent = String(text);
		return n;
	}

	function offset(ms) {
		const sign = ms < 0 ? '-' : '+';
		const a = Math.abs(ms);
		if (a < 60000) return `${sign}${(a / 1000).toFixed(3)} s`;
		const min = Math.floor(a / 60000);
		return `${sign}${min}:${((a % 60000) / 1000).toFixed(1).padStart(4, '0')}`;
	}

	function duration(ms) {
		if (ms < 1000) return `${Math.round(ms)} ms`;
		if (ms < 120000) return `${(ms / 1000).toFixed(2)} s`;
		return `${(ms / 60000).toFixed(1)} min`;
	}

	const start = () => (events.length ? events[0].t : 0);
	const laneIndex = (id) => lanes.findIndex((l) => l.id === id);
	const laneName = (id) => lanes.find((l) => l.id === id)?.name ?? id;

	function passes(e) {
		const group = e.kind === 'request' || e.kind === 'response' ? 'requests' : e.kind === 'action' ? 'actions' : 'notifications';
		if (!checks[group].checked) return false;
		if (checks.findings.checked && !(e.findings && e.findings.length)) return false;
		return true;
	}

	function refilter() {
		const activeId = active >= 0 && visible[active] !== undefined ? events[visible[active]].id : undefined;
		visible = [];
		for (let i = 0; i < events.length; i++) if (passes(events[i])) visible.push(i);
		active = activeId === undefined ? -1 : visible.findIndex((i) => events[i].id === activeId);
		updateStatus();
		schedule();
	}

	function text(e) {
		if (e.kind === 'response' || e.kind === 'ack') return `${e.label} · ${duration(e.durationMs || 0)}`;
		if (e.kind === 'action') return e.inferred ? `${e.label} (from roster)` : e.label;
		return e.label;
	}

	function describe(e) {
		const f = (e.findings || []).map((x) => `${x.severity} ${x.rule}: ${x.message}`).join('; ');
		return `${offset(e.t - start())}, ${laneName(e.from)} to ${laneName(e.to)}: ${text(e)}${f ? `. Findings: ${f}` : ''}`;
	}

	function drawLanes() {
		lanesEl.replaceChildren(el('div', 'time-head', 'Time'));
		const track = el('div', 'lane-track');
		lanes.forEach((l) => track.append(el('div', `lane-name lane-${l.kind}`, l.name)));
		lanesEl.append(track);
		lifelines.replaceChildren();
		lanes.forEach((l, i) => {
			const line = el('div', 'lifeline');
			line.style.left = `calc(var(--time-width) + (100% - var(--time-width)) * ${(i + 0.5) / lanes.length})`;
			lifelines.append(line);
		});
	}

	function row(e, index) {
		const r = el('div', `row kind-${e.kind}`);
		r.id = `ev-${e.id}`;
		r.setAttribute('role', 'option');
		r.setAttribute('aria-selected', index === active ? 'true' : 'false');
		r.setAttribute('aria-label', describe(e));
		r.dataset.index = String(index);
		r.style.top = `${index * ROW}px`;
		r.append(el('span', 'time', offset(e.t - start())));
		const track = el('div', 'track');
		const a = laneIndex(e.from);
		const b = laneIndex(e.to);
		if (a >= 0 && b >= 0) {
			const n = lanes.length;
			const left = (Math.min(a, b) + 0.5) / n;
			const width = Math.max(Math.abs(b - a), 0.2) / n;
			const failed = (e.kind === 'response' || e.kind === 'ack') && (!e.status || e.status >= 400);
			const arrow = el('div', `arrow ${b >= a ? 'right' : 'left'}${failed ? ' failed' : ''}`);
			arrow.style.left = `${left * 100}%`;
			arrow.style.width = `${width * 100}%`;
			arrow.append(el('span', 'label', text(e)));
			track.append(arrow);
		}
		r.append(track);
		if (e.findings && e.findings.length) {
			const worst = e.findings.some((f) => f.severity === 'error') ? 'error' : e.findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
			const badge = el('span', `finding finding-${worst}`, e.findings.map((f) => f.rule).join(', '));
			badge.title = e.findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`).join('\n');
			r.append(badge);
		}
		return r;
	}

	function render() {
		scheduled = false;
		spacer.style.height = `${visible.length * ROW}px`;
		const top = rowsEl.scrollTop;
		const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
		const last = Math.min(visible.length, Math.ceil((top + rowsEl.clientHeight) / ROW) + OVERSCAN);
		const nodes = [lifelines];
		for (let i = first; i < last; i++) nodes.push(row(events[visible[i]], i));
		spacer.replaceChildren(...nodes);
		if (active >= 0 && visible[active] !== undefined) rowsEl.setAttribute('aria-activedescendant', `ev-${events[visible[active]].id}`);
		else rowsEl.removeAttribute('aria-activedescendant');
	}

	function schedule() {
		if (scheduled) return;
		scheduled = true;
		requestAnimationFrame(render);
	}

	function updateStatus() {
		const findings = events.reduce((n, e) => n + (e.findings ? e.findings.length : 0), 0);
		statusEl.textContent = `${visible.length} of ${events.length} events shown, ${findings} lint finding${findings === 1 ? '' : 's'}${live ? ', live' : ''}.`;
	}

	function insert(list) {
		for (const e of list) {
			byId.set(e.id, e);
			const last = events[events.length - 1];
			if (!last || last.t < e.t || (last.t === e.t && last.id < e.id)) {
				events.push(e);
				continue;
			}
			let lo = 0;
			let hi = events.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				const m = events[mid];
				if (m.t < e.t || (m.t === e.t && m.id < e.id)) lo = mid + 1;
				else hi = mid;
			}
			events.splice(lo, 0, e);
		}
	}

	function setActive(i, reveal) {
		if (!visible.length) return;
		active = Math.max(0, Math.min(visible.length - 1, i));
		follow = active === visible.length - 1;
		if (reveal) {
			const y = active * ROW;
			if (y < rowsEl.scrollTop) rowsEl.scrollTop = y;
			else if (y + ROW > rowsEl.scrollTop + rowsEl.clientHeight) rowsEl.scrollTop = y + ROW - rowsEl.clientHeight;
		}
		schedule();
	}

	function openDetails() {
		if (active < 0 || visible[active] === undefined) return;
		const e = events[visible[active]];
		detailsFor = e.id;
		detailsEl.hidden = false;
		detailsTitle.textContent = text(e);
		detailsBody.replaceChildren(el('p', 'loading', 'Loading…'));
		vscode.postMessage({ type: 'details', id: e.id });
	}

	function showDetails(d) {
		if (d.id !== detailsFor) return;
		detailsTitle.textContent = d.title;
		const parts = [];
		for (const s of d.sections) {
			parts.push(el('h3', '', s.heading));
			const pre = el('pre', '', s.text);
			pre.tabIndex = 0;
			parts.push(pre);
		}
		detailsBody.replaceChildren(...parts);
	}

	function closeDetails() {
		detailsEl.hidden = true;
		detailsFor = -1;
		rowsEl.focus();
	}

	rowsEl.addEventListener('scroll', () => {
		follow = rowsEl.scrollTop + rowsEl.clientHeight >= rowsEl.scrollHeight - ROW;
		schedule();
	});
	rowsEl.addEventListener('click', (ev) => {
		const r = /** @type {HTMLElement} */ (ev.target).closest('.row');
		if (!r || !(r instanceof HTMLElement)) return;
		rowsEl.focus();
		setActive(Number(r.dataset.index), false);
		openDetails();
	});
	rowsEl.addEventListener('focus', () => {
		if (active < 0 && visible.length) setActive(0, true);
	});
	rowsEl.addEventListener('keydown', (ev) => {
		const page = Math.max(1, Math.floor(rowsEl.clientHeight / ROW) - 1);
		const current = active < 0 ? -1 : active;
		let handled = true;
		switch (ev.key) {
			case 'ArrowDown': setActive(current + 1, true); break;
			case 'ArrowUp': setActive(current - 1, true); break;
			case 'PageDown': setActive(current + page, true); break;
			case 'PageUp': setActive(current - page, true); break;
			case 'Home': setActive(0, true); break;
			case 'End': setActive(visible.length - 1, true); break;
			case 'ArrowRight':
			case 'ArrowLeft': {
				// Jump to the other half of a pair: a request's response, a notification's ack.
				const e = active >= 0 ? events[visible[active]] : undefined;
				const pair = e && e.pair !== undefined ? byId.get(e.pair) : undefined;
				const j = pair ? visible.findIndex((i) => events[i] === pair) : -1;
				if (j >= 0) setActive(j, true);
				break;
			}
			case 'Enter':
			case ' ': openDetails(); break;
			case 'Escape': if (!detailsEl.hidden) closeDetails(); else handled = false; break;
			default: handled = false;
		}
		if (handled) ev.preventDefault();
	});
	detailsEl.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') closeDetails();
	});
	$('details-close').addEventListener('click', closeDetails);
	for (const c of Object.values(checks)) {
		c.addEventListener('change', () => {
			vscode.setState({ filters: Object.fromEntries(Object.entries(checks).map(([k, x]) => [k, x.checked])) });
			refilter();
		});
	}
	for (const format of ['har', 'mermaid', 'svg']) $(`export-${format}`).addEventListener('click', () => vscode.postMessage({ type: 'export', format }));
	window.addEventListener('resize', schedule);

	window.addEventListener('message', (ev) => {
		const m = ev.data;
		if (!m || typeof m !== 'object') return;
		switch (m.type) {
			case 'init':
				$('title').textContent = String(m.title);
				live = !!m.live;
				lanes = m.lanes;
				events = [];
				byId.clear();
				insert(m.events);
				drawLanes();
				active = -1;
				refilter();
				break;
			case 'append': {
				if (m.lanes) {
					lanes = m.lanes;
					drawLanes();
				}
				const wasFollowing = follow;
				insert(m.events);
				refilter();
				if (wasFollowing) requestAnimationFrame(() => (rowsEl.scrollTop = rowsEl.scrollHeight));
				break;
			}
			case 'findings':
				for (const u of m.updates) {
					const e = byId.get(u.id);
					if (e) e.findings = u.findings;
				}
				refilter();
				break;
			case 'details':
				showDetails(m.details);
				break;
			case 'status':
				statusEl.textContent = String(m.text);
				break;
		}
	});
	vscode.postMessage({ type: 'ready' });
})();
