import { CliError } from '../cli-error';
import { formatError } from './format-error';

describe('formatError', () => {
  it('prints one line with the cause chain, skipping causes the message already states', () => {
    const root = new Error('unexpected end of input at byte 12');
    const wrapped = new Error("'a.torrent' is not a valid torrent", { cause: root });
    expect(formatError(wrapped, false)).toBe("seedfleet: error: 'a.torrent' is not a valid torrent: unexpected end of input at byte 12\n");
    const repeated = new Error(`reading: ${root.message}`, { cause: root });
    expect(formatError(repeated, false)).toBe('seedfleet: error: reading: unexpected end of input at byte 12\n');
  });

  it("leaves out a CliError's causes: its message is already written for people", () => {
    const error = new CliError("cannot read 'x': no such file or directory", { cause: new Error("ENOENT: no such file or directory, open 'x'") });
    expect(formatError(error, false)).toBe("seedfleet: error: cannot read 'x': no such file or directory\n");
    expect(formatError(error, true)).toContain("caused by: Error: ENOENT: no such file or directory, open 'x'");
  });

  it('handles thrown non-errors', () => {
    expect(formatError('boom', false)).toBe('seedfleet: error: boom\n');
    expect(formatError(new Error(''), false)).toBe('seedfleet: error: unknown error\n');
  });

  it('adds stack traces of the whole chain only in debug mode', () => {
    const error = new Error('outer', { cause: new Error('inner') });
    expect(formatError(error, false)).not.toContain(' at ');
    const debug = formatError(error, true);
    expect(debug.split('\n')[0]).toBe('seedfleet: error: outer: inner');
    expect(debug).toContain('caused by: Error: inner');
    expect(debug).toMatch(/\n\s+at /);
  });
});
