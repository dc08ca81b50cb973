import { type Metainfo, pieceSize } from '@seedfleet/metainfo';
import { Bitfield } from '@seedfleet/wire';
import type { PieceGeometry } from '../peer/peer-options';
import { blockCountsOf, PiecePicker, type Random, RateEstimator, type TokenBucket } from '../policy';
import type { PieceStore } from '../storage/piece-store';
import { DEFAULT_ASSEMBLY_BUDGET, MAX_ASSEMBLY_BUDGET, PieceAssembler, partialPieceLimit } from './piece-assembler';
import { limitBucket, RateGate } from './rate-limits';
import type { AddTorrentOptions, SessionLink } from './torrent-options';
import type { TorrentPeer } from './torrent-peer';

/** Byte counters and payload rates of one torrent. */
export class TorrentTraffic {
  uploaded = 0;
  /** Payload received, useful or not (duplicates and failed pieces included). */
  received = 0;
  readonly downRate: RateEstimator;
  readonly upRate: RateEstimator;

  constructor(now: number) {
    this.downRate = new RateEstimator(now, { windowMs: 5000 });
    this.upRate = new RateEstimator(now, { windowMs: 5000 });
  }

  addReceived(bytes: number, now: number): void {
    this.received += bytes;
    this.downRate.add(bytes, now);
  }

  addSent(bytes: number, now: number): void {
    this.uploaded += bytes;
    this.upRate.add(bytes, now);
  }
}

/**
 * The state a torrent's collaborators share: one object instead of each passing the others around.
 * The torrent owns it; collaborators read it and change only their own parts.
 */
export interface TorrentCore {
  readonly metainfo: Metainfo;
  readonly geometry: PieceGeometry;
  /**
   * The geometry peers' requests are checked against. Equal to `geometry` except in v2-only torrents,
   * where libtorrent treats the space after a file's short last piece as pad bytes and asks for whole
   * blocks up to the piece length: those are served with zeros (Uploader).
   */
  readonly wireGeometry: PieceGeometry;
  readonly picker: PiecePicker;
  /** Verified and stored pieces. */
  readonly have: Bitfield;
  readonly store: PieceStore;
  readonly assembler: PieceAssembler;
  /** Connected peers past the handshake, by id. */
  readonly peers: Map<string, TorrentPeer>;
  readonly clock: () => number;
  readonly random: Random;
  readonly downGate: RateGate;
  readonly upGate: RateGate;
  readonly stats: TorrentTraffic;
  /** Partial pieces allowed with this many peers in the picker (the assembly memory grows with the swarm). */
  readonly partialLimit: (peers: number) => number;
}

/** The shared state of a new torrent: picker and assembler sized from the assembly budget, rate gates of the session and the torrent. */
export function createTorrentCore(options: AddTorrentOptions, session: Pick<SessionLink<unknown>, 'clock' | 'random' | 'downBucket' | 'upBucket'>): TorrentCore {
  const { metainfo } = options;
  const now = session.clock();
  const geometry: PieceGeometry = { pieceCount: metainfo.pieceCount, pieceSize: (index) => pieceSize(metainfo, index) };
  const lastPiece = metainfo.pieceCount - 1;
  const wireGeometry: PieceGeometry =
    metainfo.version === 'v2' ? { pieceCount: metainfo.pieceCount, pieceSize: (index) => (index === lastPiece ? geometry.pieceSize(index) : metainfo.pieceLength) } : geometry;
  const sizes = Array.from({ length: metainfo.pieceCount }, (_, index) => geometry.pieceSize(index));
  const maxPartialPieces = PieceAssembler.maxPieces(options.assemblyBudget ?? DEFAULT_ASSEMBLY_BUDGET, metainfo.pieceLength);
  // A budget given is a hard limit; the default one grows with the peers we download from.
  const partialLimit = (peers: number): number =>
    options.assemblyBudget !== undefined ? maxPartialPieces : partialPieceLimit(DEFAULT_ASSEMBLY_BUDGET, MAX_ASSEMBLY_BUDGET, metainfo.pieceLength, peers);
  const downBucket = limitBucket(options.maxDownRate, now);
  const upBucket = limitBucket(options.maxUpRate, now);
  return {
    metainfo,
    geometry,
    wireGeometry,
    picker: new PiecePicker(blockCountsOf(sizes), { random: session.random, maxPartialPieces }),
    have: new Bitfield(metainfo.pieceCount),
    store: options.store,
    // Every buffer in flight comes back to be reused: no 1 MiB garbage per piece for V8 to collect late.
    assembler: new PieceAssembler(geometry, maxPartialPieces),
    peers: new Map(),
    clock: session.clock,
    random: session.random,
    downGate: new RateGate(() => buckets(session.downBucket, downBucket)),
    upGate: new RateGate(() => buckets(session.upBucket, upBucket)),
    stats: new TorrentTraffic(now),
    partialLimit,
  };
}

function buckets(...maybe: (TokenBucket | undefined)[]): TokenBucket[] {
  return maybe.filter((bucket): bucket is TokenBucket => bucket !== undefined);
}
