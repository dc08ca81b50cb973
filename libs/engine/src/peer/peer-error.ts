/**
 * A caller of the connection layer passed something impossible (a bad option, a send after giving away
 * the socket): a bug in the engine, thrown to the caller. Peer misbehaviour is never a PeerError, it is a
 * DisconnectReason.
 */
export class PeerError extends Error {
  override readonly name = 'PeerError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
