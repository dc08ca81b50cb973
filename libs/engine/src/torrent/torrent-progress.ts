import type { Metainfo } from '@seedfleet/metainfo';
import { dataBytes } from './storage-failure';
import type { TorrentCore } from './torrent-core';
import type { TorrentProgress, TorrentState } from './torrent-types';

/** Least time between two progress events while checking (the tick does not run then). */
export const PROGRESS_INTERVAL_MS = 1000;

/**
 * The numbers behind `Torrent.progress()`: verified file bytes (pads excluded), the startup check's
 * progress, and the snapshot itself from the torrent's shared state.
 */
export class TorrentProgressTracker {
  /** File bytes of the pieces we have. */
  haveBytes = 0;
  private checked: { done: number; total: number } | undefined;
  private lastCheckEventAt = -Infinity;

  constructor(
    private readonly metainfo: Metainfo,
    private readonly core: TorrentCore,
  ) {}

  /** A piece became had (found at start or stored). */
  pieceHad(index: number): void {
    this.haveBytes += dataBytes(this.metainfo, index);
  }

  /** The startup check advanced; true when a progress event is due (at most one a second, and the last). */
  checkAdvanced(done: number, total: number): boolean {
    this.checked = { done, total };
    const now = this.core.clock();
    if (now - this.lastCheckEventAt < PROGRESS_INTERVAL_MS && done < total) return false;
    this.lastCheckEventAt = now;
    return true;
  }

  snapshot(state: TorrentState, extra: { error?: string; webSeedDownloaded: number; webSeeds: number }): TorrentProgress {
    const { core } = this;
    const now = core.clock();
    let seeds = 0;
    for (const peer of core.peers.values()) if (peer.isSeed) seeds++;
    return {
      state,
      downloaded: this.haveBytes,
      total: this.metainfo.totalSize,
      uploaded: core.stats.uploaded,
      downRate: Math.round(core.stats.downRate.rate(now)),
      upRate: Math.round(core.stats.upRate.rate(now)),
      peers: core.peers.size,
      seeds,
      piecesHave: core.have.count,
      pieceCount: this.metainfo.pieceCount,
      webSeedDownloaded: extra.webSeedDownloaded,
      webSeeds: extra.webSeeds,
      ...(this.checked && state === 'checking' ? { checked: { ...this.checked } } : {}),
      ...(extra.error ? { error: extra.error } : {}),
    };
  }
}
