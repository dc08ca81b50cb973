import type { MagnetLink, Metainfo } from '@seedfleet/metainfo';

/** What `torrent info --json` prints: exactly these keys; null where a magnet link cannot know the value. */
export interface TorrentSummary {
  name: string | null;
  totalSize: number | null;
  pieceLength: number | null;
  pieceCount: number | null;
  /** Paths below the torrent name joined with '/'; pad files left out. */
  files: { path: string; size: number }[] | null;
  infoHashV1: string | null;
  infoHashV2: string | null;
  /** BEP 12 tiers, in order. */
  trackers: string[][];
  webSeeds: string[];
  private: boolean | null;
  magnet: string;
}

export function summarizeTorrent(metainfo: Metainfo, magnet: string): TorrentSummary {
  return {
    name: metainfo.name,
    totalSize: metainfo.totalSize,
    pieceLength: metainfo.pieceLength,
    pieceCount: metainfo.pieceCount,
    files: metainfo.files.filter((file) => !file.pad).map((file) => ({ path: file.path.join('/'), size: file.length })),
    infoHashV1: metainfo.infoHashV1?.toString('hex') ?? null,
    infoHashV2: metainfo.infoHashV2?.toString('hex') ?? null,
    trackers: metainfo.announce.map((tier) => [...tier]),
    webSeeds: [...metainfo.urlList],
    private: metainfo.private,
    magnet,
  };
}

/** A magnet's `tr` parameters carry no tiers; like libtorrent, each becomes a tier of its own. */
export function summarizeMagnet(link: MagnetLink, magnet: string): TorrentSummary {
  return {
    name: link.name ?? null,
    totalSize: link.exactLength ?? null,
    pieceLength: null,
    pieceCount: null,
    files: null,
    infoHashV1: link.infoHashV1?.toString('hex') ?? null,
    infoHashV2: link.infoHashV2?.toString('hex') ?? null,
    trackers: link.trackers.map((tracker) => [tracker]),
    webSeeds: [...link.webSeeds],
    private: null,
    magnet,
  };
}
