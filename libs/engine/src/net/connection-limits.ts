/** A caller released a slot it never took: a bookkeeping bug in the engine. */
export class ConnectionLimitError extends Error {
  override readonly name = 'ConnectionLimitError';
}

export interface ConnectionLimitOptions {
  /** Open connections (plus handshaking ones) across the session (default 200). */
  readonly maxConnections?: number;
  /** Connections still connecting or handshaking, both directions (default 50). */
  readonly maxHalfOpen?: number;
  /** Open connections per torrent unless set per torrent (default 50). */
  readonly maxPerTorrent?: number;
}

/**
 * Counts connections against the global, half-open and per-torrent limits. Pure bookkeeping: the
 * listener and the swarm take a slot before they connect or accept and give it back when the socket
 * closes. A half-open slot counts against the global limit too, so handshakes cannot overshoot it.
 */
export class ConnectionLimits<Torrent> {
  readonly maxConnections: number;
  readonly maxHalfOpen: number;
  readonly maxPerTorrent: number;
  private openTotal = 0;
  private halfOpenTotal = 0;
  private readonly perTorrent = new Map<Torrent, { open: number; limit: number }>();

  constructor(options: ConnectionLimitOptions = {}) {
    this.maxConnections = limit('maxConnections', options.maxConnections ?? 200);
    this.maxHalfOpen = limit('maxHalfOpen', options.maxHalfOpen ?? 50);
    this.maxPerTorrent = limit('maxPerTorrent', options.maxPerTorrent ?? 50);
  }

  get open(): number {
    return this.openTotal;
  }

  get halfOpen(): number {
    return this.halfOpenTotal;
  }

  openFor(torrent: Torrent): number {
    return this.perTorrent.get(torrent)?.open ?? 0;
  }

  setTorrentLimit(torrent: Torrent, maxConnections: number): void {
    this.entry(torrent).limit = limit('maxConnections', maxConnections);
  }

  /** Forgets a torrent's limit; its open connections must have been closed. */
  removeTorrent(torrent: Torrent): void {
    const entry = this.perTorrent.get(torrent);
    if (entry && entry.open > 0) throw new ConnectionLimitError(`torrent still has ${entry.open} open connections`);
    this.perTorrent.delete(torrent);
  }

  /** Takes a half-open slot for a connect or an accepted socket; false if a limit is reached. */
  tryStartHalfOpen(): boolean {
    if (this.halfOpenTotal >= this.maxHalfOpen || this.openTotal + this.halfOpenTotal >= this.maxConnections) return false;
    this.halfOpenTotal++;
    return true;
  }

  endHalfOpen(): void {
    if (this.halfOpenTotal === 0) throw new ConnectionLimitError('endHalfOpen without a half-open connection');
    this.halfOpenTotal--;
  }

  /** Whether a new connection for the torrent fits every limit now (before dialing a candidate). */
  canOpen(torrent: Torrent): boolean {
    return this.openTotal + this.halfOpenTotal < this.maxConnections && this.torrentHasRoom(torrent);
  }

  /** Whether the torrent is under its own limit (a handshaking connection already holds a global slot). */
  torrentHasRoom(torrent: Torrent): boolean {
    const entry = this.perTorrent.get(torrent);
    return (entry?.open ?? 0) < (entry?.limit ?? this.maxPerTorrent);
  }

  /**
   * Takes an open slot for a torrent; false if its limit or the global one is reached. Promote a
   * half-open connection by calling endHalfOpen first.
   */
  tryOpen(torrent: Torrent): boolean {
    if (this.openTotal + this.halfOpenTotal >= this.maxConnections || !this.torrentHasRoom(torrent)) return false;
    this.entry(torrent).open++;
    this.openTotal++;
    return true;
  }

  close(torrent: Torrent): void {
    const entry = this.perTorrent.get(torrent);
    if (!entry || entry.open === 0) throw new ConnectionLimitError('close without an open connection for this torrent');
    entry.open--;
    this.openTotal--;
  }

  private entry(torrent: Torrent): { open: number; limit: number } {
    let entry = this.perTorrent.get(torrent);
    if (!entry) {
      entry = { open: 0, limit: this.maxPerTorrent };
      this.perTorrent.set(torrent, entry);
    }
    return entry;
  }
}

function limit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ConnectionLimitError(`${name} ${value} is not a non-negative integer`);
  return value;
}
