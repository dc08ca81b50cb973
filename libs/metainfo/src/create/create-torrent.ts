import { HashPool } from '@seedfleet/hashing';
import { assembleTorrent, checkTopLevel } from './assemble';
import type { CreatedTorrent, CreateOptions, CreateSourceFile } from './create-options';
import { hashPlan } from './hash-plan';
import { planTorrent } from './plan';

/**
 * Hashes the files into a v1, v2 or hybrid .torrent. Files are sorted (libtorrent's order for v2 and
 * hybrid, mktorrent's for v1) and padded like libtorrent 2.0, so the same content and piece length give
 * the same info hashes as those tools; the same input and options always give the same bytes.
 * Reads each file once, streaming, with a bounded number of pieces in memory.
 */
export async function createTorrent(files: readonly CreateSourceFile[], options: CreateOptions = {}): Promise<CreatedTorrent> {
  const plan = planTorrent(files, options);
  checkTopLevel(options);
  options.signal?.throwIfAborted();
  const pool = options.pool ?? new HashPool();
  let hashes;
  try {
    hashes = await hashPlan(plan, pool, options);
  } finally {
    if (options.pool === undefined) await pool.close();
  }
  return assembleTorrent(plan, hashes, options);
}
