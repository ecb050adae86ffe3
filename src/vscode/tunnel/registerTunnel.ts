import type * as vscode from 'vscode';
import type { ReachabilityResult } from '../../core/tunnel/reachabilityProbe';
import { ActionableError, commandAction } from '../shared/actionableError';
import type { Commands } from '../shared/commands';
import type { UserInput } from '../shared/userInput';
import { NGROK_AUTHTOKEN_KEY, type PublicCallback } from './publicCallback';

const STAGE: Record<NonNullable<ReachabilityResult['failure']>, string> = {
	invalidUrl: 'the URL itself',
	dns: 'DNS',
	tcp: 'TCP (connecting)',
	tls: 'TLS',
	tunnelNotRunning: 'the tunnel (not running)',
	receiverNotListening: 'the receiver (not listening)',
	hostRefused: 'the receiver (host name refused)',
	wrongPath: 'the path',
	notReceiver: 'another program behind the tunnel',
	timeout: 'no answer in time',
};

/** Shows a probe's result: the round trip, or where it stopped and what to do. */
function showResult(commands: Commands, result: ReachabilityResult): ReachabilityResult {
	if (result.ok) {
		void commands.report(`Callback reachable: ${result.message}`);
		return result;
	}
	throw new ActionableError(`Callback not reachable, stopped at ${STAGE[result.failure ?? 'timeout']}: ${result.message}`, result.fix, [
		commandAction('Test Again', 'graphCalls.tunnel.test'),
		commandAction('Show Log', 'graphCalls.log.show'),
	]);
}

export function registerTunnelCommands(service: PublicCallback, commands: Commands, input: () => UserInput, secrets: vscode.SecretStorage): vscode.Disposable[] {
	return [
		commands.register('graphCalls.tunnel.start', async () => {
			const url = await service.start();
			void commands.report(`Public callback: ${url} forwards to the callback receiver. Testing reachability…`);
			// Run right away, as Graph will: a URL that does not reach the receiver is better known before the first call.
			return showResult(commands, await service.test(url));
		}),
		commands.register('graphCalls.tunnel.stop', async () => {
			await service.stop();
			void commands.report('Public callback stopped; the profile\'s callback URL is back to what it was.');
		}),
		commands.register('graphCalls.tunnel.test', async (url?: unknown) => showResult(commands, await service.test(typeof url === 'string' ? url : undefined))),
		commands.register('graphCalls.tunnel.setNgrokAuthtoken', async () => {
			const token = (await input().showInputBox({ title: 'ngrok authtoken', prompt: 'From https://dashboard.ngrok.com/get-started/your-authtoken. Kept in VS Code\'s secret storage and passed to ngrok as NGROK_AUTHTOKEN; empty to forget it.', password: true, step: 'ngrokAuthtoken' })).trim();
			if (token) await secrets.store(NGROK_AUTHTOKEN_KEY, token);
			else await secrets.delete(NGROK_AUTHTOKEN_KEY);
			void commands.report(token ? 'ngrok authtoken stored.' : 'ngrok authtoken forgotten.');
		}),
	];
}
