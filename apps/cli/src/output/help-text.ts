import type { OptionSpec } from '../args/option-spec';
import type { CliCommand } from '../commands/command';

const program = 'seedfleet';

export function usageLine(command: CliCommand): string {
  const positionals = command.args.positionals.map((positional) => (positional.required ? `<${positional.name}>` : `[<${positional.name}>]`));
  return [`usage: ${program}`, command.name, ...positionals, '[options]'].join(' ');
}

export function commandHelp(command: CliCommand): string {
  const sections = [usageLine(command), command.summary];
  if (command.args.positionals.length > 0) {
    sections.push(['Arguments:', ...table(command.args.positionals.map((positional) => [`<${positional.name}>`, positional.description]))].join('\n'));
  }
  const options = Object.entries(command.args.options).map(([name, spec]) => [optionSyntax(name, spec), optionDescription(spec)]);
  options.push(['-h, --help', 'show this help']);
  sections.push(['Options:', ...table(options)].join('\n'));
  if (command.details) sections.push(command.details.trim());
  return `${sections.join('\n\n')}\n`;
}

/** The top-level help, or the list for one group (`seedfleet torrent`) when `prefix` is given. */
export function overviewHelp(commands: readonly CliCommand[], version: string, prefix?: string): string {
  const shown = prefix === undefined ? commands : commands.filter((command) => command.name.startsWith(`${prefix} `));
  const head = prefix === undefined ? `${program} ${version}: peer-to-peer software-update distribution\n\nusage: ${program} <command> [options]` : `usage: ${program} ${prefix} <command> [options]`;
  const list = ['Commands:', ...table(shown.map((command) => [command.name, command.summary]))].join('\n');
  const tail = `Run '${program} help <command>' for a command's options. Global: --help, --version.`;
  return `${[head, list, tail].join('\n\n')}\n`;
}

function optionSyntax(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  if (spec.kind !== 'flag') return `${short}--${name} ${spec.valueName}`;
  return spec.negatable ? `${short}--[no-]${name}` : `${short}--${name}`;
}

function optionDescription(spec: OptionSpec): string {
  return spec.kind === 'list' ? `${spec.description} (repeatable)` : spec.description;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
