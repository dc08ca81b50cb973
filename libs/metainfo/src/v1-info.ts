import type { BDict } from '@seedfleet/bencode';
import { readAttributes } from './attributes';
import { MetainfoError } from './errors';
import { expectBytes, expectCount, expectDict, expectList, required } from './fields';
import type { TorrentFile } from './model';
import { readPath } from './path-component';
import { advance } from './piece-count';
import { preferUtf8Key } from './text';

const SHA1_SIZE = 20;

/** The v1 file list (BEP 3, 47) with offsets in the linear piece space; pad files included. */
export function readV1Files(info: BDict, name: string): TorrentFile[] {
  const list = info.get('files');
  if (list === undefined) return [readFile(info, 'info', [name], 0)];
  const entries = expectList(list, 'info.files');
  if (entries.length === 0) throw new MetainfoError('info.files', 'must list at least one file');
  const files: TorrentFile[] = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    const field = `info.files[${i}]`;
    const file = readFile(expectDict(entry, field), field, null, offset);
    offset = advance(offset, file.length, `${field}.length`);
    files.push(file);
  });
  return files;
}

/** `singlePath` is [name] for a single-file torrent; multi-file entries carry their own path. */
function readFile(dict: BDict, field: string, singlePath: string[] | null, offset: number): TorrentFile {
  const { attributes, pad, symlinkPath } = readAttributes(dict, field);
  // A symlink takes no space in the piece space, whatever its length says (libtorrent does the same).
  const length = symlinkPath ? 0 : expectCount(required(dict, 'length', `${field}.length`), `${field}.length`);
  const file: TorrentFile = { path: singlePath ?? readEntryPath(dict, field, pad, length), length, offset, pad, attributes };
  if (symlinkPath) file.symlinkPath = symlinkPath;
  return file;
}

function readEntryPath(dict: BDict, field: string, pad: boolean, length: number): string[] {
  const key = preferUtf8Key(dict, 'path');
  const path = dict.get(key);
  // Pad files are never written, and some creators leave their path out.
  if (path === undefined && pad) return ['.pad', String(length)];
  return readPath(required(dict, key, `${field}.${key}`), `${field}.${key}`);
}

/** info.pieces: one SHA-1 per piece, exactly as many as the v1 piece space needs. */
export function readV1Pieces(info: BDict, pieceCount: number): Buffer {
  const pieces = expectBytes(required(info, 'pieces', 'info.pieces'), 'info.pieces');
  if (pieces.length % SHA1_SIZE !== 0) {
    throw new MetainfoError('info.pieces', `length ${pieces.length} is not a multiple of ${SHA1_SIZE}`);
  }
  if (pieces.length !== pieceCount * SHA1_SIZE) {
    throw new MetainfoError(
      'info.pieces',
      `has ${pieces.length / SHA1_SIZE} hashes but the files need ${pieceCount} pieces`,
    );
  }
  return pieces;
}
