import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The test bot, run from the source tree (it is plain JavaScript, like a bot in any language would be its own program). */
export const SCENARIO_BOT = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'integration', 'support', 'scenarioBot.js');

/** `node <test bot>` with BOT_MODE and other variables, as a scenario's bot command. */
export function botCommand(env: Record<string, string> = {}): string {
	const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
	return `${vars ? `env ${vars} ` : ''}"${process.execPath}" "${SCENARIO_BOT}"`;
}

/** A fresh directory with the scenario files given (name -> YAML text). */
export function scenarioDir(files: Record<string, string>): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'scenarios-'));
	for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
	return dir;
}

/** The answer-prompt-DTMF-transfer scenario the test bot passes. */
export function ivrScenario(bot: string, clock = 10): string {
	return `name: IVR transfers to Lidia on 1
clock: ${clock}
bot:
  command: ${JSON.stringify(bot)}
call:
  from: adele
steps:
  - expect: answer
    within: 15s
    modalities: [audio]
  - expect: playPrompt
    uri: https://bot.example/*.wav
  - expect: subscribeToTone
  - expect: state
    state: established
  - press: "1"
  - expect: transfer
    to: lidia
  - expect: state
    state: terminated
    result: 200/7015
`;
}
