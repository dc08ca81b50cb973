import { pythonScriptInvocation, runPythonScript } from './python-script';

export type ReferenceVersion = 'v1' | 'v2' | 'hybrid';

export interface LibtorrentCreateOptions {
  readonly path: string;
  readonly output: string;
  readonly version: ReferenceVersion;
  /** 0 lets libtorrent choose. */
  readonly pieceLength: number;
  readonly trackers?: readonly (readonly string[])[];
  readonly webSeeds?: readonly string[];
  readonly private?: boolean;
  readonly comment?: string;
  readonly timeoutMs?: number;
}

export interface LibtorrentCreated {
  readonly infoHashV1: string | null;
  readonly infoHashV2: string | null;
  readonly pieceLength: number;
  readonly numPieces: number;
}

export interface LibtorrentFile {
  /** Includes the torrent name as first component, '/'-separated. */
  readonly path: string;
  readonly size: number;
  readonly pad: boolean;
  readonly executable: boolean;
  readonly hidden: boolean;
}

export interface LibtorrentInfo {
  readonly infoHashV1: string | null;
  readonly infoHashV2: string | null;
  readonly name: string;
  readonly pieceLength: number;
  readonly numPieces: number;
  /** Pad files included, as libtorrent counts. */
  readonly totalSize: number;
  readonly files: readonly LibtorrentFile[];
  readonly trackers: readonly { readonly url: string; readonly tier: number }[];
  readonly webSeeds: readonly string[];
  readonly private: boolean;
}

/** Creates a torrent with libtorrent's create_torrent + set_piece_hashes (python3-libtorrent 2.0). */
export function libtorrentCreate(options: LibtorrentCreateOptions): Promise<LibtorrentCreated> {
  const { timeoutMs = 120_000, ...args } = options;
  return runPythonScript<LibtorrentCreated>('create_torrent.py', args, timeoutMs);
}

/** What libtorrent's torrent_info makes of a .torrent; rejects (ToolFailedError) when libtorrent refuses it. */
export function libtorrentInspect(path: string, timeoutMs = 30_000): Promise<LibtorrentInfo> {
  return runPythonScript<LibtorrentInfo>('torrent_info.py', { path }, timeoutMs);
}

/** The command line of libtorrentCreate, for measuring it as a process of its own. */
export function libtorrentCreateInvocation(options: Omit<LibtorrentCreateOptions, 'timeoutMs'>): { command: string; args: string[] } {
  return pythonScriptInvocation('create_torrent.py', options);
}
