import { createHash } from 'node:crypto';
import type { HashPool } from '@seedfleet/hashing';
import type { Metainfo } from '@seedfleet/metainfo';
import { type TorrentOnDisk, type TorrentSpec, torrentOnDisk } from '../../storage/testing/torrent-on-disk';
import { WebSeed, type WebSeedFetchResult } from '../web-seed';
import type { WebSeedOptions } from '../web-seed-options';
import { RangeFileServer } from './range-file-server';
import { WarpClock } from './warp-clock';

/** Limits small enough that a fault costs a test well under a second, large enough for loopback at full speed. */
export const FAST_LIMITS: Partial<WebSeedOptions> = {
  stallTimeoutMs: 600,
  rateWindowMs: 300,
  minBytesPerSecond: 64 * 1024,
  backoffBaseMs: 2000,
  maxAttempts: 4,
};

export interface WebSeedFixture {
  readonly torrent: TorrentOnDisk;
  readonly server: RangeFileServer;
  readonly warp: WarpClock;
  seed(options?: Partial<WebSeedOptions>, url?: string): WebSeed;
  close(): Promise<void>;
}

/** A torrent on disk (real hashes) served by a RangeFileServer, and WebSeeds on a warp clock against it. */
export async function webSeedFixture(root: string, spec: TorrentSpec, pool: HashPool): Promise<WebSeedFixture> {
  const torrent = await torrentOnDisk(root, spec, pool);
  const server = await RangeFileServer.start(torrent.directory);
  const warp = new WarpClock();
  const seeds: WebSeed[] = [];
  return {
    torrent,
    server,
    warp,
    seed: (options = {}, url = server.filesUrl) => {
      const seed = new WebSeed(torrent.metainfo, url, { ...FAST_LIMITS, clock: warp.clock, timers: warp.timers, random: () => 0.5, ...options });
      seeds.push(seed);
      return seed;
    },
    close: async () => {
      for (const seed of seeds) seed.close();
      await server.close();
    },
  };
}

export interface Collected {
  readonly pieces: Map<number, Buffer>;
  readonly result: WebSeedFetchResult;
}

/** Fetches pieces [first, end) and keeps what was delivered. */
export async function fetchPieces(seed: WebSeed, first: number, end: number, signal?: AbortSignal): Promise<Collected> {
  const pieces = new Map<number, Buffer>();
  const result = await seed.fetch({ first, end, signal, onPiece: (index, data) => pieces.set(index, data) });
  return { pieces, result };
}

/** True when `data` is piece `index` of a v1 or hybrid torrent by its SHA-1. */
export function pieceVerifies(metainfo: Metainfo, index: number, data: Buffer): boolean {
  const expected = metainfo.pieces!.subarray(index * 20, index * 20 + 20);
  return createHash('sha1').update(data).digest().equals(expected);
}

/** The indexes of delivered pieces that fail their SHA-1 (none, ever, is the point). */
export function corruptPieces(metainfo: Metainfo, pieces: Map<number, Buffer>): number[] {
  return [...pieces].filter(([index, data]) => !pieceVerifies(metainfo, index, data)).map(([index]) => index);
}

export function range(first: number, end: number): number[] {
  return Array.from({ length: end - first }, (_, i) => first + i);
}
