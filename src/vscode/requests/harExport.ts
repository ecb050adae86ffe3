import * as vscode from 'vscode';
import { toHar } from '../../core/traffic/har';
import type { RequestLog } from './requestLog';
import type { UserInput } from '../shared/userInput';
import type { Commands } from '../shared/commands';

/** graphCalls.log.exportHar: the session's Graph requests as a HAR file (redacted), for Dev Proxy or a browser. */
export function registerLogCommands(deps: { requestLog: RequestLog; commands: Commands; input: () => UserInput; extensionVersion: string; log: vscode.LogOutputChannel }): vscode.Disposable[] {
	return [
		deps.commands.register('graphCalls.log.exportHar', async () => {
			const requests = deps.requestLog.requests;
			if (requests.length === 0) {
				throw new Error('No Graph requests were sent in this session yet, so there is nothing to export. Run a call command first.');
			}
			const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
			const name = `graph-calls-${new Date().toISOString().replace(/[:.]/g, '-')}.har`;
			const target = await deps.input().showSaveDialog({
				title: 'Export Graph requests as HAR',
				filters: { 'HTTP Archive': ['har'] },
				defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
			});
			const har = toHar(requests, deps.extensionVersion);
			await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(har, null, 2), 'utf8'));
			void deps.commands.report(`Exported ${requests.length} Graph requests (tokens and secrets redacted) to ${target.fsPath}.`);
		}),
	];
}
