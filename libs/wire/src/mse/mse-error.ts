/** Why an MSE handshake failed: a closed set of stable codes the engine maps to disconnect reasons. */
export type MseErrorReason =
  /** Ya/Yb is not a usable public key (0, 1, P-1 or out of range). */
  | 'bad-public-key'
  /** The responder answered our Ya with a plaintext BitTorrent handshake: it does not speak MSE. */
  | 'plaintext-peer'
  /** HASH('req1', S) was not found within PadA's 512 bytes: not MSE, or a wrong secret. */
  | 'no-sync-hash'
  /** The encrypted VC was not found within PadB's 512 bytes. */
  | 'no-sync-vc'
  /** HASH('req2', SKEY) names no torrent we serve. */
  | 'unknown-torrent'
  /** The decrypted VC is not 8 zero bytes. */
  | 'bad-vc'
  /** A length field beyond the spec's limit (pad over 512 bytes, IA over the configured maximum). */
  | 'bad-length'
  /** No crypto method both sides allow (or the peer selected one we did not offer). */
  | 'no-common-method'
  /** The handshake was driven wrongly by the caller (bytes after completion, bad options). */
  | 'bad-argument';

/** Everything the MSE code throws is an MseError; bytes from a peer never raise anything else. */
export class MseError extends Error {
  override readonly name = 'MseError';

  constructor(
    readonly reason: MseErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
