import type { BDict } from '@seedfleet/bencode';

export type TorrentVersion = 'v1' | 'v2' | 'hybrid';

export interface TorrentFile {
  /** UTF-8 path components below the torrent name (single-file v1: [name]). */
  path: string[];
  length: number;
  /**
   * Byte offset in the torrent's linear piece space: the v1 layout including pad files, or for v2-only
   * torrents each file starting at a piece boundary.
   */
  offset: number;
  /** BEP 47 pad file (attr contains 'p'): zeros that are never written to disk. */
  pad: boolean;
  /** BEP 47 attr string ('' if none): p pad, x executable, h hidden, l symlink. */
  attributes: string;
  /** BEP 47 symlink target, relative to the torrent root. */
  symlinkPath?: string[];
  /** v2 merkle root (32 bytes); absent for empty files, pad files and v1-only torrents. */
  piecesRoot?: Buffer;
}

export interface Metainfo {
  version: TorrentVersion;
  name: string;
  pieceLength: number;
  pieceCount: number;
  /** Sum of non-pad file lengths. */
  totalSize: number;
  /** v1 order for v1 and hybrid (pad files included), file-tree order for v2. */
  files: TorrentFile[];
  /** SHA-1 of the raw info dict (v1 and hybrid). */
  infoHashV1: Buffer | null;
  /** SHA-256 of the raw info dict (v2 and hybrid). */
  infoHashV2: Buffer | null;
  /** v1 concatenated 20-byte SHA-1 piece hashes. */
  pieces: Buffer | null;
  /** Hex pieces root -> concatenated 32-byte piece hashes, for the files whose layer was present. */
  pieceLayers: Map<string, Buffer>;
  /** Tracker tiers (BEP 12); a lone `announce` becomes [[url]]. */
  announce: string[][];
  /** BEP 19 web seeds. */
  urlList: string[];
  private: boolean;
  comment?: string;
  createdBy?: string;
  creationDate?: number;
  /** The decoded info dict. */
  info: BDict;
  /** The exact original bytes of the info dict; the info hashes are over these. */
  infoRaw: Buffer;
}

export interface ParseTorrentOptions {
  /** Refuse v2 and hybrid torrents without the piece layers of every multi-piece file (default false). */
  requirePieceLayers?: boolean;
  /** Largest accepted .torrent file in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Most pieces accepted (default 2^21, libtorrent's limit). */
  maxPieces?: number;
}

export interface MagnetLink {
  infoHashV1: Buffer | null;
  infoHashV2: Buffer | null;
  name?: string;
  trackers: string[];
  webSeeds: string[];
  /** BEP 9 x.pe peer addresses, "host:port" or "[v6]:port". */
  peers: string[];
  exactLength?: number;
}
