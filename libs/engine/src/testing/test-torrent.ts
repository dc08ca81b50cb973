import { deterministicBytes } from '@seedfleet/testing';
import { createTorrent, type Metainfo, parseTorrent, type TorrentVersion } from '@seedfleet/metainfo';
import { MemoryPieceStore } from '../storage/memory-store';

export interface TestTorrent {
  readonly metainfo: Metainfo;
  /** The torrent's bytes (a single file). */
  readonly content: Buffer;
  /** A store holding everything, to seed from. */
  seederStore(): MemoryPieceStore;
  /** An empty store, to download into. */
  emptyStore(): MemoryPieceStore;
}

/**
 * A single-file torrent over seeded pseudo-random bytes, made with our own creator (so the same
 * size, piece length and seed always give the same info hash).
 */
export async function makeTestTorrent(options: { size: number; pieceLength: number; seed?: string; version?: TorrentVersion; name?: string }): Promise<TestTorrent> {
  const content = seededBytes(options.size, options.seed ?? 'seedfleet-test');
  const created = await createTorrent(
    [{ path: [], length: content.length, open: async function* () { yield content; } }],
    { name: options.name ?? 'payload.bin', pieceLength: options.pieceLength, version: options.version ?? 'v1' },
  );
  const metainfo = parseTorrent(created.torrent);
  return {
    metainfo,
    content,
    seederStore: () => new MemoryPieceStore(metainfo, content),
    emptyStore: () => new MemoryPieceStore(metainfo),
  };
}

/** Deterministic bytes for a seed (AES-CTR keystream: GB/s, the same on every machine). */
export function seededBytes(size: number, seed: string): Buffer {
  return deterministicBytes(size, seed);
}

/** Reads every piece back out of a store into one buffer (for byte-for-byte comparisons). */
export async function storeContent(store: MemoryPieceStore, metainfo: Metainfo): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let index = 0; index < metainfo.pieceCount; index++) pieces.push(await store.readPiece(index));
  return Buffer.concat(pieces);
}
