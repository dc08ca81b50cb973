/** Why fetching a magnet's info dictionary failed or a received one was refused. */
export type MetadataErrorCode = 'hash-mismatch' | 'too-large' | 'invalid-info' | 'stopped' | 'timeout';

export class MetadataError extends Error {
  override readonly name = 'MetadataError';

  constructor(
    readonly code: MetadataErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
