import type { BDict } from '@seedfleet/bencode';
import { keyText } from '@seedfleet/bencode';
import { readAttributes } from './attributes';
import { MetainfoError } from './errors';
import { expectBytes, expectCount, expectDict, required } from './fields';
import type { TorrentFile } from './model';
import { checkPathComponent } from './path-component';
import { advance, piecesFor } from './piece-count';

const ROOT_SIZE = 32;

/**
 * The BEP 52 file tree, flattened in tree order. Directories are dicts of path components; a file is a
 * dict whose only key is '' holding `length` and, unless empty, `pieces root`. Every file starts at a
 * piece boundary, so offsets advance by whole pieces.
 */
export function readFileTree(info: BDict, pieceLength: number): TorrentFile[] {
  const tree = expectDict(required(info, 'file tree', 'info.file tree'), 'info.file tree');
  const files: TorrentFile[] = [];
  walk(tree, [], files, pieceLength);
  if (files.length === 0) throw new MetainfoError('info.file tree', 'must contain at least one file');
  return files;
}

function walk(node: BDict, path: string[], files: TorrentFile[], pieceLength: number): void {
  const field = fieldOf(path);
  const leaf = node.get('');
  if (leaf !== undefined) {
    if (path.length === 0) throw new MetainfoError(field, "the root cannot be a file: it has a '' key");
    if (node.size !== 1) throw new MetainfoError(field, "a file entry ('') must be the only key of its dict");
    files.push(readLeaf(expectDict(leaf, field), path, files, pieceLength));
    return;
  }
  if (path.length > 0 && node.size === 0) throw new MetainfoError(field, 'directory is empty');
  for (const [key, child] of node) {
    const childPath = [...path, checkPathComponent(keyText(key), field)];
    walk(expectDict(child, fieldOf(childPath)), childPath, files, pieceLength);
  }
}

function readLeaf(leaf: BDict, path: string[], files: TorrentFile[], pieceLength: number): TorrentFile {
  const field = fieldOf(path);
  const { attributes, pad, symlinkPath } = readAttributes(leaf, field);
  if (pad) throw new MetainfoError(`${field}.attr`, "v2 file trees have no pad files (attr 'p')");
  const previous = files.at(-1);
  const offset = previous ? advance(previous.offset, piecesFor(previous.length, pieceLength) * pieceLength, field) : 0;
  const file: TorrentFile = { path, length: 0, offset, pad: false, attributes };
  if (symlinkPath) {
    file.symlinkPath = symlinkPath;
    return file;
  }
  file.length = expectCount(required(leaf, 'length', `${field}.length`), `${field}.length`);
  advance(offset, file.length, `${field}.length`);
  if (file.length > 0) file.piecesRoot = readPiecesRoot(leaf, field);
  return file;
}

function readPiecesRoot(leaf: BDict, field: string): Buffer {
  const rootField = `${field}.pieces root`;
  const root = expectBytes(required(leaf, 'pieces root', rootField), rootField);
  if (root.length !== ROOT_SIZE) throw new MetainfoError(rootField, `must be ${ROOT_SIZE} bytes, got ${root.length}`);
  return root;
}

function fieldOf(path: string[]): string {
  return path.length === 0 ? 'info.file tree' : `info.file tree.${path.join('/')}`;
}
