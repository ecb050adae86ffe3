// A bare webhook receiver in a process of its own for the delivery-latency bench: answers 202 at once and keeps,
// per notification, the wall-clock time its POST body had fully arrived. Its own process, so the load generator's
// event loop does not delay the arrival stamps; the stamps go to the parent over IPC when asked for.
'use strict';
const http = require('node:http');

const now = () => performance.timeOrigin + performance.now();
const arrivals = [];
let posts = 0;

/** Same key as test/bench/emulatorStamped.ts: resource, change, type and state or status. */
function keyOf(n) {
	const data = n.resourceData ?? {};
	return `${n.resourceUrl}|${n.changeType}|${data['@odata.type'] ?? ''}|${data.state ?? data.status ?? ''}`.toLowerCase();
}

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const t = now();
		res.writeHead(202).end();
		posts++;
		try {
			for (const n of JSON.parse(Buffer.concat(chunks).toString('utf8')).value ?? []) arrivals.push([keyOf(n), t]);
		} catch {
			// not a notification body: nothing to stamp
		}
	});
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
	if (m === 'arrivals') process.send({ arrivals: arrivals.splice(0), posts });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
