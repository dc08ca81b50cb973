import type { OptionSpec, OptionSpecs, ParsedOptions, PositionalSpec } from './option-spec';
import { UsageError } from './usage-error';

export interface ArgsSpec<S extends OptionSpecs> {
  readonly options: S;
  readonly positionals: readonly PositionalSpec[];
}

export type ParsedArgs<S extends OptionSpecs> =
  | { readonly help: true }
  | { readonly help: false; readonly options: ParsedOptions<S>; readonly positionals: string[] };

interface Lookup {
  readonly name: string;
  readonly spec: OptionSpec;
  /** True for `--no-<name>` of a negatable flag. */
  readonly negated: boolean;
}

/**
 * getopt-like parsing: `--name value`, `--name=value`, `-s value`, `-svalue`, `--flag`, `--no-flag`,
 * repeatable list options, `--` ends options. A value option takes the next argument even when it starts
 * with a dash, as getopt does, so `--comment -x` works. `-h`/`--help` wins over everything after it.
 */
export function parseArgs<S extends OptionSpecs>(argv: readonly string[], spec: ArgsSpec<S>): ParsedArgs<S> {
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.kind === 'list') values[name] = [];
  }
  const positionals: string[] = [];
  let index = 0;
  while (index < argv.length) {
    const token = argv[index++];
    if (token === '--') {
      positionals.push(...argv.slice(index));
      break;
    }
    if (token === '--help' || token === '-h') return { help: true };
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const { lookup, inlineValue } = resolveToken(token, spec.options);
    const display = lookup.spec.kind === 'flag' ? `--${lookup.negated ? 'no-' : ''}${lookup.name}` : `--${lookup.name}`;
    if (lookup.spec.kind === 'flag') {
      if (inlineValue !== undefined) throw new UsageError(`option ${display} does not take a value`);
      values[lookup.name] = !lookup.negated;
      continue;
    }
    let raw = inlineValue;
    if (raw === undefined) {
      if (index >= argv.length) throw new UsageError(`option --${lookup.name} needs a value (${lookup.spec.valueName})`);
      raw = argv[index++];
    }
    const parsed = convert(lookup.name, lookup.spec.parse, raw);
    if (lookup.spec.kind === 'list') {
      (values[lookup.name] as unknown[]).push(parsed);
    } else {
      if (values[lookup.name] !== undefined) throw new UsageError(`option --${lookup.name} was given more than once`);
      values[lookup.name] = parsed;
    }
  }
  checkPositionals(positionals, spec.positionals);
  return { help: false, options: values as ParsedOptions<S>, positionals };
}

function resolveToken(token: string, options: OptionSpecs): { lookup: Lookup; inlineValue?: string } {
  if (token.startsWith('--')) {
    const equals = token.indexOf('=');
    const name = token.slice(2, equals < 0 ? undefined : equals);
    const inlineValue = equals < 0 ? undefined : token.slice(equals + 1);
    const direct = Object.hasOwn(options, name) ? options[name] : undefined;
    if (direct) return { lookup: { name, spec: direct, negated: false }, inlineValue };
    const positive = name.startsWith('no-') ? name.slice(3) : undefined;
    const negatable = positive !== undefined && Object.hasOwn(options, positive) ? options[positive] : undefined;
    if (negatable?.kind === 'flag' && negatable.negatable) {
      return { lookup: { name: positive!, spec: negatable, negated: true }, inlineValue };
    }
    throw new UsageError(`unknown option --${name}`);
  }
  const letter = token.slice(1, 2);
  const entry = Object.entries(options).find(([, option]) => option.short === letter);
  if (!entry) throw new UsageError(`unknown option -${letter}`);
  const [name, spec] = entry;
  const rest = token.slice(2);
  if (spec.kind === 'flag' && rest !== '') throw new UsageError(`unknown option ${token} (short options cannot be combined)`);
  return { lookup: { name, spec, negated: false }, inlineValue: rest === '' ? undefined : rest };
}

function convert(name: string, parse: (raw: string) => unknown, raw: string): unknown {
  try {
    return parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`invalid value for --${name}: ${reason}`, undefined, { cause: error });
  }
}

function checkPositionals(given: readonly string[], expected: readonly PositionalSpec[]): void {
  const missing = expected.slice(given.length).find((positional) => positional.required);
  if (missing) throw new UsageError(`missing argument <${missing.name}>`);
  if (given.length > expected.length) throw new UsageError(`unexpected argument '${given[expected.length]}'`);
}
