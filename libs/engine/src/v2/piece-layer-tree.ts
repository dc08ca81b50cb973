import { BLOCK_SIZE, hashPair, merkleParentLayer, nextPowerOfTwo, padHash } from '@seedfleet/metainfo';
import { type HashRange, hashesMessageCount, hashRangeProblem } from '@seedfleet/wire';

const HASH_SIZE = 32;

/** Where a file's piece layer sits in its BEP 52 merkle tree (layers counted from the 16 KiB leaves). */
export interface TreeShape {
  /** Layer of the piece hashes: log2(piece length / 16 KiB). */
  readonly pieceLayer: number;
  /** Layer of the root: log2 of the leaf count padded to a power of two. */
  readonly rootLayer: number;
  /** Real (unpadded) piece hashes of the file. */
  readonly pieces: number;
}

export function treeShape(fileLength: number, pieceLength: number): TreeShape {
  const blocks = Math.max(1, Math.ceil(fileLength / BLOCK_SIZE));
  const pieceLayer = Math.log2(pieceLength / BLOCK_SIZE);
  return { pieceLayer, rootLayer: Math.max(pieceLayer, Math.log2(nextPowerOfTwo(blocks))), pieces: Math.ceil(fileLength / pieceLength) };
}

/** Why `range` cannot be answered from (or asked of) a tree of `shape` at or above its piece layer; undefined if it can. */
export function rangeProblem(range: HashRange, shape: TreeShape): string | undefined {
  const malformed = hashRangeProblem(range);
  if (malformed !== undefined) return malformed;
  if (range.baseLayer < shape.pieceLayer) return `base layer ${range.baseLayer} is below the piece layer ${shape.pieceLayer}`;
  if (range.baseLayer > shape.rootLayer) return `base layer ${range.baseLayer} is above the root layer ${shape.rootLayer}`;
  const layerWidth = 2 ** (shape.rootLayer - range.baseLayer);
  if (range.index + range.length > layerWidth) return `hashes [${range.index}, ${range.index + range.length}) exceed the layer's ${layerWidth}`;
  // libtorrent's bound (validate_hash_request): the root itself is never a proof hash.
  if (range.baseLayer + range.proofLayers >= shape.rootLayer) return `${range.proofLayers} proof layers climb to or past the root`;
  return undefined;
}

/**
 * A file's merkle tree from its (verified) piece layer up to the root, each layer padded to its full
 * width with pad hashes: what we serve `hashes` messages from. Built once per file on first request;
 * its size is about twice the piece layer.
 */
export class PieceLayerTree {
  /** layers[k] is tree layer shape.pieceLayer + k, unpadded. */
  private readonly layers: Buffer[][];

  constructor(
    readonly shape: TreeShape,
    pieceLayer: Buffer,
  ) {
    const hashes: Buffer[] = [];
    for (let at = 0; at < pieceLayer.length; at += HASH_SIZE) hashes.push(pieceLayer.subarray(at, at + HASH_SIZE));
    this.layers = [hashes];
    for (let layer = shape.pieceLayer; layer < shape.rootLayer; layer++) {
      this.layers.push(merkleParentLayer(this.layers[this.layers.length - 1], layer));
    }
  }

  get root(): Buffer {
    return this.layers[this.layers.length - 1][0];
  }

  /** The payload of a `hashes` answer to `range` (already checked with rangeProblem): the range, then the uncles bottom-up. */
  hashes(range: HashRange): Buffer {
    const out: Buffer[] = [];
    for (let i = range.index; i < range.index + range.length; i++) out.push(this.node(range.baseLayer, i));
    let layer = range.baseLayer + Math.log2(range.length);
    let position = range.index / range.length;
    for (let uncle = hashesMessageCount(range) - range.length; uncle > 0; uncle--) {
      out.push(this.node(layer, position ^ 1));
      layer++;
      position >>= 1;
    }
    return Buffer.concat(out);
  }

  private node(layer: number, index: number): Buffer {
    return this.layers[layer - this.shape.pieceLayer][index] ?? padHash(layer);
  }
}

/**
 * Checks a `hashes` answer against the file's pieces root: the range hashed up to its subtree root, then
 * climbed with the uncles, must reach `root` exactly at the root layer. Returns the range's hashes (a
 * copy) or why they are refused.
 */
export function provenRange(root: Buffer, shape: TreeShape, range: HashRange, payload: Buffer): Buffer | string {
  const problem = rangeProblem(range, shape);
  if (problem !== undefined) return problem;
  const count = hashesMessageCount(range);
  if (payload.length !== count * HASH_SIZE) return `${payload.length / HASH_SIZE} hashes for a range that needs ${count}`;
  if (range.baseLayer + Math.log2(range.length) + count - range.length !== shape.rootLayer) return 'the proof does not reach the root';
  let nodes: Buffer[] = [];
  for (let i = 0; i < range.length; i++) nodes.push(payload.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  let layer = range.baseLayer;
  while (nodes.length > 1) nodes = merkleParentLayer(nodes, layer++);
  let node = nodes[0];
  let position = range.index / range.length;
  for (let at = range.length; at < count; at++) {
    const uncle = payload.subarray(at * HASH_SIZE, (at + 1) * HASH_SIZE);
    node = position % 2 === 0 ? hashPair(node, uncle) : hashPair(uncle, node);
    position >>= 1;
  }
  if (!node.equals(root)) return 'the hashes do not hash to the pieces root';
  return Buffer.from(payload.subarray(0, range.length * HASH_SIZE));
}
