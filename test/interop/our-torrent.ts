import { writeFile } from 'node:fs/promises';
import { createTorrentFromPath, parseTorrent, type Metainfo, type TorrentVersion } from '@seedfleet/metainfo';

export interface OurTorrentOptions {
  readonly trackers?: string[][];
  readonly webSeeds?: string[];
  readonly private?: boolean;
}

/** Creates a torrent with our library (no optional fields unless asked), writes it, returns it parsed. */
export async function createOurTorrent(source: string, output: string, version: TorrentVersion, pieceLength: number, options: OurTorrentOptions = {}): Promise<Metainfo> {
  const { torrent } = await createTorrentFromPath(source, { version, pieceLength, creationDate: null, ...options });
  await writeFile(output, torrent);
  return parseTorrent(torrent, { requirePieceLayers: version !== 'v1' });
}

export const hex = (hash: Buffer | null): string | null => hash?.toString('hex') ?? null;
