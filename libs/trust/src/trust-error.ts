/**
 * Why a TUF operation failed. Client codes map the TUF client workflow's refusals; publisher codes say
 * what the repository could not do.
 */
export type TrustErrorCode =
  /** Metadata (or the trusted root) is past its expiry: a freeze attack or a publisher that stopped signing. */
  | 'expired'
  /** Fewer valid signatures than the role's threshold. */
  | 'bad-signature'
  /** A version older than one already trusted (rollback attack). */
  | 'rollback'
  /** A version that does not match the one the parent role names (mix-and-match, broken publish). */
  | 'bad-version'
  /** A target or metadata file that does not exist (HTTP 404/403, unknown target name). */
  | 'not-found'
  /** Bytes whose length or hash differ from the signed ones (a target or a metadata file). */
  | 'hash-mismatch'
  /** Metadata that does not parse or does not follow the TUF format. */
  | 'invalid-metadata'
  /** The server could not be reached, timed out or answered with an HTTP error other than 404/403. */
  | 'network'
  /** A local file (cache, destination, key file, metadata directory) could not be read or written. */
  | 'io'
  /** Publisher: the signers given cannot reach a role's threshold. */
  | 'threshold'
  /** A key that cannot be parsed or is not an ed25519 key. */
  | 'bad-key'
  /** A caller mistake: bad target name, bad hash, missing option. */
  | 'invalid-argument'
  /** Publisher: the repository is not initialised, or is already. */
  | 'repository-state';

export class TrustError extends Error {
  override readonly name = 'TrustError';

  constructor(
    readonly code: TrustErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isTrustError(error: unknown, code?: TrustErrorCode): error is TrustError {
  return error instanceof TrustError && (code === undefined || error.code === code);
}
