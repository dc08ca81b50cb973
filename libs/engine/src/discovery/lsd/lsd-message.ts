/**
 * BEP 14 announce codec. An announce is an HTTP-like request over UDP:
 *
 *   BT-SEARCH * HTTP/1.1\r\n  Host: <group>\r\n  Port: <port>\r\n  Infohash: <40 hex>\r\n (repeatable)
 *   cookie: <opaque>\r\n (optional)  \r\n\r\n
 */
export interface LsdAnnounce {
  /** The Host header (the group it was sent to), when present. */
  readonly host?: string;
  /** The sender's BitTorrent listen port. */
  readonly port: number;
  /** Lower-case hex, 40 characters each, in message order, without duplicates. */
  readonly infoHashes: string[];
  readonly cookie?: string;
}

export type LsdDecodeFailure = 'too-large' | 'not-bt-search' | 'bad-port' | 'no-infohash';

export type LsdDecodeResult = { readonly ok: true; readonly announce: LsdAnnounce } | { readonly ok: false; readonly reason: LsdDecodeFailure };

/** BEP 14: an announce with several info hashes should stay under 1400 bytes (no fragmentation). */
export const LSD_MAX_DATAGRAM_BYTES = 1400;

/** Received datagrams larger than this are not parsed at all. */
const maxReceivedBytes = 8192;
const maxInfoHashesPerMessage = 128;
const requestLine = 'BT-SEARCH * HTTP/1.1';
const infoHashPattern = /^[0-9a-fA-F]{40}$/;
const portPattern = /^[0-9]{1,5}$/;

export interface LsdAnnounceFields {
  /** Host header value, e.g. `239.192.152.143:6771` or `[ff15::efc0:988f]:6771`. */
  readonly host: string;
  readonly port: number;
  /** Lower- or upper-case hex info hashes. */
  readonly infoHashes: readonly string[];
  readonly cookie?: string;
}

/** Packs the info hashes into as few datagrams as fit `maxBytes` each (at least one hash per datagram). */
export function encodeLsdAnnounces(fields: LsdAnnounceFields, maxBytes = LSD_MAX_DATAGRAM_BYTES): Buffer[] {
  const head = `${requestLine}\r\nHost: ${fields.host}\r\nPort: ${fields.port}\r\n`;
  const tail = `${fields.cookie === undefined ? '' : `cookie: ${fields.cookie}\r\n`}\r\n\r\n`;
  const datagrams: Buffer[] = [];
  let lines: string[] = [];
  let size = head.length + tail.length;
  for (const hash of fields.infoHashes) {
    const line = `Infohash: ${hash}\r\n`;
    if (lines.length > 0 && size + line.length > maxBytes) {
      datagrams.push(Buffer.from(head + lines.join('') + tail, 'latin1'));
      lines = [];
      size = head.length + tail.length;
    }
    lines.push(line);
    size += line.length;
  }
  if (lines.length > 0) datagrams.push(Buffer.from(head + lines.join('') + tail, 'latin1'));
  return datagrams;
}

/** Decodes one datagram. Never throws: hostile input becomes a failure reason. */
export function decodeLsdAnnounce(datagram: Uint8Array): LsdDecodeResult {
  if (datagram.length > maxReceivedBytes) return { ok: false, reason: 'too-large' };
  const lines = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength).toString('latin1').split(/\r?\n/);
  if (lines[0] !== requestLine) return { ok: false, reason: 'not-bt-search' };
  let host: string | undefined;
  let port: number | undefined;
  let cookie: string | undefined;
  const infoHashes = new Set<string>();
  for (const line of lines.slice(1)) {
    if (line === '') break; // end of headers
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'host') host = value;
    else if (name === 'cookie') cookie = value;
    else if (name === 'port') port = parsePort(value);
    else if (name === 'infohash' && infoHashPattern.test(value) && infoHashes.size < maxInfoHashesPerMessage) infoHashes.add(value.toLowerCase());
  }
  if (port === undefined) return { ok: false, reason: 'bad-port' };
  if (infoHashes.size === 0) return { ok: false, reason: 'no-infohash' };
  return { ok: true, announce: { host, port, infoHashes: [...infoHashes], cookie } };
}

function parsePort(text: string): number | undefined {
  if (!portPattern.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 0xffff ? port : undefined;
}
