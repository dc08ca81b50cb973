/** The command line itself is wrong (unknown option, missing argument, bad value): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The command whose usage line should be shown, e.g. 'torrent create'; undefined for the top level. */
    readonly command?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
