import { UsageError } from './args/usage-error';
import { CliError } from './cli-error';
import type { CliCommand } from './commands/command';
import type { CliIo } from './io';
import { formatError } from './output/format-error';
import { commandHelp, overviewHelp, usageLine } from './output/help-text';
import { packageVersion } from './version';

export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * The whole CLI as a function: argv without `node seedfleet`, all I/O through `io`, resolves to the exit
 * code and never throws, so tests call it in-process and main.ts only wires process streams.
 */
export async function run(argv: readonly string[], io: CliIo, commands: readonly CliCommand[]): Promise<number> {
  const debug = io.env.SEEDFLEET_DEBUG === '1';
  let matched: CliCommand | undefined;
  try {
    const [first] = argv;
    if (first === '--version' || first === '-V') {
      io.stdout.write(`seedfleet ${packageVersion()}\n`);
      return exitCodes.ok;
    }
    if (first === undefined || first === '--help' || first === '-h') {
      (first === undefined ? io.stderr : io.stdout).write(overviewHelp(commands, packageVersion()));
      return first === undefined ? exitCodes.usage : exitCodes.ok;
    }
    if (first === 'help') return showHelp(argv.slice(1), io, commands);
    const found = findCommand(argv, commands);
    matched = found.command;
    const outcome = await found.command.execute(argv.slice(found.words), io);
    if (outcome === 'help') {
      io.stdout.write(commandHelp(found.command));
      return exitCodes.ok;
    }
    return outcome;
  } catch (error) {
    io.stderr.write(formatError(error, debug));
    if (error instanceof CliError) return error.exitCode;
    if (!(error instanceof UsageError)) return exitCodes.failure;
    const command = matched ?? commands.find((candidate) => candidate.name === error.command);
    if (command) io.stderr.write(`${usageLine(command)}\n(see 'seedfleet help ${command.name}')\n`);
    else if (error.command !== undefined) io.stderr.write(overviewHelp(commands, packageVersion(), error.command));
    return exitCodes.usage;
  }
}

function showHelp(words: readonly string[], io: CliIo, commands: readonly CliCommand[]): number {
  if (words.length === 0) {
    io.stdout.write(overviewHelp(commands, packageVersion()));
    return exitCodes.ok;
  }
  const name = words.join(' ');
  const command = commands.find((candidate) => candidate.name === name);
  if (command) io.stdout.write(commandHelp(command));
  else if (isGroup(name, commands)) io.stdout.write(overviewHelp(commands, packageVersion(), name));
  else throw new UsageError(`unknown command '${name}'`);
  return exitCodes.ok;
}

/** The command whose name is the longest run of leading words; `torrent` alone names a group, not a command. */
function findCommand(argv: readonly string[], commands: readonly CliCommand[]): { command: CliCommand; words: number } {
  for (let words = Math.min(argv.length, 3); words > 0; words--) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((candidate) => candidate.name === name);
    if (command) return { command, words };
  }
  const group = argv[0];
  if (isGroup(group, commands)) {
    const sub = argv[1];
    throw new UsageError(sub === undefined || sub.startsWith('-') ? `'${group}' needs a command` : `unknown command '${group} ${sub}'`, group);
  }
  if (group.startsWith('-')) throw new UsageError(`unknown option ${group} (see 'seedfleet --help')`);
  throw new UsageError(`unknown command '${group}' (see 'seedfleet --help')`);
}

function isGroup(prefix: string, commands: readonly CliCommand[]): boolean {
  return commands.some((command) => command.name.startsWith(`${prefix} `));
}
