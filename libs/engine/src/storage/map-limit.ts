/**
 * `body` over every item with at most `limit` running at once, results in item order. Used for per-file
 * syscalls: a 100,000-file torrent must not queue 100,000 stats on libuv's four threads at once.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, body: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await body(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
