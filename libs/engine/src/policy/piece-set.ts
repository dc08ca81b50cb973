/** Anything that answers "is piece i in the set", such as the wire library's Bitfield. */
export interface PieceSet {
  has(index: number): boolean;
}

/** How a peer announced its pieces: a set (bitfield, or haves so far), or have-all / have-none (BEP 6). */
export type PeerPieces = PieceSet | 'all' | 'none';
