import { createHash } from 'node:crypto';
import { type BEncodable, encode } from '@seedfleet/bencode';
import { CreateTorrentError } from './create-error';
import type { CreatedTorrent, CreateOptions } from './create-options';
import type { PlanHashes } from './hash-plan';
import { buildInfo, pieceLayers } from './info-dict';
import type { CreationPlan } from './plan';

/** The .torrent of a hashed plan, with the options' trackers, web seeds, comment and dates. */
export function assembleTorrent(plan: CreationPlan, hashes: PlanHashes, options: CreateOptions): CreatedTorrent {
  // Encoding is canonical, so the info dict inside the torrent is exactly these bytes.
  const info = encode(buildInfo(plan, hashes, options));
  const torrent = withInfo(info, [
    ...trackerKeys(options.trackers ?? []),
    ['url-list', urlList(options.webSeeds ?? [])],
    ['comment', options.comment],
    ['created by', options.createdBy],
    ['creation date', options.creationDate ?? undefined],
    ['piece layers', plan.version === 'v1' ? undefined : pieceLayers(hashes)],
  ]);
  return {
    torrent,
    version: plan.version,
    name: plan.name,
    infoHashV1: plan.version === 'v2' ? null : createHash('sha1').update(info).digest(),
    infoHashV2: plan.version === 'v1' ? null : createHash('sha256').update(info).digest(),
    pieceLength: plan.pieceLength,
    pieceCount: plan.pieceCount,
    totalSize: plan.totalSize,
  };
}

/**
 * The torrent dict: `info` (already encoded) spliced in between the keys that sort before and after it,
 * instead of encoding the info dict a second time (for 10k files that was a third of the main thread's work).
 */
function withInfo(info: Buffer, entries: [string, BEncodable | undefined][]): Buffer {
  const before = encode(new Map(entries.filter(([key]) => key < 'info')));
  const after = encode(new Map(entries.filter(([key]) => key > 'info')));
  return Buffer.concat([before.subarray(0, -1), Buffer.from('4:info'), info, after.subarray(1)]);
}

/** libtorrent and mktorrent: `announce` is the first URL; `announce-list` only when there is more than one. */
function trackerKeys(tiers: readonly (readonly string[])[]): [string, BEncodable | undefined][] {
  const nonEmpty = tiers.filter((tier) => tier.length > 0).map((tier) => [...tier]);
  if (nonEmpty.length === 0) return [];
  const count = nonEmpty.reduce((sum, tier) => sum + tier.length, 0);
  return [
    ['announce', nonEmpty[0][0]],
    ['announce-list', count > 1 ? nonEmpty : undefined],
  ];
}

/** One web seed as a string (what libtorrent and mktorrent write), several as a list. */
function urlList(webSeeds: readonly string[]): BEncodable | undefined {
  if (webSeeds.length === 0) return undefined;
  return webSeeds.length === 1 ? webSeeds[0] : [...webSeeds];
}

/** The options outside the info dict, checked before any hashing. */
export function checkTopLevel(options: CreateOptions): void {
  const date = options.creationDate;
  if (date !== undefined && date !== null && (!Number.isSafeInteger(date) || date < 0)) {
    throw new CreateTorrentError('creationDate', `must be a non-negative integer number of seconds, got ${date}`);
  }
  for (const url of [...(options.trackers ?? []).flat(), ...(options.webSeeds ?? [])]) {
    if (typeof url !== 'string' || url.length === 0) throw new CreateTorrentError('trackers', `URLs must be non-empty strings, got ${JSON.stringify(url)}`);
  }
}
