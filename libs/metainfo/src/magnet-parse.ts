import { decodeBase32 } from './base32';
import { MetainfoError } from './errors';
import type { MagnetLink } from './model';

const PREFIX = 'magnet:?';

/**
 * Parse a BEP 9 / BEP 52 magnet link: xt (urn:btih as 40 hex or 32 base32 characters, urn:btmh as a
 * sha2-256 multihash), dn, tr, ws, xl and x.pe. Repeated keys may carry a numeric suffix (tr.1).
 * Unknown keys and other xt namespaces are ignored. Throws only MetainfoError.
 */
export function parseMagnet(uri: string): MagnetLink {
  if (typeof uri !== 'string' || uri.slice(0, PREFIX.length).toLowerCase() !== PREFIX) {
    throw new MetainfoError('magnet', `must start with "${PREFIX}"`);
  }
  const link: MagnetLink = { infoHashV1: null, infoHashV2: null, trackers: [], webSeeds: [], peers: [] };
  for (const part of uri.slice(PREFIX.length).split('&')) {
    if (part.length === 0) continue;
    const equals = part.indexOf('=');
    const key = (equals < 0 ? part : part.slice(0, equals)).toLowerCase().replace(/\.\d+$/, '');
    const raw = equals < 0 ? '' : part.slice(equals + 1);
    applyParameter(link, key, raw);
  }
  if (!link.infoHashV1 && !link.infoHashV2) {
    throw new MetainfoError('magnet.xt', 'no urn:btih or urn:btmh info hash');
  }
  return link;
}

function applyParameter(link: MagnetLink, key: string, raw: string): void {
  const field = `magnet.${key}`;
  switch (key) {
    case 'xt':
      return applyExactTopic(link, unescape(raw, field));
    case 'dn':
      // Form encoders write spaces in names as '+'.
      link.name ??= unescape(raw.replace(/\+/g, ' '), field);
      return;
    case 'tr':
      return addUnique(link.trackers, unescape(raw, field));
    case 'ws':
      return addUnique(link.webSeeds, unescape(raw, field));
    case 'x.pe': {
      const peer = unescape(raw, field);
      if (isPeerAddress(peer)) addUnique(link.peers, peer);
      return;
    }
    case 'xl': {
      const length = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(length)) {
        throw new MetainfoError(field, `must be a non-negative integer, got ${JSON.stringify(raw.slice(0, 40))}`);
      }
      link.exactLength = length;
      return;
    }
  }
}

function applyExactTopic(link: MagnetLink, topic: string): void {
  const lower = topic.toLowerCase();
  if (lower.startsWith('urn:btih:')) {
    link.infoHashV1 = merge(link.infoHashV1, parseBtih(topic.slice(9)), 'btih');
  } else if (lower.startsWith('urn:btmh:')) {
    link.infoHashV2 = merge(link.infoHashV2, parseBtmh(topic.slice(9)), 'btmh');
  }
}

function parseBtih(text: string): Buffer {
  if (/^[0-9a-fA-F]{40}$/.test(text)) return Buffer.from(text, 'hex');
  const decoded = text.length === 32 ? decodeBase32(text) : null;
  if (decoded) return decoded;
  throw new MetainfoError('magnet.xt', `urn:btih must be 40 hex or 32 base32 characters, got ${show(text)}`);
}

function parseBtmh(text: string): Buffer {
  // A multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest; BEP 52 uses no other.
  if (/^1220[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text.slice(4), 'hex');
  throw new MetainfoError('magnet.xt', `urn:btmh must be a sha2-256 multihash (1220 and 64 hex characters), got ${show(text)}`);
}

function merge(current: Buffer | null, next: Buffer, kind: string): Buffer {
  if (current && !current.equals(next)) throw new MetainfoError('magnet.xt', `two different urn:${kind} hashes`);
  return next;
}

function unescape(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw);
  } catch (error) {
    throw new MetainfoError(field, `has invalid percent-encoding: ${show(raw)}`, { cause: error });
  }
}

/** host:port or [v6]:port with a port in 1-65535; malformed peers are only hints and are dropped. */
function isPeerAddress(peer: string): boolean {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(peer);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
}

function addUnique(list: string[], value: string): void {
  if (value.length > 0 && !list.includes(value)) list.push(value);
}

function show(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}
