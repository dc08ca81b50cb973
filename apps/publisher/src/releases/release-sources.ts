import type { ObjectStore } from '@seedfleet/storage';
import { badRequest } from '../api/api-error';
import { releaseFilePath, requireObject } from '../api/validation';

/** Where a release's files come from when they are already in the object store. */
export type ReleaseSource = { readonly keys: readonly string[] } | { readonly prefix: string };

export interface SourceObject {
  readonly key: string;
  /** The file's path in the release (and the torrent). */
  readonly path: string;
  readonly size: number;
}

const MAX_SOURCE_FILES = 100_000;
/** The publisher's own records and releases are not sources: copying them would leak or loop. */
const RESERVED_PREFIXES = ['meta/', 'releases/'];

export function parseReleaseSource(value: unknown): ReleaseSource | undefined {
  if (value === undefined) return undefined;
  const source = requireObject(value, 'source');
  const hasKeys = source.keys !== undefined;
  const hasPrefix = source.prefix !== undefined;
  if (hasKeys === hasPrefix) throw badRequest('source: give either {"keys": [...]} or {"prefix": "..."}');
  if (hasPrefix) {
    if (typeof source.prefix !== 'string' || source.prefix === '' || !source.prefix.endsWith('/')) throw badRequest('source.prefix: expected a non-empty prefix ending in "/", like "incoming/app-1.2/"');
    releaseFilePath(source.prefix.slice(0, -1), 'source.prefix');
    checkNotReserved(source.prefix, 'source.prefix');
    return { prefix: source.prefix };
  }
  if (!Array.isArray(source.keys) || source.keys.length === 0) throw badRequest('source.keys: expected a non-empty array of object keys');
  if (source.keys.length > MAX_SOURCE_FILES) throw badRequest(`source.keys: at most ${MAX_SOURCE_FILES} keys`);
  const keys = source.keys.map((key, index) => releaseFilePath(key, `source.keys[${index}]`));
  keys.forEach((key) => checkNotReserved(key, 'source.keys'));
  return { keys };
}

/**
 * The objects a source names, with their release paths: a key list maps each key to its base name, a
 * prefix maps each key below it to the rest of the key. Missing keys, empty objects and two files with the
 * same path are 400s, found before anything is copied.
 */
export async function resolveSourceObjects(store: ObjectStore, source: ReleaseSource): Promise<SourceObject[]> {
  const objects: SourceObject[] = [];
  if ('prefix' in source) {
    for await (const info of store.list(source.prefix)) {
      if (objects.length >= MAX_SOURCE_FILES) throw badRequest(`source.prefix: more than ${MAX_SOURCE_FILES} objects`);
      objects.push({ key: info.key, path: info.key.slice(source.prefix.length), size: info.size });
    }
    if (objects.length === 0) throw badRequest(`source.prefix: no objects under "${source.prefix}"`);
  } else {
    for (const key of source.keys) {
      const info = await store.head(key);
      if (!info) throw badRequest(`source.keys: object "${key}" does not exist`);
      objects.push({ key, path: key.slice(key.lastIndexOf('/') + 1), size: info.size });
    }
  }
  const seen = new Set<string>();
  for (const object of objects) {
    if (object.size === 0) throw badRequest(`source: object "${object.key}" is empty`);
    if (seen.has(object.path)) throw badRequest(`source: two objects would both be the release file "${object.path}"`);
    seen.add(object.path);
  }
  return objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function checkNotReserved(key: string, field: string): void {
  if (RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix))) throw badRequest(`${field}: "${key}" is inside the publisher's own area (${RESERVED_PREFIXES.join(', ')})`);
}
