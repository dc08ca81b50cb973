import { type PieceLayout } from '@seedfleet/metainfo';

/** Pieces are shared out in units of about this many bytes (one Range request's worth). */
export const SHARE_UNIT_BYTES = 1024 * 1024;

/**
 * Which pieces this downloader fetches from the origin while other downloaders are connected, so N
 * downloaders starting together fetch about one copy between them instead of N: the piece space is cut
 * into ~1 MiB units and each unit goes to one member of the group (us and our connected, still
 * downloading peers) by rendezvous hashing over their peer ids. Every member that sees the same group
 * computes the same owners without talking; a member that leaves hands its units to the others; a unit
 * whose owner never fetches it is left to the stall rule of the origin policy.
 */
export class OriginShare {
  private readonly piecesPerUnit: number;
  private groupKey = '';
  private mine: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly layout: PieceLayout,
    /** Our own peer id, as the others see it (hex). */
    private readonly self: string,
    unitBytes = SHARE_UNIT_BYTES,
  ) {
    this.piecesPerUnit = Math.max(1, Math.round(unitBytes / layout.pieceLength));
  }

  /** Whether `piece` is ours to fetch, with `others` (peer ids in hex) downloading alongside us. */
  isMine(piece: number, others: readonly string[]): boolean {
    return this.ownedAmong(others)(piece);
  }

  /** The test for many pieces with one group: the owners are computed once per group. */
  ownedAmong(others: readonly string[]): (piece: number) => boolean {
    this.update(others);
    const { mine, piecesPerUnit } = this;
    return (piece) => mine[Math.floor(piece / piecesPerUnit)] === 1;
  }

  private update(others: readonly string[]): void {
    const group = [...new Set([this.self, ...others])].sort();
    const key = group.join(',');
    if (key === this.groupKey) return;
    this.groupKey = key;
    const units = Math.ceil(this.layout.pieceCount / this.piecesPerUnit);
    this.mine = new Uint8Array(units);
    for (let unit = 0; unit < units; unit++) {
      let owner = '';
      let best = -1;
      for (const member of group) {
        const score = fnv1a(`${member}:${unit}`);
        if (score > best) {
          best = score;
          owner = member;
        }
      }
      this.mine[unit] = owner === this.self ? 1 : 0;
    }
  }
}

/** 32-bit FNV-1a with a final avalanche (murmur3 fmix32), enough to spread units evenly. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
