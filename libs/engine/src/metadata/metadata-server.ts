import { decodeMetadataMessage, encodeMetadataMessage, METADATA_PIECE_LENGTH, type MetadataMessage, metadataPieceCount } from '@seedfleet/wire';
import { type ExtensionModule, remoteExtensionId } from '../peer/extensions';
import type { PeerConnection } from '../peer/peer-connection';
import { disconnectReason } from '../peer/disconnect-reason';
import { TokenBucket } from '../policy';

export interface MetadataServerOptions {
  /** Requests a peer may make per second before it gets rejects (default 20: 320 KiB/s of metadata). */
  readonly requestsPerSecond?: number;
  /** Requests answered at once before the rate applies (default: the whole dict twice, at least 32). */
  readonly burst?: number;
  /** Monotonic milliseconds. */
  readonly clock: () => number;
}

/**
 * Serves our info dictionary in 16 KiB pieces (BEP 9), to every peer including those of private torrents,
 * as libtorrent does (BEP 27 forbids sharing peers, not the dict of a torrent the peer already joined).
 * A peer asking faster than the rate gets rejects; one asking for a piece past the end is cut off.
 */
export class MetadataServer implements ExtensionModule {
  readonly name = 'ut_metadata';
  private readonly buckets = new WeakMap<PeerConnection, TokenBucket>();
  private readonly pieceCount: number;
  private readonly requestsPerSecond: number;
  private readonly burst: number;

  constructor(
    private readonly infoRaw: Buffer,
    private readonly options: MetadataServerOptions,
  ) {
    this.pieceCount = metadataPieceCount(infoRaw.length);
    this.requestsPerSecond = options.requestsPerSecond ?? 20;
    this.burst = options.burst ?? Math.max(32, 2 * this.pieceCount);
  }

  get metadataSize(): number {
    return this.infoRaw.length;
  }

  onMessage(connection: PeerConnection, payload: Buffer): void {
    let message: MetadataMessage;
    try {
      message = decodeMetadataMessage(payload);
    } catch (error) {
      return connection.close(disconnectReason('protocol', `bad ut_metadata message: ${(error as Error).message}`));
    }
    // Data and rejects are answers to requests we never make once we have the dict: nothing to do.
    if (message.type !== 'request') return;
    const id = remoteExtensionId(connection, 'ut_metadata');
    if (id === undefined) {
      return connection.close(disconnectReason('protocol', 'ut_metadata request from a peer that did not offer ut_metadata'));
    }
    const { piece } = message;
    if (piece >= this.pieceCount) {
      return connection.close(disconnectReason('protocol', `ut_metadata request for piece ${piece} of ${this.pieceCount}`));
    }
    if (!this.bucketOf(connection).take(1, this.options.clock())) {
      return connection.extended(id, encodeMetadataMessage({ type: 'reject', piece }));
    }
    const data = this.infoRaw.subarray(piece * METADATA_PIECE_LENGTH, (piece + 1) * METADATA_PIECE_LENGTH);
    connection.extended(id, encodeMetadataMessage({ type: 'data', piece, totalSize: this.infoRaw.length, data }));
  }

  private bucketOf(connection: PeerConnection): TokenBucket {
    let bucket = this.buckets.get(connection);
    if (!bucket) {
      bucket = new TokenBucket(this.requestsPerSecond, this.burst, this.options.clock());
      this.buckets.set(connection, bucket);
    }
    return bucket;
  }
}
