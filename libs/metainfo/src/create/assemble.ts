import { createHash } from 'node:crypto';
import type { BEncodable } from '@seedfleet/bencode';
import { CreateTorrentError } from './create-error';
import type { CreatedTorrent, CreateOptions } from './create-options';
import type { PlanHashes } from './hash-plan';
import { Encoded, encodeDict } from './encoded-dict';
import { infoEntries, pieceLayers } from './info-dict';
import type { CreationPlan } from './plan';

/**
 * The .torrent of a hashed plan, with the options' trackers, web seeds, comment and dates. `files`: the v1
 * file list if it was encoded ahead.
 */
export function assembleTorrent(plan: CreationPlan, hashes: PlanHashes, options: CreateOptions, files?: Encoded): CreatedTorrent {
  // Encoding is canonical, so the info dict inside the torrent is exactly these bytes.
  const info = encodeDict(infoEntries(plan, hashes, options, files));
  const torrent = encodeDict([
    ['info', new Encoded(info)],
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
