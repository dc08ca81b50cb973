import { createHash } from 'node:crypto';
import type { BEncodable } from '@seedfleet/bencode';
import { encode } from '@seedfleet/bencode';

// Builds .torrent files for tests from file contents, hashing with node:crypto directly (a naive merkle
// tree over explicit zero leaves) so the parser is checked against an independent computation.

export type TorrentObject = { [key: string]: BEncodable | undefined };
export interface FixtureFile {
  path: string[];
  data: Buffer;
  attr?: string;
}
export interface Fixture {
  torrent: TorrentObject;
  /** Concatenated v1 piece space (pad bytes as zeros), for v1 and hybrid. */
  space: Buffer;
}

const BLOCK = 16384;
const sha1 = (data: Buffer): Buffer => createHash('sha1').update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** Deterministic test data. */
export function bytes(length: number, seed = 1): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return data;
}

export function v1Pieces(space: Buffer, pieceLength: number): Buffer {
  const hashes: Buffer[] = [];
  for (let at = 0; at < space.length; at += pieceLength) hashes.push(sha1(space.subarray(at, at + pieceLength)));
  return Buffer.concat(hashes);
}

/** Every level of the file's merkle tree, leaves (16 KiB block hashes, zero-padded) first. */
export function merkleLevels(data: Buffer): Buffer[][] {
  let level: Buffer[] = [];
  for (let at = 0; at < data.length; at += BLOCK) level.push(sha256(data.subarray(at, at + BLOCK)));
  let width = 1;
  while (width < level.length) width *= 2;
  while (level.length < width) level.push(Buffer.alloc(32));
  const levels = [level];
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256(Buffer.concat([level[i], level[i + 1]])));
    levels.push((level = next));
  }
  return levels;
}

export function piecesRoot(data: Buffer): Buffer {
  return merkleLevels(data).at(-1)![0];
}

/** The piece layer: one hash per piece (the tree level where a node covers pieceLength bytes). */
export function pieceLayer(data: Buffer, pieceLength: number): Buffer {
  const level = merkleLevels(data)[Math.log2(pieceLength / BLOCK)];
  return Buffer.concat(level.slice(0, Math.ceil(data.length / pieceLength)));
}

export function v1Torrent(name: string, pieceLength: number, files: FixtureFile[], single = false): Fixture {
  const space = Buffer.concat(files.map((file) => file.data));
  const info: TorrentObject = { name, 'piece length': pieceLength, pieces: v1Pieces(space, pieceLength) };
  if (single) {
    info.length = files[0].data.length;
  } else {
    info.files = files.map((file) => ({ length: file.data.length, path: [...file.path], attr: file.attr }));
  }
  return { torrent: { announce: 'http://tracker.test/announce', info }, space };
}

export function v2Torrent(name: string, pieceLength: number, files: FixtureFile[]): Fixture {
  const info: TorrentObject = { name, 'piece length': pieceLength, 'meta version': 2, 'file tree': fileTree(files) };
  return { torrent: { info, 'piece layers': pieceLayers(files, pieceLength) }, space: Buffer.alloc(0) };
}

/** v1 part with a pad file after every file that does not end on a piece boundary, except the last. */
export function hybridTorrent(name: string, pieceLength: number, files: FixtureFile[]): Fixture {
  const v1Files: FixtureFile[] = [];
  files.forEach((file, i) => {
    v1Files.push(file);
    const tail = file.data.length % pieceLength;
    if (i < files.length - 1 && tail !== 0) {
      v1Files.push({ path: ['.pad', String(pieceLength - tail)], data: Buffer.alloc(pieceLength - tail), attr: 'p' });
    }
  });
  const { torrent, space } = v1Torrent(name, pieceLength, v1Files);
  const v2 = v2Torrent(name, pieceLength, files).torrent;
  Object.assign(torrent.info as TorrentObject, (v2.info as TorrentObject));
  (torrent.info as TorrentObject).name = name;
  torrent['piece layers'] = v2['piece layers'];
  return { torrent, space };
}

function fileTree(files: FixtureFile[]): TorrentObject {
  const tree: TorrentObject = {};
  for (const file of files) {
    let node = tree;
    for (const part of file.path) node = (node[part] ??= {}) as TorrentObject;
    node[''] = file.data.length === 0
      ? { length: 0, attr: file.attr }
      : { length: file.data.length, 'pieces root': piecesRoot(file.data), attr: file.attr };
  }
  return tree;
}

function pieceLayers(files: FixtureFile[], pieceLength: number): Map<Buffer, BEncodable> {
  const layers = new Map<Buffer, BEncodable>();
  for (const file of files) {
    if (file.data.length > pieceLength) layers.set(piecesRoot(file.data), pieceLayer(file.data, pieceLength));
  }
  return layers;
}

/** Set (or with `undefined`, remove) the value at `path` in a torrent object. */
export function setAt(torrent: TorrentObject, path: (string | number)[], value: BEncodable | undefined): TorrentObject {
  let node: unknown = torrent;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  const last = path[path.length - 1];
  if (Array.isArray(node) && value === undefined) node.splice(Number(last), 1);
  else if (value === undefined) delete (node as Record<string | number, unknown>)[last];
  else (node as Record<string | number, unknown>)[last] = value;
  return torrent;
}

export function encodeTorrent(torrent: TorrentObject): Buffer {
  return encode(torrent);
}
