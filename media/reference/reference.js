// The permission reference page. It renders the model the extension posts and sends the user's actions back;
// filtering happens in the extension (src/core/permissions/referenceModel.ts). Text is set with textContent only.
// @ts-check
(function () {
	// eslint-disable-next-line no-undef
	const vscode = acquireVsCodeApi();
	const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
	const query = /** @type {HTMLInputElement} */ ($('query'));
	const sections = $('sections');
	const saved = vscode.getState() || {};
	/** Which code tab each permission shows, kept across re-renders. */
	const selectedTab = saved.tabs || {};
	if (saved.query) query.value = saved.query;

	function el(tag, attrs, ...children) {
		const node = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === undefined || v === false) continue;
			if (k === 'class') node.className = v;
			else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
			else node.setAttribute(k, v === true ? '' : String(v));
		}
		for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
		return node;
	}
	const icon = (name, label) => el('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', role: label ? 'img' : undefined, 'aria-label': label });

	function button(iconName, text, title, onclick, extraClass) {
		return el('button', { type: 'button', class: extraClass, title, 'aria-label': title, onclick }, icon(iconName), text);
	}

	const STATUS = {
		granted: { icon: 'pass-filled', text: 'granted', title: 'The active profile\'s token allows this method' },
		missing: { icon: 'error', text: 'missing', title: 'The active profile\'s token lacks every permission this method accepts' },
		unknown: { icon: 'circle-large-outline', text: 'unknown', title: 'No profile roles known yet' },
	};

	function methodsTable(permission, version, methods) {
		if (!methods.length) return el('p', { class: 'empty' }, `No ${version} method matches the filter.`);
		const rows = methods.map((m) => {
			const s = STATUS[m.status];
			return el(
				'tr',
				{ class: `status-${m.status}`, 'data-action': m.action, 'data-version': version, 'data-path': m.path },
				el('td', { class: 'status', title: s.title }, icon(s.icon, s.title), el('span', { class: 'status-text' }, s.text)),
				el('td', { class: 'verb' }, el('span', { class: `verb verb-${m.method.toLowerCase()}` }, m.method)),
				el('td', { class: 'path' }, el('code', {}, m.path), m.viaAppAlias ? el('span', { class: 'tag', title: 'Deprecated beta alias of /communications/calls' }, 'alias') : undefined,
					el('div', { class: 'summary' }, m.summary, m.privilege === 'higher' ? el('span', { class: 'tag' }, 'higher privileged') : undefined, m.noRequestCheck ? el('span', { class: 'tag', title: 'The docs say the permission is checked when the call is created, not on this request' }, 'checked at creation') : undefined),
					m.note ? el('details', {}, el('summary', {}, 'Note'), el('p', {}, m.note)) : undefined),
				el('td', { class: 'cmdlet' }, m.cmdlet ? el('code', {}, m.cmdlet) : '—'),
				el(
					'td',
					{ class: 'row-actions' },
					button('link', '', `Copy documentation URL for ${m.method} ${m.path}`, () => vscode.postMessage({ type: 'copyDocUrl', action: m.action, version })),
					button('go-to-file', '', `Open ${m.method} ${m.path} as request`, () => vscode.postMessage({ type: 'openAsRequest', action: m.action, version })),
				),
			);
		});
		return el(
			'table',
			{ class: 'methods', 'aria-label': `${permission} ${version} methods` },
			el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Token'), el('th', { scope: 'col' }, 'Method'), el('th', { scope: 'col' }, 'Path'), el('th', { scope: 'col' }, 'Cmdlet'), el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')))),
			el('tbody', {}, rows),
		);
	}

	function examples(section) {
		if (!section.examples.length) return undefined;
		const id = section.permission.replace(/\W/g, '-');
		const current = Math.min(selectedTab[section.permission] || 0, section.examples.length - 1);
		const panels = [];
		const tabs = section.examples.map((ex, i) => {
			const tab = el('button', {
				type: 'button', role: 'tab', id: `${id}-tab-${i}`, 'aria-controls': `${id}-panel-${i}`, 'aria-selected': i === current ? 'true' : 'false', tabindex: i === current ? '0' : '-1',
				onclick: () => select(i, true),
			}, ex.language);
			panels.push(el('div', { role: 'tabpanel', id: `${id}-panel-${i}`, 'aria-labelledby': `${id}-tab-${i}`, hidden: i !== current, class: 'code' },
				el('div', { class: 'code-head' }, el('span', {}, ex.title), button('copy', 'Copy', `Copy the ${ex.language} example`, () => vscode.postMessage({ type: 'copyCode', code: ex.code }))),
				el('pre', { tabindex: '0' }, el('code', {}, ex.code))));
			return tab;
		});
		function select(i, focus) {
			selectedTab[section.permission] = i;
			vscode.setState({ ...(vscode.getState() || {}), tabs: selectedTab });
			tabs.forEach((t, j) => {
				t.setAttribute('aria-selected', j === i ? 'true' : 'false');
				t.tabIndex = j === i ? 0 : -1;
				panels[j].hidden = j !== i;
			});
			if (focus) tabs[i].focus();
		}
		const list = el('div', {
			role: 'tablist', 'aria-label': `Code examples for ${section.permission}`,
			onkeydown: (e) => {
				const i = tabs.indexOf(/** @type {any} */ (document.activeElement));
				if (i < 0) return;
				const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
				if (next >= 0) {
					e.preventDefault();
					select(next, true);
				}
			},
		}, tabs);
		return el('div', { class: 'examples' }, el('h3', {}, 'Code examples'), list, panels);
	}

	function section(s) {
		const badge = s.granted === undefined ? undefined : s.granted
			? el('span', { class: 'badge granted' }, icon('pass-filled'), 'in token')
			: el('span', { class: 'badge missing' }, icon('error'), 'not in token');
		const versions = [['v1.0', 'Microsoft Graph v1.0'], ['beta', 'Microsoft Graph beta']];
		return el(
			'section',
			{ class: 'permission', 'aria-labelledby': `h-${s.permission}`, 'data-permission': s.permission },
			el('h2', { id: `h-${s.permission}` }, icon('key'), s.permission, badge),
			el('p', { class: 'display-name' }, 'Application permission: ', el('strong', {}, s.displayName), ' · admin consent required · delegated access not supported'),
			el('p', { class: 'description' }, s.description),
			versions.map(([v, title]) => el('div', { class: 'version' }, el('h3', {}, `${title} methods`), methodsTable(s.permission, v, s.methods[v]))),
			el('div', { class: 'cmdlets' }, el('h3', {}, 'PowerShell cmdlets'),
				versions.map(([v, title]) => s.cmdlets[v].length ? el('p', {}, el('span', { class: 'label' }, `${title}: `), s.cmdlets[v].map((c, i) => [i ? ', ' : '', el('code', {}, c)])) : undefined)),
			examples(s),
			el('div', { class: 'registration' }, el('h3', {}, 'App Registration'),
				el('ol', {}, s.registrationSteps.map((step) => el('li', {}, el('strong', {}, step.title), ': ', step.detail)))),
		);
	}

	function render(msg) {
		const model = msg.model;
		if (document.activeElement !== query && query.value !== msg.query) query.value = msg.query;
		const profile = $('profile');
		profile.textContent = msg.profile.text;
		profile.className = `profile ${msg.profile.kind}`;
		const n = model.rows.length;
		$('count').textContent = `${model.shownMethods} of ${model.totalMethods} methods, ${n} ${n === 1 ? 'endpoint' : 'endpoints'}${model.query ? ` ${n === 1 ? 'matches' : 'match'} "${model.query}"` : ''}.`;
		sections.replaceChildren(...(model.sections.length ? model.sections.map(section) : [el('p', { class: 'empty' }, 'Nothing matches the filter. Try a permission (AccessMedia), a method (method:post), a path (participants) or a cmdlet (Invoke-Mg).')]));
	}

	let timer;
	query.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			vscode.setState({ ...(vscode.getState() || {}), query: query.value });
			vscode.postMessage({ type: 'query', query: query.value });
		}, 120);
	});
	query.addEventListener('keydown', (e) => {
		if (e.key === 'Escape' && query.value) {
			query.value = '';
			query.dispatchEvent(new Event('input'));
		}
	});
	document.addEventListener('keydown', (e) => {
		if (e.key === '/' && document.activeElement !== query && !(e.target instanceof HTMLInputElement)) {
			e.preventDefault();
			query.focus();
		}
	});
	$('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
	$('exportJson').addEventListener('click', () => vscode.postMessage({ type: 'exportJson' }));
	$('exportCsv').addEventListener('click', () => vscode.postMessage({ type: 'exportCsv' }));
	window.addEventListener('message', (e) => {
		if (e.data && e.data.type === 'model') render(e.data);
	});
	vscode.postMessage({ type: 'ready' });
	if (query.value) vscode.postMessage({ type: 'query', query: query.value });
})();
