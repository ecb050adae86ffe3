import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import type { HostResolver } from '../../../src/core/tunnel/reachabilityProbe';

/** The stand-in `devtunnel` and `ngrok` programs; put on PATH by `TunnelWorld.env`. */
export const STANDIN_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tunnelStandins');

const crypto = webcrypto;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface WorldSettings {
	region?: string;
	devtunnel?: { signedIn?: boolean; printUrl?: string; crashAfterMs?: number; tunnelName?: string };
	ngrok?: { authtokens?: string[]; configAuthtoken?: string; publicUrl?: string; crashAfterMs?: number };
}

interface Registration {
	readonly provider: 'devtunnel' | 'ngrok';
	readonly port: number;
}

async function makeCa(name: string): Promise<{ cert: x509.X509Certificate; keys: webcrypto.CryptoKeyPair }> {
	const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
	const cert = await x509.X509CertificateGenerator.createSelfSigned({
		serialNumber: `01${randomBytes(8).toString('hex')}`,
		name: `CN=${name}`,
		notBefore: new Date(Date.now() - 86_400_000),
		notAfter: new Date(Date.now() + 7 * 86_400_000),
		keys,
		signingAlgorithm: SIGN,
		extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
	}, crypto);
	return { cert, keys };
}

async function makeLeaf(ca: { cert: x509.X509Certificate; keys: webcrypto.CryptoKeyPair }, names: string[]): Promise<{ cert: string; key: string }> {
	const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
	const cert = await x509.X509CertificateGenerator.create({
		serialNumber: `01${randomBytes(8).toString('hex')}`,
		subject: `CN=${names[0]}`,
		issuer: ca.cert.subject,
		notBefore: new Date(Date.now() - 86_400_000),
		notAfter: new Date(Date.now() + 7 * 86_400_000),
		publicKey: keys.publicKey,
		signingKey: ca.keys.privateKey,
		signingAlgorithm: SIGN,
		extensions: [
			new x509.BasicConstraintsExtension(false),
			new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
			new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
		],
	}, crypto);
	const key = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
	return { cert: cert.toString('pem'), key };
}

/**
 * A small stand-in for the tunnel services, all on this machine: a relay (an HTTPS forwarder with a test CA that
 * plays *.devtunnels.ms and *.ngrok-free.app) that the stand-in CLIs register with, the world file they read, and
 * the resolver that makes those public names lead to the relay. The product code runs unchanged against it.
 */
export class TunnelWorld {
	readonly ca: string;
	private readonly hosts = new Map<string, Registration>();
	private forwarder: https.Server | undefined;
	private forwarderPort = 0;
	private control: http.Server | undefined;
	private readonly certs: { good: tls.SecureContext; foreign: tls.SecureContext };
	/** Serve a certificate for another name: what a TLS-inspecting proxy or a hijacked name looks like. */
	wrongCertificate = false;
	readonly dir: string;
	readonly worldFile: string;

	private constructor(ca: string, certs: { good: tls.SecureContext; foreign: tls.SecureContext }, dir: string) {
		this.ca = ca;
		this.certs = certs;
		this.dir = dir;
		this.worldFile = path.join(dir, 'world.json');
	}

	static async create(settings: WorldSettings = {}): Promise<TunnelWorld> {
		const ca = await makeCa('Tunnel World Test CA');
		const good = await makeLeaf(ca, ['*.usw2.devtunnels.ms', '*.ngrok-free.app']);
		const foreign = await makeLeaf(ca, ['proxy.example.test']);
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunnel-world-'));
		const world = new TunnelWorld(ca.cert.toString('pem'), {
			good: tls.createSecureContext({ cert: good.cert, key: good.key }),
			foreign: tls.createSecureContext({ cert: foreign.cert, key: foreign.key }),
		}, dir);
		await world.startControl();
		await world.startForwarder();
		await world.configure(settings);
		return world;
	}

	/** Rewrites the world file the stand-ins read at start. */
	async configure(settings: WorldSettings): Promise<void> {
		const relay = `http://127.0.0.1:${(this.control!.address() as AddressInfo).port}`;
		await fs.writeFile(this.worldFile, JSON.stringify({ relay, region: 'usw2', devtunnel: { signedIn: true }, ngrok: { authtokens: [] }, ...settings }));
	}

