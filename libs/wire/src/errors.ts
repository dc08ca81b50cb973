/**
 * Why a peer's bytes were refused. The engine turns the reason into a disconnect reason, so it is a closed
 * set of stable codes rather than free text.
 */
export type WireErrorReason =
  | 'bad-handshake'
  | 'message-too-large'
  | 'bad-length'
  | 'bad-bitfield'
  | 'bad-extension-handshake'
  | 'bad-metadata-message'
  | 'bad-pex-message'
  | 'bad-compact-peers'
  | 'bad-address'
  | 'bad-argument';

/** Everything this library throws on bad input is a WireError; nothing else escapes. */
export class WireError extends Error {
  override readonly name = 'WireError';

  constructor(
    readonly reason: WireErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
