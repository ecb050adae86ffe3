import * as vscode from 'vscode';
import { toHar } from '../../core/graph/har';
import type { RequestLog } from './requestLog';
import type { UserInput } from '../shared/userInput';
import { registerCommand } from '../shared/registerCommand';

/** graphCalls.log.exportHar: the session's Graph requests as a HAR file (redacted), for Dev Proxy or a browser. */
export function registerLogCommands(deps: { requestLog: RequestLog; input: () => UserInput; extensionVersion: string; log: vscode.LogOutputChannel }): vscode.Disposable[] {
	return [
		registerCommand('graphCalls.log.exportHar', async () => {
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
			deps.log.info(`Exported ${requests.length} Graph requests to ${target.fsPath}.`);
			void vscode.window.showInformationMessage(`Exported ${requests.length} Graph requests (tokens and secrets redacted) to ${target.fsPath}.`);
		}),
	];
}
