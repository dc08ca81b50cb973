/** Typed option declarations; the parser turns argv into values whose types follow from these specs. */
export interface FlagSpec {
  readonly kind: 'flag';
  readonly description: string;
  readonly short?: string;
  /** Also accept `--no-<name>`, which sets the flag to false. */
  readonly negatable?: boolean;
}

export interface ValueSpec<T> {
  readonly kind: 'value';
  readonly description: string;
  readonly valueName: string;
  readonly short?: string;
  /** Converts the raw text; throws an Error whose message says what is wrong with the value. */
  readonly parse: (raw: string) => T;
}

export interface ListSpec<T> {
  readonly kind: 'list';
  readonly description: string;
  readonly valueName: string;
  readonly short?: string;
  readonly parse: (raw: string) => T;
}

export type OptionSpec = FlagSpec | ValueSpec<unknown> | ListSpec<unknown>;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/** A flag is undefined when absent so commands can tell "not given" from `--no-x`. */
export type ParsedOptions<S extends OptionSpecs> = {
  -readonly [K in keyof S]: S[K] extends FlagSpec
    ? boolean | undefined
    : S[K] extends ValueSpec<infer T>
      ? T | undefined
      : S[K] extends ListSpec<infer T>
        ? T[]
        : never;
};

const asText = (raw: string): string => raw;

export function flag(description: string, extra: Partial<Pick<FlagSpec, 'short' | 'negatable'>> = {}): FlagSpec {
  return { kind: 'flag', description, ...extra };
}

// Overloads rather than a `T = string` default: inside a command's options object the contextual type
// would otherwise infer T as unknown for options without a parser.
export function value(valueName: string, description: string, extra?: { short?: string }): ValueSpec<string>;
export function value<T>(valueName: string, description: string, extra: { short?: string; parse: (raw: string) => T }): ValueSpec<T>;
export function value(valueName: string, description: string, extra: { short?: string; parse?: (raw: string) => unknown } = {}): ValueSpec<unknown> {
  return { kind: 'value', valueName, description, short: extra.short, parse: extra.parse ?? asText };
}

export function list(valueName: string, description: string, extra?: { short?: string }): ListSpec<string>;
export function list<T>(valueName: string, description: string, extra: { short?: string; parse: (raw: string) => T }): ListSpec<T>;
export function list(valueName: string, description: string, extra: { short?: string; parse?: (raw: string) => unknown } = {}): ListSpec<unknown> {
  return { kind: 'list', valueName, description, short: extra.short, parse: extra.parse ?? asText };
}
