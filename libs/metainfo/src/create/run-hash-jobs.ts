import type { HashJob, HashPool, HashResult } from '@seedfleet/hashing';

/** Bytes of pieces being hashed at once; with the pool's own bound this caps memory whatever the torrent size. */
const MAX_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

export function windowFor(pool: HashPool, pieceLength: number): number {
  return Math.max(2, Math.min(pool.maxPending, Math.floor(MAX_BYTES_IN_FLIGHT / pieceLength)));
}

/**
 * Feeds pieces to the pool, at most `window` at a time, reading the next piece while earlier ones hash.
 * Stops reading at the first failure and waits for what is in flight before throwing it.
 */
export async function runHashJobs<W extends { readonly job: HashJob }>(
  pool: HashPool,
  works: AsyncIterable<W> | Iterable<W>,
  window: number,
  onHashed: (work: W, result: HashResult) => void,
  signal?: AbortSignal,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  try {
    for await (const work of works) {
      while (inFlight.size >= window && failure === undefined) await Promise.race(inFlight);
      if (failure !== undefined) break;
      const { result } = await pool.submit(work.job, signal);
      const settled: Promise<void> = result
        .then(
          (hashed) => onHashed(work, hashed),
          (error: unknown) => void (failure ??= { error }),
        )
        .finally(() => inFlight.delete(settled));
      inFlight.add(settled);
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure !== undefined) throw failure.error;
}
