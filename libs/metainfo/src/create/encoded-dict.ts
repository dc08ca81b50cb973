import { type BEncodable, encode } from '@seedfleet/bencode';

/** A value already bencoded: encodeDict copies its bytes instead of encoding it again. */
export class Encoded {
  constructor(readonly bytes: Buffer) {}
}

/**
 * A bencoded dict whose values may be Encoded, so the big parts of a torrent are encoded once, or ahead of
 * time (a file list while the last pieces still hash). Keys are ASCII field names, whose string order is
 * their byte order; undefined values are left out, as encode() does.
 */
export function encodeDict(entries: readonly (readonly [string, BEncodable | Encoded | undefined])[]): Buffer {
  const present = entries.filter((entry): entry is readonly [string, BEncodable | Encoded] => entry[1] !== undefined);
  const parts: Buffer[] = [Buffer.from('d')];
  for (const [key, value] of present.sort(([a], [b]) => (a < b ? -1 : 1))) {
    parts.push(Buffer.from(`${key.length}:${key}`, 'latin1'), value instanceof Encoded ? value.bytes : encode(value));
  }
  parts.push(Buffer.from('e'));
  return Buffer.concat(parts);
}
