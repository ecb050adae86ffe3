import { Agent, request } from 'node:https';

/** The emulator refused a control request; the message is the emulator's own explanation. */
export class ControlError extends Error {
	constructor(readonly status: number, message: string) {
		super(message);
	}
}

/**
 * What people do, through the emulator's HTTP control API (documented in docs/emulator.md), over HTTPS that
 * trusts only the emulator's CA.
 */
export class EmulatorControl {
	private readonly agent: Agent;

	constructor(private readonly controlUrl: string, ca: string) {
		this.agent = new Agent({ ca, keepAlive: true });
	}

	/**
	 * One control request; resolves with the parsed answer. Every non-GET is JSON, even without a body: the control
	 * API refuses anything else (a web page's form post).
	 */
	send(method: string, path: string, body?: unknown): Promise<unknown> {
		const url = new URL(`${this.controlUrl}${path}`);
		const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		return new Promise((resolve, reject) => {
			const req = request(url, { method, agent: this.agent, timeout: 10_000, headers: method === 'GET' ? {} : { 'content-type': 'application/json', 'content-length': payload?.length ?? 0 } }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = text;
					}
					const status = res.statusCode ?? 0;
					if (status >= 400) {
						const err = (json as { error?: { message?: string } } | undefined)?.error;
						reject(new ControlError(status, err?.message ?? `${method} ${path} -> ${status}`));
					} else {
						resolve(json);
					}
				});
			});
			req.on('timeout', () => req.destroy(new Error(`the emulator did not answer ${method} ${path} within 10 s`)));
			req.on('error', reject);
			req.end(payload);
		});
	}

	async callAction(callId: string, action: 'hangUp' | 'hold' | 'resume'): Promise<void> {
		await this.send('POST', `/calls/${encodeURIComponent(callId)}/${action}`);
	}

	async join(callId: string, userId: string): Promise<void> {
		await this.send('POST', `/calls/${encodeURIComponent(callId)}/participants`, { userId });
	}

	/** The participant with this user id leaves; the emulator's state names the participant. */
	async leave(callId: string, userId: string): Promise<void> {
		const state = (await this.send('GET', '/state')) as { calls?: { call: { id: string }; participants: { id: string; info?: { identity?: { user?: { id?: string } } } }[] }[] };
		const call = state.calls?.find((c) => c.call.id.toLowerCase() === callId.toLowerCase());
		if (!call) throw new ControlError(404, `call ${callId} is not live in the emulator any more`);
		const p = call.participants.find((x) => x.info?.identity?.user?.id?.toLowerCase() === userId.toLowerCase());
		if (!p) throw new ControlError(404, `user ${userId} is not a participant of call ${callId}`);
		await this.send('DELETE', `/calls/${encodeURIComponent(callId)}/participants/${encodeURIComponent(p.id)}`);
	}

	/** A person acts on their own phone: mute, unmute, answer or decline (the people control API). */
	async person(personId: string, action: 'mute' | 'unmute' | 'answer' | 'decline', body: Record<string, unknown>): Promise<void> {
		await this.send('POST', `/people/${encodeURIComponent(personId)}/${action}`, body);
	}

	/** Someone in the meeting admits the user with this id (or, without one, the bot) from the lobby. */
	async admit(callId: string, userId?: string): Promise<void> {
		const state = (await this.send('GET', '/state')) as { calls?: { call: { id: string; myParticipantId: string }; participants: { id: string; info?: { identity?: { user?: { id?: string } } } }[] }[] };
		const call = state.calls?.find((c) => c.call.id.toLowerCase() === callId.toLowerCase());
		if (!call) throw new ControlError(404, `call ${callId} is not live in the emulator any more`);
		const id = userId === undefined ? call.call.myParticipantId : call.participants.find((x) => x.info?.identity?.user?.id?.toLowerCase() === userId.toLowerCase())?.id;
		if (!id) throw new ControlError(404, `user ${userId} is not in call ${callId}`);
		await this.send('POST', `/calls/${encodeURIComponent(callId)}/participants/${encodeURIComponent(id)}/admit`, {});
	}

	dispose(): void {
		this.agent.destroy();
	}
}
