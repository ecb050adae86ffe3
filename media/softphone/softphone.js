// The softphone page: renders what the extension sends and posts the person's actions back. Every value from the
// emulator is shown with textContent, never as markup.
(function () {
	const vscode = acquireVsCodeApi();
	const person = window.softphonePerson;
	const $ = (id) => document.getElementById(id);
	const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
	const STATE_TEXT = {
		incoming: 'Ringing the bot…',
		establishing: 'Connecting…',
		ringing: 'Ringing…',
		established: 'In call',
		hold: 'On hold',
		transferring: 'Being transferred…',
		transferAccepted: 'Transfer accepted',
		terminating: 'Ending…',
		terminated: 'Ended',
	};
	let view;
	/** Real time at which the last view arrived: the duration ticks on from the emulator's figure. */
	let viewAt = 0;
	let current;
	let audio;

	$('name').textContent = person.displayName;
	$('number').textContent = person.kind === 'phone' ? person.id : `Teams user ${person.id}`;

	for (const key of KEYS) {
		const b = document.createElement('button');
		b.type = 'button';
		b.className = 'key';
		b.textContent = key;
		b.setAttribute('aria-label', `Press ${key === '*' ? 'star' : key === '#' ? 'pound' : key}`);
		b.addEventListener('click', () => press(key));
		$('keypad').appendChild(b);
	}

	function press(key) {
		if (!current) return;
		vscode.postMessage({ type: 'callAction', action: 'press', callId: current.callId, keys: key });
		$('sent').textContent = `Pressed ${key}`;
	}

	function act(action, callId) {
		vscode.postMessage({ type: 'callAction', action, callId });
	}

	$('callBot').addEventListener('click', () => vscode.postMessage({ type: 'callBot', appId: $('app').value }));
	$('hangUp').addEventListener('click', () => current && act('hangUp', current.callId));
	$('hold').addEventListener('click', () => current && act(current.onHold ? 'resume' : 'hold', current.callId));
	$('answer').addEventListener('click', () => ringing() && vscode.postMessage({ type: 'ringAction', action: 'answer', ringId: ringing().ringId }));
	$('decline').addEventListener('click', () => ringing() && vscode.postMessage({ type: 'ringAction', action: 'decline', ringId: ringing().ringId }));
	$('mute').addEventListener('click', () => current && act(current.muted ? 'unmute' : 'mute', current.callId));
	$('join').addEventListener('click', () => vscode.postMessage({ type: 'joinMeeting', joinUrl: $('joinUrl').value }));
	$('joinUrl').addEventListener('keydown', (e) => {
		if (e.key === 'Enter') vscode.postMessage({ type: 'joinMeeting', joinUrl: $('joinUrl').value });
	});
	$('saveScenario').addEventListener('click', () => vscode.postMessage({ type: 'saveScenario' }));

	document.addEventListener('keydown', (e) => {
		const tag = (e.target && e.target.tagName) || '';
		if (tag === 'SELECT' || tag === 'INPUT' || e.ctrlKey || e.metaKey || e.altKey) return;
		if (KEYS.includes(e.key) && current && current.state === 'established') {
			press(e.key);
			e.preventDefault();
		}
	});

	function ringing() {
		return view && view.rings[0];
	}

	function duration(call) {
		if (!call || call.state !== 'established' && call.state !== 'hold') return '';
		const s = Math.max(0, Math.floor((call.durationMs + Date.now() - viewAt) / 1000));
		return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
	}

	function activityItem(icon, text, extra) {
		const li = document.createElement('li');
		const i = document.createElement('span');
		i.className = `codicon codicon-${icon}`;
		i.setAttribute('aria-hidden', 'true');
		const t = document.createElement('span');
		t.textContent = text;
		li.append(i, t);
		if (extra) li.append(extra);
		return li;
	}

	function playButton(uri) {
		if (!/^(file|data):/i.test(uri)) return undefined;
		const b = document.createElement('button');
		b.type = 'button';
		b.className = 'small';
		b.textContent = 'Play';
		b.setAttribute('aria-label', 'Play the prompt');
		b.addEventListener('click', () => vscode.postMessage({ type: 'playAudio', uri }));
		return b;
	}

	function renderApps() {
		const select = $('app');
		const wanted = select.value;
		select.textContent = '';
		for (const a of view.apps) {
			const o = document.createElement('option');
			o.value = a.id;
			o.textContent = a.canBeCalled || a === view.apps[0] ? a.name : `${a.name} (no calling webhook)`;
			select.appendChild(o);
		}
		if (wanted && view.apps.some((a) => a.id === wanted)) select.value = wanted;
	}

	function render() {
		if (!view) return;
		$('error').hidden = true;
		renderApps();
		const ring = ringing();
		$('ring').hidden = !ring;
		if (ring) $('ringText').textContent = ring.reason === 'invite' ? 'The bot invites you to a call' : ring.reason === 'transfer' ? 'A call is being transferred to you' : 'The bot is calling';
		const live = view.calls.filter((c) => c.state !== 'terminated');
		current = live[live.length - 1];
		$('call').hidden = !current;
		$('dial').hidden = !!current;
		if (!current) {
			$('status').textContent = ring ? 'Incoming call' : 'Ready: call the bot, or wait for it to call you.';
			return;
		}
		$('status').textContent = current.inLobby ? 'Waiting in the lobby' : STATE_TEXT[current.state] || current.state;
		$('callTitle').textContent = current.title;
		$('callState').textContent = current.state;
		$('duration').textContent = duration(current);
		$('mute').querySelector('.label').textContent = current.muted ? 'Unmute' : 'Mute';
		$('mute').querySelector('.codicon').className = `codicon codicon-${current.muted ? 'mute' : 'mic'}`;
		$('mute').setAttribute('aria-pressed', String(current.muted));
		$('mute').disabled = current.role === 'callingBot' && current.state !== 'established';
		$('hold').querySelector('.label').textContent = current.onHold ? 'Resume' : 'Hold';
		$('hold').disabled = !(current.state === 'established' || current.state === 'hold');
		for (const b of $('keypad').querySelectorAll('button')) b.disabled = current.state !== 'established';
		const list = $('activity');
		list.textContent = '';
		for (const m of current.media) {
			if (m.kind === 'prompt') {
				if (!m.uris.length) list.append(activityItem('play-circle', 'The bot plays a prompt'));
				for (const uri of m.uris) list.append(activityItem('play-circle', `The bot plays ${uri}`, playButton(uri)));
			} else list.append(activityItem('record', 'The bot is recording you'));
		}
		if (current.queuedPrompts) list.append(activityItem('list-ordered', `${current.queuedPrompts} more prompt${current.queuedPrompts === 1 ? '' : 's'} queued`));
		if (current.botRecording) list.append(activityItem('record', 'The bot records the call'));
		if (current.tonesSubscribed) list.append(activityItem('symbol-numeric', 'The bot listens for your keys'));
		if (current.transferring) list.append(activityItem('arrow-swap', 'The bot is transferring you'));
		if (current.muted) list.append(activityItem('mute', 'You are muted'));
		if (current.onHold) list.append(activityItem('debug-pause', 'The call is on hold'));
		if (!list.children.length) list.append(activityItem('pass', current.state === 'established' ? 'Connected' : STATE_TEXT[current.state] || current.state));
	}

	window.addEventListener('message', (event) => {
		const m = event.data;
		switch (m && m.type) {
			case 'view':
				view = m.view;
				viewAt = Date.now();
				$('saveScenario').disabled = !m.canSave;
				render();
				break;
			case 'offline':
				view = undefined;
				$('status').textContent = m.message;
				$('call').hidden = true;
				$('ring').hidden = true;
				break;
			case 'error':
				$('error').textContent = m.message;
				$('error').hidden = false;
				break;
			case 'audio': {
				if (audio) audio.pause();
				const bytes = Uint8Array.from(atob(m.base64), (c) => c.charCodeAt(0));
				audio = new Audio(URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' })));
				void audio.play();
				break;
			}
		}
	});

	setInterval(() => current && ($('duration').textContent = duration(current)), 1000);
	vscode.postMessage({ type: 'ready' });
})();
