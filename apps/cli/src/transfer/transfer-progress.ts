/** What the CLI shows of a running torrent; the engine's TorrentProgress carries at least these. */
export interface TransferProgress {
  readonly state: string;
  /** Verified bytes we have. */
  readonly downloaded: number;
  readonly total: number;
  readonly uploaded: number;
  /** Bytes per second. */
  readonly downRate: number;
  readonly upRate: number;
  readonly peers: number;
  readonly seeds: number;
  readonly piecesHave: number;
  readonly pieceCount: number;
  /** While checking existing data: pieces checked so far. */
  readonly checked?: { readonly done: number; readonly total: number };
  readonly error?: string;
}

/**
 * The `--json-progress` line: one flat object per line, stable keys (scripts parse these). The first six
 * are the documented minimum; the rest are added for dashboards.
 */
export function progressJson(progress: TransferProgress): string {
  return JSON.stringify({
    state: progress.state,
    downloaded: progress.downloaded,
    total: progress.total,
    downRate: Math.round(progress.downRate),
    upRate: Math.round(progress.upRate),
    peers: progress.peers,
    uploaded: progress.uploaded,
    seeds: progress.seeds,
    piecesHave: progress.piecesHave,
    pieceCount: progress.pieceCount,
    ...(progress.checked ? { checked: progress.checked.done, checkTotal: progress.checked.total } : {}),
    ...(progress.error !== undefined ? { error: progress.error } : {}),
  });
}
