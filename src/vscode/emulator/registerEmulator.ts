import * as vscode from 'vscode';
import type { Commands } from '../shared/commands';
import type { EmulatorController } from './emulatorController';

/** Use Local Emulator, stop, restart, and its log. */
export function registerEmulatorCommands(emulator: EmulatorController, commands: Commands): vscode.Disposable[] {
	return [
		commands.register('graphCalls.emulator.start', async () => {
			const profile = await emulator.start();
			void commands.report(`The local emulator is running and profile "${profile.name}" is active. Try "Graph Calls: Create Call".`);
			return profile;
		}),
		commands.register('graphCalls.emulator.stop', async () => {
			if (!emulator.running) {
				void commands.report('The local emulator is not running.');
				return;
			}
			await emulator.stop();
			void commands.report('The local emulator stopped. "Graph Calls: Use Local Emulator" starts it again.');
		}),
		commands.register('graphCalls.emulator.restart', async () => {
			const profile = await emulator.restart();
			void commands.report(`The local emulator restarted; profile "${profile.name}" points at it.`);
			return profile;
		}),
		commands.register('graphCalls.emulator.showLog', () => emulator.output.show(true)),
	];
}
