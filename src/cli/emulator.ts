/** `graph-calls-emulator`, dist/emulator.js: the same as `graph-calls emulator` (the extension runs this file). */
import { emulatorMain } from './emulatorCommand';

emulatorMain(process.argv.slice(2));
