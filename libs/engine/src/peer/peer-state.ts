import type { ExtensionHandshake } from '@seedfleet/wire';

/** The per-connection protocol flags and sets, shared by the send side and the receive path. */
export class PeerState {
  amChoking = true;
  amInterested = false;
  peerChoking = true;
  peerInterested = false;
  /** The peer's BEP 10 handshake, once received. */
  extensions: ExtensionHandshake | undefined;
  /** Pieces we let the peer request while we choke it (BEP 6). */
  readonly allowedFastToPeer = new Set<number>();
  /** Pieces the peer lets us request while it chokes us. */
  readonly allowedFastFromPeer = new Set<number>();
  /** Piece bytes for blocks never requested. */
  unrequestedBytes = 0;
}
