import type { BDict } from '@seedfleet/bencode';
import { MetainfoError } from './errors';
import { describeValue, expectBytes, expectCount, required } from './fields';
import { mergeHybridFiles } from './hybrid';
import type { Metainfo, TorrentVersion } from './model';
import { checkPathComponent } from './path-component';
import { checkPathConflicts } from './path-conflicts';
import { piecesFor, spaceLength } from './piece-count';
import { lenientText, preferUtf8Key } from './text';
import { readV1Files, readV1Pieces } from './v1-info';
import { BLOCK_SIZE } from './v2/merkle';
import { readFileTree } from './v2-file-tree';

// libtorrent's bound (INT_MAX / 2, rounded up to a power of two): larger pieces are not seen in practice and
// would need absurd buffers.
const MAX_PIECE_LENGTH = 2 ** 30;

/** The part of Metainfo that comes from the info dict alone. */
export type InfoFields = Pick<Metainfo, 'version' | 'name' | 'pieceLength' | 'pieceCount' | 'totalSize' | 'files' | 'pieces' | 'private'>;

/** Everything the info dict says about the content, validated (BEP 3, 27, 47, 52). */
export function readInfo(info: BDict, maxPieces: number): InfoFields {
  const version = readVersion(info);
  const pieceLength = readPieceLength(info, version !== 'v1');
  const name = readName(info);
  const v1Files = version === 'v2' ? null : readV1Files(info, name);
  const v2Files = version === 'v1' ? null : readFileTree(info, pieceLength);
  const files = v1Files && v2Files ? mergeHybridFiles(v1Files, v2Files, pieceLength) : (v1Files ?? v2Files ?? []);
  const pieceCount = piecesFor(spaceLength(files), pieceLength);
  if (pieceCount > maxPieces) {
    throw new MetainfoError('info.piece length', `the files need ${pieceCount} pieces, more than the ${maxPieces} allowed`);
  }
  const totalSize = files.reduce((sum, file) => (file.pad ? sum : sum + file.length), 0);
  if (totalSize === 0) throw new MetainfoError('info', 'the torrent holds no data: all its files are empty');
  checkPathConflicts(files, (index) => (version === 'v2' ? `info.file tree.${files[index].path.join('/')}` : `info.files[${index}].path`));
  return {
    version,
    name,
    pieceLength,
    pieceCount,
    totalSize,
    files,
    pieces: version === 'v2' ? null : readV1Pieces(info, pieceCount),
    private: info.get('private') === 1,
  };
}

function readVersion(info: BDict): TorrentVersion {
  const metaVersion = info.get('meta version');
  if (metaVersion === undefined) {
    if (info.has('file tree')) throw new MetainfoError('info.meta version', 'is missing but info has a v2 file tree');
    return 'v1';
  }
  if (typeof metaVersion !== 'number' && typeof metaVersion !== 'bigint') {
    throw new MetainfoError('info.meta version', `must be an integer, got ${describeValue(metaVersion)}`);
  }
  if (metaVersion !== 2) throw new MetainfoError('info.meta version', `unsupported version ${metaVersion}, expected 2`);
  return info.has('pieces') || info.has('files') || info.has('length') ? 'hybrid' : 'v2';
}

function readPieceLength(info: BDict, v2: boolean): number {
  const pieceLength = expectCount(required(info, 'piece length', 'info.piece length'), 'info.piece length');
  if (v2 && (pieceLength < BLOCK_SIZE || !Number.isInteger(Math.log2(pieceLength)))) {
    throw new MetainfoError('info.piece length', `must be a power of two >= ${BLOCK_SIZE} for v2 torrents, got ${pieceLength}`);
  }
  if (pieceLength === 0 || pieceLength > MAX_PIECE_LENGTH) {
    throw new MetainfoError('info.piece length', `must be between 1 and ${MAX_PIECE_LENGTH}, got ${pieceLength}`);
  }
  return pieceLength;
}

function readName(info: BDict): string {
  const key = preferUtf8Key(info, 'name');
  const field = `info.${key}`;
  const name = lenientText(expectBytes(required(info, key, field), field));
  if (name.length === 0) throw new MetainfoError(field, 'must not be empty');
  return checkPathComponent(name, field);
}
