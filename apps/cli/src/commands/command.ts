import { parseArgs, type ArgsSpec } from '../args/parse-args';
import type { OptionSpecs, ParsedOptions } from '../args/option-spec';
import type { CliIo } from '../io';

export interface CommandInput<S extends OptionSpecs> {
  readonly options: ParsedOptions<S>;
  readonly positionals: string[];
}

export interface CommandDefinition<S extends OptionSpecs> {
  /** Words after `seedfleet`, e.g. 'torrent create'. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs shown after the option table in `seedfleet help <command>`. */
  readonly details?: string;
  readonly args: ArgsSpec<S>;
  /** Resolves to the exit code (0 when undefined). */
  run(input: CommandInput<S>, io: CliIo): Promise<number | void>;
}

/** A command with its option types erased, so commands of different shapes share one registry. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly details?: string;
  readonly args: ArgsSpec<OptionSpecs>;
  /** Parses argv (throwing UsageError) and runs; returns 'help' when -h/--help was given. */
  execute(argv: readonly string[], io: CliIo): Promise<number | 'help'>;
}

export function defineCommand<S extends OptionSpecs>(definition: CommandDefinition<S>): CliCommand {
  return {
    name: definition.name,
    summary: definition.summary,
    details: definition.details,
    args: definition.args,
    async execute(argv, io) {
      const parsed = parseArgs(argv, definition.args);
      if (parsed.help) return 'help';
      return (await definition.run(parsed, io)) ?? 0;
    },
  };
}
