/** An expected failure with a message meant for the user; `cause` keeps the underlying error. */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** 1 unless said otherwise, e.g. 130 for an interrupted run (128 + SIGINT, as shells report it). */
  readonly exitCode: number;

  constructor(message: string, options: ErrorOptions & { exitCode?: number } = {}) {
    super(message, { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

const systemReasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on device',
  EEXIST: 'file already exists',
  EROFS: 'read-only file system',
};

/** `ENOENT: no such file or directory, open 'x'` -> `no such file or directory`; other errors keep their message. */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && Object.hasOwn(systemReasons, code)) return systemReasons[code];
  return error instanceof Error ? error.message : String(error);
}
