import { readFile } from 'node:fs/promises';
import { parseTorrent } from '@seedfleet/metainfo';

export interface HashCheck {
  readonly dataset: string;
  readonly version: string;
  readonly reference: string;
  readonly ours: { readonly v1: string | null; readonly v2: string | null };
  readonly theirs: { readonly v1: string | null; readonly v2: string | null };
  readonly equal: boolean;
}

async function hashesOf(path: string): Promise<{ v1: string | null; v2: string | null }> {
  const metainfo = parseTorrent(await readFile(path));
  return { v1: metainfo.infoHashV1?.toString('hex') ?? null, v2: metainfo.infoHashV2?.toString('hex') ?? null };
}

/** Both torrents parsed by our parser; equal when every hash the reference has matches ours. */
export async function checkHashes(dataset: string, version: string, reference: string, oursPath: string, theirsPath: string): Promise<HashCheck> {
  const [ours, theirs] = await Promise.all([hashesOf(oursPath), hashesOf(theirsPath)]);
  return { dataset, version, reference, ours, theirs, equal: ours.v1 === theirs.v1 && ours.v2 === theirs.v2 };
}
