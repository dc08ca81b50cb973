import type { BDict, BValue } from '@seedfleet/bencode';
import { MetainfoError } from './errors';
import { expectBytes, expectDict } from './fields';
import type { TorrentFile } from './model';
import { piecesFor } from './piece-count';
import { BLOCK_SIZE, merkleRoot } from './v2/merkle';

const HASH_SIZE = 32;

/**
 * BEP 52 piece layers: for every file longer than one piece, the merkle layer with one hash per piece,
 * keyed by the file's pieces root. (A file of at most one piece has none: its pieces root is the piece
 * hash.) Each layer present must hash up to its root. Layers may be missing, as when the info dict came
 * from a magnet link and the layers arrive later from peers, unless `requireAll`.
 */
export function readPieceLayers(
  value: BValue | undefined,
  files: readonly TorrentFile[],
  pieceLength: number,
  requireAll: boolean,
): Map<string, Buffer> {
  const layers = value === undefined ? new Map<string, BValue>() : expectDict(value, 'piece layers');
  const verified = new Map<string, Buffer>();
  for (const file of files) {
    if (!file.piecesRoot || file.length <= pieceLength) continue;
    const rootHex = file.piecesRoot.toString('hex');
    if (verified.has(rootHex)) continue; // identical files share a root and a layer
    const layer = readLayer(layers, file, file.piecesRoot, pieceLength, requireAll);
    if (layer) verified.set(rootHex, layer);
  }
  return verified;
}

function readLayer(
  layers: BDict,
  file: TorrentFile,
  root: Buffer,
  pieceLength: number,
  requireAll: boolean,
): Buffer | undefined {
  const field = `piece layers.${root.toString('hex')}`;
  const value = layers.get(root.toString('latin1'));
  if (value === undefined) {
    if (requireAll) throw new MetainfoError(field, `missing for "${file.path.join('/')}"`);
    return undefined;
  }
  const layer = expectBytes(value, field);
  if (layer.length % HASH_SIZE !== 0) {
    throw new MetainfoError(field, `length ${layer.length} is not a multiple of ${HASH_SIZE}`);
  }
  const pieceCount = piecesFor(file.length, pieceLength);
  if (layer.length !== pieceCount * HASH_SIZE) {
    throw new MetainfoError(
      field,
      `is ${layer.length} bytes but "${file.path.join('/')}" has ${pieceCount} pieces (${pieceCount * HASH_SIZE} bytes)`,
    );
  }
  const hashes: Buffer[] = [];
  for (let at = 0; at < layer.length; at += HASH_SIZE) hashes.push(layer.subarray(at, at + HASH_SIZE));
  if (!merkleRoot(hashes, Math.log2(pieceLength / BLOCK_SIZE)).equals(root)) {
    throw new MetainfoError(field, `does not hash to the pieces root of "${file.path.join('/')}"`);
  }
  return layer;
}
