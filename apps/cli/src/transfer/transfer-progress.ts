import type { TorrentProgress } from '@seedfleet/engine';

/** What the CLI shows of a running torrent: the engine's snapshot (a type import: no engine at start-up). */
export type TransferProgress = TorrentProgress;

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
    webSeedDownloaded: progress.webSeedDownloaded ?? 0,
    webSeeds: progress.webSeeds ?? 0,
    ...(progress.checked ? { checked: progress.checked.done, checkTotal: progress.checked.total } : {}),
    ...(progress.error !== undefined ? { error: progress.error } : {}),
  });
}
