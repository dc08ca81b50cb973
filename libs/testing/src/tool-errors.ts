/** A reference tool is not installed (spawn gave ENOENT). */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';

  constructor(
    readonly tool: string,
    options?: ErrorOptions,
  ) {
    super(`${tool} is not installed or not on PATH (Debian: see DESIGN.md "Toolchain facts")`, options);
  }
}

/** A tool ran past its hard timeout and was killed by PID. */
export class ToolTimeoutError extends Error {
  override readonly name = 'ToolTimeoutError';

  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
    readonly stderr: string,
  ) {
    super(`${tool} did not finish within ${timeoutMs} ms and was killed${stderr ? `; stderr: ${stderr.trim()}` : ''}`);
  }
}

/** A tool exited non-zero or by a signal. */
export class ToolFailedError extends Error {
  override readonly name = 'ToolFailedError';

  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    super(`${tool} ${how}: ${(stderr || stdout).trim().slice(-2000) || '(no output)'}`);
  }
}
