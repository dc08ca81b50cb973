import { join } from 'node:path';
import type { HashPool } from '@seedfleet/hashing';
import { createTorrentFromPath, type Metainfo, parseTorrent, pieceRange, type TorrentVersion } from '@seedfleet/metainfo';
import { deterministicBytes, type FileSpec, writeFileTree } from '@seedfleet/testing';

export interface TorrentOnDisk {
  readonly metainfo: Metainfo;
  /** The download directory holding the content in client layout (directory/<name>...). */
  readonly directory: string;
  /** Every piece's expected bytes (pads as zeros), built from the generated content, not through a store. */
  readonly pieces: readonly Buffer[];
}

export interface TorrentSpec {
  readonly name: string;
  readonly version: TorrentVersion;
  readonly pieceLength: number;
  /** Paths below the torrent name; one entry whose path equals `name` makes a single-file torrent. */
  readonly files: readonly { readonly path: string; readonly size: number; readonly mode?: number }[];
}

/**
 * Writes real files under `root/seed/<name>` and makes a torrent of them with the real creator, so piece
 * hashes are genuine. The files' bytes are `deterministicBytes(size, <path below the name>)`.
 */
export async function torrentOnDisk(root: string, spec: TorrentSpec, pool: HashPool): Promise<TorrentOnDisk> {
  const directory = join(root, 'seed');
  const single = spec.files.length === 1 && spec.files[0].path === spec.name;
  const tree: FileSpec[] = spec.files.map((file) => ({ path: single ? file.path : `${spec.name}/${file.path}`, size: file.size, seed: file.path, mode: file.mode }));
  await writeFileTree(directory, tree);
  const created = await createTorrentFromPath(join(directory, spec.name), { pool, version: spec.version, pieceLength: spec.pieceLength });
  const metainfo = parseTorrent(created.torrent);
  return { metainfo, directory, pieces: expectedPieces(metainfo) };
}

/** The torrent's linear piece space filled from the deterministic content. */
export function expectedPieces(metainfo: Metainfo): Buffer[] {
  const last = metainfo.files.at(-1)!;
  const space = Buffer.alloc(Math.max(...metainfo.files.map((file) => file.offset + file.length), last.offset));
  for (const file of metainfo.files) {
    if (file.pad || file.length === 0) continue;
    deterministicBytes(file.length, file.path.join('/')).copy(space, file.offset);
  }
  return Array.from({ length: metainfo.pieceCount }, (_, index) => {
    const { start, end } = pieceRange(metainfo, index);
    return Buffer.from(space.subarray(start, end));
  });
}
