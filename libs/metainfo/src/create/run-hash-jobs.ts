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
  let running = 0;
  let failure: { error: unknown } | undefined;
  // One waiter at most: this loop, for a free slot or for the last job to finish.
  let wake: (() => void) | undefined;
  const settled = (): void => {
    running--;
    wake?.();
    wake = undefined;
  };
  const oneSettles = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  try {
    for await (const work of works) {
      while (running >= window && failure === undefined) await oneSettles();
      if (failure !== undefined) break;
      const { result } = await pool.submit(work.job, signal);
      running++;
      void result
        .then((hashed) => onHashed(work, hashed))
        .catch((error: unknown) => void (failure ??= { error }))
        .finally(settled);
    }
  } finally {
    while (running > 0) await oneSettles();
  }
  if (failure !== undefined) throw failure.error;
}
