import { flag, list, value } from './option-spec';
import { parseArgs } from './parse-args';
import { UsageError } from './usage-error';

const spec = {
  positionals: [
    { name: 'path', description: 'input', required: true },
    { name: 'extra', description: 'optional', required: false },
  ],
  options: {
    output: value('FILE', 'output', { short: 'o' }),
    count: value('N', 'a number', { parse: (raw) => { const n = Number(raw); if (!Number.isInteger(n)) throw new Error('not an integer'); return n; } }),
    tracker: list('URL', 'repeatable', { short: 't' }),
    json: flag('json'),
    date: flag('date', { negatable: true }),
    force: flag('force', { short: 'f' }),
  },
};

function parsed(argv: string[]) {
  const result = parseArgs(argv, spec);
  if (result.help) throw new Error('unexpected help');
  return result;
}

function usageError(argv: string[]): string {
  try {
    parseArgs(argv, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('reads long, inline, short and attached short values', () => {
    expect(parsed(['in', '--output', 'a']).options.output).toBe('a');
    expect(parsed(['in', '--output=a=b']).options.output).toBe('a=b');
    expect(parsed(['in', '-o', 'c']).options.output).toBe('c');
    expect(parsed(['in', '-oc']).options.output).toBe('c');
    expect(parsed(['in', '--output=']).options.output).toBe('');
  });

  it('collects repeatable options in order and defaults them to an empty list', () => {
    expect(parsed(['in', '-t', 'a', '--tracker', 'b', '--tracker=c']).options.tracker).toEqual(['a', 'b', 'c']);
    expect(parsed(['in']).options.tracker).toEqual([]);
  });

  it('tells absent flags from --flag and --no-flag', () => {
    expect(parsed(['in']).options.date).toBeUndefined();
    expect(parsed(['in', '--date']).options.date).toBe(true);
    expect(parsed(['in', '--no-date']).options.date).toBe(false);
    expect(parsed(['in', '-f', '--json']).options).toMatchObject({ force: true, json: true });
  });

  it('converts values with the spec parser', () => {
    expect(parsed(['in', '--count', '42']).options.count).toBe(42);
    expect(usageError(['in', '--count', 'x'])).toBe('invalid value for --count: not an integer');
  });

  it('takes the next argument as a value even when it starts with a dash, like getopt', () => {
    expect(parsed(['in', '--output', '-x']).options.output).toBe('-x');
  });

  it('keeps positionals in order, with options between them and after --', () => {
    expect(parsed(['--json', 'a', '--force', 'b']).positionals).toEqual(['a', 'b']);
    expect(parsed(['--', '-a', '--b']).positionals).toEqual(['-a', '--b']);
    expect(parsed(['-']).positionals).toEqual(['-']);
  });

  it('returns help for -h or --help without checking the arguments that follow or are missing', () => {
    expect(parseArgs(['--help'], spec)).toEqual({ help: true });
    expect(parseArgs(['--json', '-h', '--bogus'], spec)).toEqual({ help: true });
    expect(parseArgs(['in', '--output', '--help'], spec)).toEqual(expect.objectContaining({ help: false }));
  });

  it.each([
    [['in', '--bogus'], 'unknown option --bogus'],
    [['in', '-z'], 'unknown option -z'],
    [['in', '--no-json'], 'unknown option --no-json'],
    [['in', '--no-output'], 'unknown option --no-output'],
    [['in', '-fj'], 'unknown option -fj (short options cannot be combined)'],
    [['in', '--json=yes'], 'option --json does not take a value'],
    [['in', '--no-date=1'], 'option --no-date does not take a value'],
    [['in', '--output'], 'option --output needs a value (FILE)'],
    [['in', '-o', 'a', '-o', 'b'], 'option --output was given more than once'],
    [[], 'missing argument <path>'],
    [['a', 'b', 'c'], "unexpected argument 'c'"],
    [['in', '--__proto__'], 'unknown option --__proto__'],
    [['in', '--toString'], 'unknown option --toString'],
  ])('rejects %j: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});
