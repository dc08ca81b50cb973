import type DHT from 'bittorrent-dht';

export type DhtClass = typeof DHT;

let loading: Promise<DhtClass> | undefined;

/**
 * bittorrent-dht is ESM only. A dynamic import loads it from our CommonJS output at run time (and Jest's
 * SWC transform turns it into a require of the mapped file), once per process.
 */
export function loadDht(): Promise<DhtClass> {
  loading ??= import('bittorrent-dht').then((module) => module.default);
  return loading;
}
