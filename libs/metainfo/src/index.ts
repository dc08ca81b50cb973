export * from './create';
export { MetainfoError } from './errors';
export * from './geometry';
export { infoHashHex, parseInfoHashHex, truncatedInfoHash } from './info-hash';
export { toMagnet } from './magnet-format';
export { parseMagnet } from './magnet-parse';
export type { MagnetLink, Metainfo, ParseTorrentOptions, TorrentFile, TorrentVersion } from './model';
export { parseTorrent } from './parse';
export * from './v2/merkle';