	/** The environment that puts the stand-ins first on PATH and tells them where the world is. */
	env(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
		return { ...base, PATH: `${STANDIN_DIR}${path.delimiter}${base.PATH ?? ''}`, GRAPH_CALLS_TUNNEL_WORLD: this.worldFile };
	}

	/** Public names under the stand-in domains lead to the relay; every other name does not resolve. */
	readonly resolve: HostResolver = async (hostname) => {
		if (/\.(usw2\.devtunnels\.ms|ngrok-free\.app)$/i.test(hostname)) return { address: '127.0.0.1', port: this.forwarderPort };
		throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
	};

	/** Host names the relay currently forwards. */
	get hostedNames(): string[] {
		return [...this.hosts.keys()];
	}

	async stopForwarder(): Promise<void> {
		const f = this.forwarder;
		this.forwarder = undefined;
		if (!f) return;
		f.closeAllConnections();
		await new Promise<void>((r) => f.close(() => r()));
	}

	async dispose(): Promise<void> {
		await this.stopForwarder();
		const c = this.control;
		this.control = undefined;
		if (c) {
			c.closeAllConnections();
			await new Promise<void>((r) => c.close(() => r()));
		}
		await fs.rm(this.dir, { recursive: true, force: true });
	}

	private async startControl(): Promise<void> {
		this.control = http.createServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://relay');
			const hostname = url.searchParams.get('hostname') ?? '';
			const provider = url.searchParams.get('provider');
			if (url.pathname !== '/host' || !hostname || (provider !== 'devtunnel' && provider !== 'ngrok')) {
				res.writeHead(400).end();
				return;
			}
			// Held open for as long as the program hosts the tunnel, as the real CLIs hold their relay connection.
			this.hosts.set(hostname, { provider, port: Number(url.searchParams.get('port')) });
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.write('hosting\n');
			req.socket.setKeepAlive(true);
			res.on('close', () => this.hosts.delete(hostname));
		});
		await new Promise<void>((r) => this.control!.listen(0, '127.0.0.1', () => r()));
	}

	private async startForwarder(): Promise<void> {
		const server = https.createServer({
			SNICallback: (_name, cb) => cb(null, this.wrongCertificate ? this.certs.foreign : this.certs.good),
		}, (req, res) => this.forward(req, res));
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		this.forwarder = server;
		this.forwarderPort = (server.address() as AddressInfo).port;
	}

	private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
		const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
		const reg = this.hosts.get(host);
		const ngrokName = host.endsWith('.ngrok-free.app');
		if (!reg) {
			req.resume();
			// ngrok documents ERR_NGROK_3200 "The endpoint is offline"; the dev tunnels relay answers 404 for a tunnel whose host is gone.
			if (ngrokName) res.writeHead(404, { 'content-type': 'text/html', 'ngrok-error-code': 'ERR_NGROK_3200' }).end(`<p>The endpoint https://${host} is offline.</p><p>ERR_NGROK_3200</p>`);
			else res.writeHead(404, { 'content-type': 'text/plain' }).end('Tunnel not found or the tunnel host is not connected.');
			return;
		}
		const upstream = http.request({
			host: '127.0.0.1',
			port: reg.port,
			method: req.method,
			path: req.url,
			headers: { ...req.headers, 'x-forwarded-host': req.headers.host ?? '', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
		}, (up) => {
			res.writeHead(up.statusCode ?? 502, up.headers);
			up.pipe(res);
		});
		upstream.on('error', () => {
			if (res.headersSent) return void res.destroy();
			if (reg.provider === 'ngrok') res.writeHead(502, { 'content-type': 'text/html', 'ngrok-error-code': 'ERR_NGROK_8012' }).end(`<p>Traffic was successfully tunneled to the ngrok agent, but the agent failed to establish a connection to the upstream web service at localhost:${reg.port}.</p><p>ERR_NGROK_8012</p>`);
			else res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
		});
		req.pipe(upstream);
	}
}
