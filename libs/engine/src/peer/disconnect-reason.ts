import { WireError } from '@seedfleet/wire';

/**
 * Why a connection ended. A closed set of stable codes, so the torrent can count them, ban on some and
 * show them; the message carries the details for a person.
 */
export type DisconnectCode =
  /** The peer broke the protocol: bad frame, bitfield not first, index out of range, fast or extension message without the bit. */
  | 'protocol'
  /** A length prefix above our limits. */
  | 'message-too-large'
  /** More queued requests than we accept, without the fast extension to reject the excess. */
  | 'request-flood'
  /** Too many piece bytes for blocks we never requested. */
  | 'unrequested-data'
  /** The peer stopped reading while our send buffer grew past its hard cap. */
  | 'slow-reader'
  /** Nothing received for the idle timeout, or a handshake or connect that took too long. */
  | 'timeout'
  | 'closed-by-peer'
  | 'socket-error'
  | 'connect-failed'
  /** Handshake refused: garbage, wrong info hash, a torrent we do not serve, or ourselves. */
  | 'bad-handshake'
  | 'info-hash-mismatch'
  | 'unknown-torrent'
  | 'self-connection'
  /** Message Stream Encryption failed, or the peer's encryption does not meet our policy. */
  | 'encryption'
  /** A global, per-torrent or half-open limit was reached. */
  | 'connection-limit'
  /** Decisions of the torrent: a banned address, a second connection to the same peer, no longer useful, stopping. */
  | 'banned'
  | 'duplicate'
  | 'not-useful'
  | 'shutdown'
  /** Our own event handler threw: a bug, reported instead of crashing the process. */
  | 'internal';

export interface DisconnectReason {
  readonly code: DisconnectCode;
  readonly message: string;
  readonly cause?: unknown;
}

export function disconnectReason(code: DisconnectCode, message: string, cause?: unknown): DisconnectReason {
  return cause === undefined ? { code, message } : { code, message, cause };
}

/** Maps whatever a socket callback caught onto a reason: codec errors by their wire reason, anything else as a bug. */
export function reasonFromError(error: unknown, context: string): DisconnectReason {
  if (error instanceof WireError) {
    const code: DisconnectCode =
      error.reason === 'message-too-large' ? 'message-too-large' : error.reason === 'bad-handshake' ? 'bad-handshake' : 'protocol';
    return disconnectReason(code, `${context}: ${error.message}`, error);
  }
  const text = error instanceof Error ? error.message : String(error);
  return disconnectReason('internal', `${context}: ${text}`, error);
}

/** Thrown inside the receive path by the protocol checks and turned into a close by the connection; never escapes it. */
export class PeerViolation extends Error {
  override readonly name = 'PeerViolation';

  constructor(
    readonly code: DisconnectCode,
    message: string,
  ) {
    super(message);
  }
}
