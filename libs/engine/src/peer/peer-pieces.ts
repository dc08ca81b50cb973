import { Bitfield } from '@seedfleet/wire';
import { PeerViolation } from './disconnect-reason';

type Announcement = { kind: 'bitfield'; bytes: Buffer } | { kind: 'all' } | { kind: 'none' };

/**
 * Which pieces the peer has. It announces them once, first (bitfield, have-all or have-none; saying
 * nothing means none), then sends haves. Before the piece count is known (a magnet link's metadata is
 * still coming) the announcement and haves are kept raw, bounded, and checked once the count is set.
 */
export class PeerPieces {
  private pieces: Bitfield | undefined;
  private announcement: Announcement | undefined;
  private readonly earlyHaves = new Set<number>();
  private pieceCount: number | undefined;

  constructor(private readonly maxEarlyHaves: number) {}

  /** The peer's pieces once announced and the piece count is known. */
  get bitfield(): Bitfield | undefined {
    return this.pieces;
  }

  get announced(): boolean {
    return this.announcement !== undefined;
  }

  /**
   * A bitfield or have-all after the peer said it had nothing (have-none, or another message first), or
   * after its bitfield: aria2 sends its bitfield late, and sends it twice when it got pieces from a web
   * seed before connecting (libtorrent accepts a repeated bitfield too). Its pieces are added; returns
   * the ones that are news, to report as haves. Anything else after an announcement is a violation.
   */
  lateAnnouncement(announcement: Announcement): number[] {
    const before = this.announcement?.kind;
    if ((before !== 'none' && before !== 'bitfield') || this.pieces === undefined || announcement.kind === 'none') {
      throw new PeerViolation('protocol', `${describe(announcement)} after the peer already announced its pieces`);
    }
    let late: Bitfield;
    try {
      late = announcement.kind === 'all' ? Bitfield.full(this.pieces.size) : Bitfield.fromWire(announcement.bytes, this.pieces.size);
    } catch (error) {
      throw new PeerViolation('protocol', `bad bitfield: ${(error as Error).message}`);
    }
    const news: number[] = [];
    for (let index = 0; index < late.size; index++) if (late.has(index) && this.pieces.set(index)) news.push(index);
    return news;
  }

  /** Records the announcement; returns the bitfield to report if the piece count is known. */
  announce(announcement: Announcement): Bitfield | undefined {
    if (this.announcement) {
      throw new PeerViolation('protocol', `${describe(announcement)} after the peer already announced its pieces`);
    }
    this.announcement = announcement.kind === 'bitfield' ? { kind: 'bitfield', bytes: Buffer.from(announcement.bytes) } : announcement;
    return this.pieceCount === undefined ? undefined : this.build(this.pieceCount);
  }

  /** Records a have; returns true if it is news. A have before any announcement means "nothing else". */
  have(index: number): boolean {
    if (this.pieceCount === undefined) {
      if (this.earlyHaves.size >= this.maxEarlyHaves && !this.earlyHaves.has(index)) {
        throw new PeerViolation('protocol', `more than ${this.maxEarlyHaves} haves before the piece count is known`);
      }
      this.earlyHaves.add(index);
      return false;
    }
    checkIndex(index, this.pieceCount, 'have');
    return (this.pieces as Bitfield).set(index);
  }

  /** The piece count became known: checks what arrived so far; returns the bitfield to report if announced. */
  setPieceCount(pieceCount: number): Bitfield | undefined {
    this.pieceCount = pieceCount;
    return this.announcement === undefined ? undefined : this.build(pieceCount);
  }

  private build(pieceCount: number): Bitfield {
    const announcement = this.announcement as Announcement;
    try {
      if (announcement.kind === 'bitfield') this.pieces = Bitfield.fromWire(announcement.bytes, pieceCount);
      else this.pieces = announcement.kind === 'all' ? Bitfield.full(pieceCount) : new Bitfield(pieceCount);
    } catch (error) {
      throw new PeerViolation('protocol', `bad bitfield: ${(error as Error).message}`);
    }
    for (const index of this.earlyHaves) {
      checkIndex(index, pieceCount, 'have');
      this.pieces.set(index);
    }
    this.earlyHaves.clear();
    return this.pieces;
  }
}

export function checkIndex(index: number, pieceCount: number, what: string): void {
  if (index >= pieceCount) throw new PeerViolation('protocol', `${what} for piece ${index}, the torrent has ${pieceCount}`);
}

function describe(announcement: Announcement): string {
  return announcement.kind === 'bitfield' ? 'bitfield' : `have-${announcement.kind}`;
}
