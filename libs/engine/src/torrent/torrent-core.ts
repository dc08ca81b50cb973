import type { Metainfo } from '@seedfleet/metainfo';
import type { Bitfield } from '@seedfleet/wire';
import type { PieceGeometry } from '../peer/peer-options';
import type { PiecePicker, Random } from '../policy';
import { RateEstimator } from '../policy';
import type { PieceStore } from '../storage/piece-store';
import type { PieceAssembler } from './piece-assembler';
import type { RateGate } from './rate-limits';
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
}
