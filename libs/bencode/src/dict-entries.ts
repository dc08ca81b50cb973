import type { BEncodable } from './types';
import { hasLoneSurrogate } from './unicode';

export interface DictEntry {
  /** The key's bytes; read as UTF-8 it is also how the key shows in error paths. */
  readonly key: Buffer;
  readonly value: BEncodable;
}

export type EncodableDict = Map<string | Buffer, BEncodable | undefined> | { [key: string]: BEncodable | undefined };

const NOT_BINARY_STRING = /[^\x00-\xff]/;

/**
 * A dict's entries with their key bytes, sorted by those bytes (BEP 3 orders keys as raw strings, which
 * differs from JS string order once keys leave ASCII), `undefined` values left out. `fail` reports a bad
 * key and does not return.
 */
export function dictEntries(dict: EncodableDict, fail: (problem: string) => never): DictEntry[] {
  const entries: DictEntry[] = [];
  if (dict instanceof Map) {
    for (const [key, value] of dict) {
      if (value !== undefined) entries.push({ key: mapKeyBytes(key, fail), value });
    }
  } else {
    for (const key of Object.keys(dict)) {
      const value = dict[key];
      if (value === undefined) continue;
      entries.push({ key: textKeyBytes(key, fail), value });
    }
  }
  if (!inOrder(entries)) entries.sort((a, b) => Buffer.compare(a.key, b.key));
  for (let index = 1; index < entries.length; index++) {
    if (entries[index].key.equals(entries[index - 1].key)) {
      fail(`duplicate key ${JSON.stringify(entries[index].key.toString('utf8'))}`);
    }
  }
  return entries;
}

/**
 * Plain-object keys repeat (every file dict of a torrent has `length` and `path`), so the bytes of short
 * keys are made once. Entries never expose them for writing, only for comparing and copying out.
 */
const textKeyCache = new Map<string, Buffer>();
const TEXT_KEY_CACHE_MAX = 512;
const CACHED_KEY_MAX_LENGTH = 32;

function textKeyBytes(key: string, fail: (problem: string) => never): Buffer {
  const cached = textKeyCache.get(key);
  if (cached !== undefined) return cached;
  if (hasLoneSurrogate(key)) fail(`key ${JSON.stringify(key)} is not valid Unicode text`);
  const bytes = Buffer.from(key, 'utf8');
  if (key.length <= CACHED_KEY_MAX_LENGTH && textKeyCache.size < TEXT_KEY_CACHE_MAX) textKeyCache.set(key, bytes);
  return bytes;
}

/** Objects written in key order (most are) skip the sort. */
function inOrder(entries: readonly DictEntry[]): boolean {
  for (let index = 1; index < entries.length; index++) {
    if (Buffer.compare(entries[index - 1].key, entries[index].key) >= 0) return false;
  }
  return true;
}

function mapKeyBytes(key: unknown, fail: (problem: string) => never): Buffer {
  if (typeof key === 'string') {
    if (NOT_BINARY_STRING.test(key)) {
      fail(`map key ${JSON.stringify(key)} has characters above U+00FF; Map keys are binary strings (see textKey())`);
    }
    return Buffer.from(key, 'latin1');
  }
  if (key instanceof Uint8Array) return Buffer.from(key.buffer, key.byteOffset, key.length);
  return fail(`map key of type ${typeof key} is neither a string nor a Buffer`);
}
