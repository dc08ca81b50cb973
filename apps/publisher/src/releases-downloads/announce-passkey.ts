import { type BDict, decode, encode } from '@seedfleet/bencode';
import { PASSKEY_PATTERN } from '@seedfleet/tracker';

/** What the build writes into a private release's announce URL, for the download to replace. */
export const PASSKEY_PLACEHOLDER = '{passkey}';

/** The announce URL with the agent's passkey in place of the placeholder. */
export function substitutePasskey(url: string, passkey: string): string {
  if (!PASSKEY_PATTERN.test(passkey)) throw new RangeError(`passkey must match ${PASSKEY_PATTERN}`);
  return url.split(PASSKEY_PLACEHOLDER).join(passkey);
}

/**
 * The .torrent with `{passkey}` replaced in `announce` and `announce-list` only. The replacement is spliced
 * into the original bytes, so everything else (the info dict above all: the info hashes are over its exact
 * bytes) stays byte for byte as built.
 */
export function torrentWithPasskey(torrent: Buffer, passkey: string): Buffer {
  const decoded = decode(torrent);
  const root = decoded.value;
  if (!(root instanceof Map)) throw new RangeError('a .torrent is a bencoded dictionary');
  const strings: Buffer[] = [];
  const announce = (root as BDict).get('announce');
  if (Buffer.isBuffer(announce)) strings.push(announce);
  const tiers = (root as BDict).get('announce-list');
  if (Array.isArray(tiers)) {
    for (const tier of tiers) if (Array.isArray(tier)) for (const url of tier) if (Buffer.isBuffer(url)) strings.push(url);
  }
  const edits = strings
    .filter((value) => value.includes(PASSKEY_PLACEHOLDER))
    .map((value) => ({ span: decoded.span(value)!, replacement: encode(substitutePasskey(value.toString('utf8'), passkey)) }))
    .sort((a, b) => a.span.start - b.span.start);
  if (edits.length === 0) return torrent;
  const parts: Buffer[] = [];
  let at = 0;
  for (const { span, replacement } of edits) {
    parts.push(torrent.subarray(at, span.start), replacement);
    at = span.end;
  }
  parts.push(torrent.subarray(at));
  return Buffer.concat(parts);
}
