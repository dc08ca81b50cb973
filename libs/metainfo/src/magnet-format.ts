import { MetainfoError } from './errors';
import type { MagnetLink, Metainfo } from './model';

/** A magnet link: xt=urn:btih:<hex v1> and/or xt=urn:btmh:1220<hex v2>, then dn, xl, tr, ws, x.pe. */
export function toMagnet(source: Metainfo | MagnetLink): string {
  const link = 'infoRaw' in source ? fromMetainfo(source) : source;
  const params: string[] = [];
  if (link.infoHashV1) params.push(`xt=urn:btih:${checkedHex(link.infoHashV1, 20)}`);
  if (link.infoHashV2) params.push(`xt=urn:btmh:1220${checkedHex(link.infoHashV2, 32)}`);
  if (params.length === 0) throw new MetainfoError('magnet.xt', 'a magnet link needs an info hash');
  if (link.name !== undefined) params.push(`dn=${encodeURIComponent(link.name)}`);
  if (link.exactLength !== undefined) params.push(`xl=${link.exactLength}`);
  for (const tracker of link.trackers) params.push(`tr=${encodeURIComponent(tracker)}`);
  for (const webSeed of link.webSeeds) params.push(`ws=${encodeURIComponent(webSeed)}`);
  for (const peer of link.peers) params.push(`x.pe=${encodeURIComponent(peer)}`);
  return `magnet:?${params.join('&')}`;
}

function fromMetainfo(metainfo: Metainfo): MagnetLink {
  return {
    infoHashV1: metainfo.infoHashV1,
    infoHashV2: metainfo.infoHashV2,
    name: metainfo.name,
    trackers: metainfo.announce.flat(),
    webSeeds: metainfo.urlList,
    peers: [],
  };
}

function checkedHex(hash: Buffer, size: number): string {
  if (hash.length !== size) throw new MetainfoError('magnet.xt', `an info hash here must be ${size} bytes, got ${hash.length}`);
  return hash.toString('hex');
}
