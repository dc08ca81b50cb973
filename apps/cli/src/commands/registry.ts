import type { CliCommand } from './command';
import { loadAllCommands } from './command-loaders';

/** Every `seedfleet` command, loaded (main.ts loads only what a run needs, see command-loaders.ts). */
export const commands: readonly CliCommand[] = loadAllCommands();
