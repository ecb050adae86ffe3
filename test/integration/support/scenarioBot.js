#!/usr/bin/env node
// A tiny calling bot for the scenario runner's tests. It follows the bot contract in docs/scenario-tests.md like
// any bot would: the environment names Graph, Entra ID and the port; tokens come from the emulator's token
// endpoint; Graph is called over HTTPS trusting only GRAPH_CA_FILE. It answers incoming calls, plays a welcome
// prompt, subscribes to tones, transfers on 1, hangs up on 2 and keeps calls alive.
// BOT_MODE makes it misbehave in one way, for the fault tests:
//   crash-on-start, wrong-port, error-500, never-ack, exit-after-answer, malformed-answer, no-keepalive, no-prompt
// CALL_OUT=<user id> makes it call that person once it listens (a bot-initiated call).
'use strict';
const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');

const env = process.env;
const mode = env.BOT_MODE || 'normal';
const rate = Number(env.GRAPH_CLOCK_RATE || '1');
const port = Number(env.BOT_PORT);
const callbackUri = env.GRAPH_CALLBACK_URL || `http://127.0.0.1:${port}/api/calling`;
const agent = new https.Agent({ ca: fs.readFileSync(env.GRAPH_CA_FILE), keepAlive: true });
// Lidia Holloway in the emulator's directory; a value starting with + is a phone number.
const transferTo = env.TRANSFER_TO || '0d5e1a6b-0007-4a00-8000-000000000007';
const transferIdentity = transferTo.startsWith('+') ? { phone: { id: transferTo } } : { user: { id: transferTo } };

if (mode === 'crash-on-start') {
	console.error('bot: configuration error, exiting');
	process.exit(3);
}

function send(method, url, body, headers = {}) {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = https.request(url, { method, agent, headers: { ...(payload ? { 'content-type': headers['content-type'] || 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers } }, (res) => {
			let text = '';
			res.on('data', (c) => (text += c));
			res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
		});
		req.on('error', reject);
		req.end(payload);
	});
}

let token;
async function accessToken() {
	if (token && token.exp > Date.now()) return token.value;
	const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: env.GRAPH_CLIENT_ID, client_secret: env.GRAPH_CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' }).toString();
	const r = await send('POST', `${env.GRAPH_AUTHORITY}/oauth2/v2.0/token`, form, { 'content-type': 'application/x-www-form-urlencoded' });
	if (r.status !== 200) throw new Error(`token request failed: ${r.status}`);
	token = { value: r.body.access_token, exp: Date.now() + (r.body.expires_in - 300) * 1000 };
	return token.value;
}

async function graph(method, path, body) {
	const r = await send(method, `${env.GRAPH_BASE_URL}${path}`, body, { authorization: `Bearer ${await accessToken()}` });
	console.log(`bot: ${method} ${path} -> ${r.status}`);
	return r;
}

const keepAlives = new Map();
const welcomed = new Set();

async function onNotification(n) {
	const data = n.resourceData || {};
	const m = /\/communications\/calls\/([^/]+)$/i.exec(n.resourceUrl || '');
	if (!m || Array.isArray(data)) return;
	const callId = m[1];
	if (n.changeType === 'created' && data.state === 'incoming') {
		if (mode === 'malformed-answer') {
			await send('POST', `${env.GRAPH_BASE_URL}/communications/calls/${callId}/answer`, '{"callbackUri": ', { authorization: `Bearer ${await accessToken()}` });
			return;
		}
		await graph('POST', `/communications/calls/${callId}/answer`, { callbackUri, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
		if (mode === 'exit-after-answer') process.exit(4);
		return;
	}
	if (data.state === 'established' && !welcomed.has(callId)) {
		welcomed.add(callId);
		if (mode !== 'no-prompt') await graph('POST', `/communications/calls/${callId}/playPrompt`, { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/welcome.wav' } }] });
		await graph('POST', `/communications/calls/${callId}/subscribeToTone`, {});
		if (mode !== 'no-keepalive') {
			// Graph wants keepAlive at least every 45 minutes; 15 is the recommendation, scaled by the emulated clock.
			const timer = setInterval(() => {
				graph('POST', `/communications/calls/${callId}/keepAlive`).then((r) => {
					// 404: the call is gone before its terminated notification arrived.
					if (r.status === 404) clearInterval(timer);
				}, () => undefined);
			}, (15 * 60 * 1000) / rate);
			keepAlives.set(callId, timer);
		}
	}
	const tone = data.toneInfo && data.toneInfo.tone;
	if (tone === 'tone1') await graph('POST', `/communications/calls/${callId}/transfer`, { transferTarget: { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: transferIdentity } });
	if (tone === 'tone2') await graph('DELETE', `/communications/calls/${callId}`);
	if (data.state === 'terminated') {
		clearInterval(keepAlives.get(callId));
		keepAlives.delete(callId);
	}
}

const server = http.createServer((req, res) => {
	let text = '';
	req.on('data', (c) => (text += c));
	req.on('end', () => {
		if (req.method !== 'POST' || req.url !== '/api/calling') {
			res.writeHead(404).end();
			return;
		}
		if (mode === 'never-ack') return; // holds the request open: Graph's POST times out
		if (mode === 'error-500') {
			res.writeHead(500, { 'content-type': 'text/plain' }).end('bot failure');
			return;
		}
		res.writeHead(202).end();
		let body;
		try {
			body = JSON.parse(text);
		} catch {
			return;
		}
		for (const n of body.value || []) void onNotification(n).catch((err) => console.error(`bot: ${err.message}`));
	});
});
async function callOut(userId) {
	await graph('POST', '/communications/calls', {
		'@odata.type': '#microsoft.graph.call', callbackUri, requestedModalities: ['audio'], tenantId: env.GRAPH_TENANT_ID,
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
		targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: userId } } }],
	});
}

// A token before the first call: answering must fit in Graph's window, which a fast clock makes short.
accessToken().catch((err) => console.error(`bot: ${err.message}`)).finally(() => {
	server.listen(mode === 'wrong-port' ? port + 1 : port, '127.0.0.1', () => {
		console.log(`bot: listening on ${server.address().port}`);
		if (env.CALL_OUT) void callOut(env.CALL_OUT).catch((err) => console.error(`bot: ${err.message}`));
	});
});
process.on('SIGTERM', () => process.exit(0));
