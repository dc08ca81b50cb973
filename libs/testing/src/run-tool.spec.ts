import { runTool } from './run-tool';
import { ToolFailedError, ToolMissingError, ToolTimeoutError } from './tool-errors';

describe('runTool', () => {
  it('returns exit code and output', async () => {
    const result = await runTool('sh', ['-c', 'echo out; echo err >&2'], { timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, signal: null, stdout: 'out\n', stderr: 'err\n' });
  });

  it('names a missing tool', async () => {
    await expect(runTool('seedfleet-no-such-tool', [], { timeoutMs: 10_000 })).rejects.toThrow(ToolMissingError);
    await expect(runTool('seedfleet-no-such-tool', [], { timeoutMs: 10_000 })).rejects.toThrow('seedfleet-no-such-tool is not installed');
  });

  it('reports a non-zero exit with its stderr, unless failure is allowed', async () => {
    const failing = runTool('sh', ['-c', 'echo broken >&2; exit 3'], { timeoutMs: 10_000 });
    await expect(failing).rejects.toThrow(ToolFailedError);
    await expect(failing).rejects.toThrow('sh exited with code 3: broken');
    const allowed = await runTool('sh', ['-c', 'exit 3'], { timeoutMs: 10_000, allowFailure: true });
    expect(allowed.exitCode).toBe(3);
  });

  // The promise settles on 'close', i.e. only once the killed child has exited, so no sleeper outlives the test.
  it('kills the child by PID when the hard timeout passes', async () => {
    const error = await runTool('sh', ['-c', 'echo waiting >&2; exec sleep 30'], { timeoutMs: 300 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolTimeoutError);
    expect((error as ToolTimeoutError).message).toBe('sh did not finish within 300 ms and was killed; stderr: waiting');
  });
});
