/** What one load-generator thread does (structured-cloned into the worker). */
export interface LoadJob {
  /** Connections are spread round-robin over these (two replicas: two entries). */
  readonly targets: readonly { readonly host: string; readonly port: number }[];
  /** False for trackers that close every connection after answering (opentracker): one connection per announce. */
  readonly keepAlive: boolean;
  /** `/announce`. */
  readonly path: string;
  /** Keep-alive connections this thread keeps busy (closed loop each). */
  readonly connections: number;
  /** Lower-case hex, 40 digits each. */
  readonly infoHashes: readonly string[];
  /** This thread's peers are peerOffset .. peerOffset + peerCount - 1 (distinct peer ids and ports). */
  readonly peerOffset: number;
  readonly peerCount: number;
  /** Index (within the slice) of the first peer to announce, so runs do not always start with the same peers. */
  readonly startAt: number;
  /** Stop after sending this many (the fill phase: every peer once); undefined = run for the duration. */
  readonly requestLimit?: number;
  /** Announces answered during the warm-up are not counted. */
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface LoadResult {
  /** Answered in the measured window. */
  readonly completed: number;
  /** Answered in all (warm-up included): what the tracker did, for per-announce Redis and CPU figures. */
  readonly answered: number;
  readonly errors: number;
  readonly firstError?: string;
  /** LatencyHistogram counts. */
  readonly histogram: Uint32Array;
  readonly measuredMs: number;
}
