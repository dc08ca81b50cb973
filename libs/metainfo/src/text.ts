import type { BDict } from '@seedfleet/bencode';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The text of valid UTF-8 bytes, or null. */
export function strictText(bytes: Buffer): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Old torrents carry names in legacy encodings; they still load, with invalid sequences shown as U+FFFD
 * (libtorrent does the same with '_'). Collisions this could cause are caught by the path-conflict check.
 */
export function lenientText(bytes: Buffer): string {
  return lossyUtf8.decode(bytes);
}

/**
 * The `<key>.utf-8` variant when it holds valid UTF-8 (older clients wrote it next to a legacy-encoded
 * `<key>`), else `<key>`. Returns the key actually used so errors can name it.
 */
export function preferUtf8Key(dict: BDict, key: string): string {
  const utf8Key = `${key}.utf-8`;
  const utf8Value = dict.get(utf8Key);
  if (utf8Value === undefined) return key;
  if (Buffer.isBuffer(utf8Value) && strictText(utf8Value) !== null) return utf8Key;
  if (Array.isArray(utf8Value) && utf8Value.every((part) => Buffer.isBuffer(part) && strictText(part) !== null)) {
    return utf8Key;
  }
  return key;
}
