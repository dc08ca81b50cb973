import { flag, list, value } from './args/option-spec';
import { UsageError } from './args/usage-error';
import { CliError } from './cli-error';
import { defineCommand } from './commands/command';
import { run } from './run';
import { captureIo } from './test-support/capture-io';
import { packageVersion } from './version';

const echo = defineCommand({
  name: 'demo echo',
  summary: 'Print the arguments.',
  details: 'Some notes.',
  args: {
    positionals: [{ name: 'word', description: 'what to print', required: true }],
    options: { upper: flag('shout', { short: 'u' }), tag: list('TAG', 'a tag'), times: value('N', 'repeat', { parse: Number }) },
  },
  async run({ options, positionals: [word] }, io) {
    const text = options.upper ? word.toUpperCase() : word;
    io.stdout.write(`${[text, ...options.tag.map((tag) => tag.toLowerCase())].join(' ').repeat(options.times ?? 1)}\n`);
    return word === 'three' ? 3 : undefined;
  },
});

const failing = defineCommand({
  name: 'fail',
  summary: 'Fail in various ways.',
  args: { positionals: [{ name: 'how', description: 'usage, cli or bug', required: true }], options: {} },
  async run({ positionals: [how] }) {
    if (how === 'usage') throw new UsageError('bad combination');
    if (how === 'cli') throw new CliError('cannot do it', { cause: new Error('disk on fire') });
    if (how === 'interrupt') throw new CliError('interrupted', { exitCode: 130 });
    throw new TypeError('undefined is not a function');
  },
});

const commands = [echo, failing];

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = captureIo({ env });
  const code = await run(argv, io, commands);
  return { code, out: io.out(), err: io.err() };
}

describe('run', () => {
  it('dispatches multi-word commands and returns their exit code', async () => {
    expect(await cli(['demo', 'echo', 'hi', '-u', '--tag', 'a', '--tag=b'])).toEqual({ code: 0, out: 'HI a b\n', err: '' });
    expect((await cli(['demo', 'echo', 'three'])).code).toBe(3);
  });

  it('prints the version and the overview', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: `seedfleet ${packageVersion()}\n`, err: '' });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('demo echo');
    expect(help.out).toContain('Print the arguments.');
  });

  it('shows the overview on stderr with exit code 2 when no command is given', async () => {
    const result = await cli([]);
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toContain('usage: seedfleet <command>');
  });

  it('shows command help for `help <command>` and `<command> --help`', async () => {
    const viaHelp = await cli(['help', 'demo', 'echo']);
    const viaFlag = await cli(['demo', 'echo', '--help']);
    expect(viaHelp).toEqual(viaFlag);
    expect(viaHelp.out).toContain('usage: seedfleet demo echo <word> [options]');
    expect(viaHelp.out).toMatch(/-u, --upper\s+shout/);
    expect(viaHelp.out).toMatch(/--tag TAG\s+a tag \(repeatable\)/);
    expect(viaHelp.out).toContain('Some notes.');
    expect((await cli(['help', 'demo'])).out).toContain('usage: seedfleet demo <command>');
  });

  it.each([
    [['demo', 'echo', 'hi', '--bogus'], 'seedfleet: error: unknown option --bogus\nusage: seedfleet demo echo <word> [options]\n'],
    [['demo', 'echo'], 'seedfleet: error: missing argument <word>\n'],
    [['demo', 'echo', 'x', '--times'], 'seedfleet: error: option --times needs a value (N)\n'],
    [['nope'], "seedfleet: error: unknown command 'nope' (see 'seedfleet --help')\n"],
    [['--nope'], "seedfleet: error: unknown option --nope (see 'seedfleet --help')\n"],
    [['help', 'nope'], "seedfleet: error: unknown command 'nope'\n"],
    [['demo', 'nope'], "seedfleet: error: unknown command 'demo nope'\n"],
    [['demo'], "seedfleet: error: 'demo' needs a command\n"],
    [['fail', 'usage'], 'seedfleet: error: bad combination\n'],
  ])('exits 2 on the usage error in %j', async (argv, start) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err.startsWith(start)).toBe(true);
  });

  it('exits 1 with one line for other failures, and shows stacks only with SEEDFLEET_DEBUG=1', async () => {
    expect(await cli(['fail', 'cli'])).toEqual({ code: 1, out: '', err: 'seedfleet: error: cannot do it\n' });
    expect(await cli(['fail', 'bug'])).toEqual({ code: 1, out: '', err: 'seedfleet: error: undefined is not a function\n' });
    expect(await cli(['fail', 'interrupt'])).toEqual({ code: 130, out: '', err: 'seedfleet: error: interrupted\n' });
    const debug = await cli(['fail', 'bug'], { SEEDFLEET_DEBUG: '1' });
    expect(debug.err).toMatch(/^seedfleet: error: undefined is not a function\nTypeError: undefined is not a function\n\s+at /);
  });
});
