import { type Metainfo, type TorrentFile } from '@seedfleet/metainfo';
import { type HashRange, MAX_HASH_REQUEST_LENGTH } from '@seedfleet/wire';
import { provenRange, type TreeShape, treeShape } from './piece-layer-tree';

const HASH_SIZE = 32;
/** A peer that neither answers nor rejects a hash request within this time is asked no more for it. */
export const HASH_REQUEST_TIMEOUT_MS = 30_000;

/** One hash request of a missing piece layer: up to 512 piece hashes, proven up to the pieces root. */
interface Chunk {
  readonly range: HashRange;
  hashes?: Buffer;
  /** Peer asked and when; undefined while nobody is. */
  asked?: { readonly peer: string; readonly at: number };
  /** Peers that rejected it, failed to prove it or timed out: not asked again. */
  readonly refusedBy: Set<string>;
}

interface MissingLayer {
  readonly file: TorrentFile;
  readonly shape: TreeShape;
  readonly chunks: Chunk[];
}

/** What answering a `hashes` message did. */
export type HashesOutcome =
  | { readonly kind: 'unsolicited' }
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'chunk' }
  /** Every chunk of the file is in: its layer is in metainfo.pieceLayers now. */
  | { readonly kind: 'layer'; readonly file: TorrentFile };

/**
 * Piece layers missing from the metainfo (a v2 torrent joined from a btmh magnet has the file tree and
 * pieces roots, not the layers), fetched from peers with BEP 52 hash requests of at most 512 hashes,
 * each proven up to the file's pieces root with uncle hashes before it is used. A completed layer goes
 * into metainfo.pieceLayers, where the piece verifier reads it. Plain state, no I/O: the caller sends.
 */
export class PieceLayerFetch {
  private readonly missing = new Map<string, MissingLayer>();

  constructor(private readonly metainfo: Metainfo) {
    if (metainfo.version !== 'v2') return; // hybrids verify with SHA-1 and need no layers
    for (const file of metainfo.files) {
      if (file.piecesRoot === undefined || file.length <= metainfo.pieceLength) continue;
      const key = file.piecesRoot.toString('hex');
      if (metainfo.pieceLayers.has(key) || this.missing.has(key)) continue;
      const shape = treeShape(file.length, metainfo.pieceLength);
      this.missing.set(key, { file, shape, chunks: chunksOf(file.piecesRoot, shape) });
    }
  }

  get done(): boolean {
    return this.missing.size === 0;
  }

  /** Files whose pieces cannot be verified yet (every file sharing a missing root). */
  get waitingFiles(): TorrentFile[] {
    return this.metainfo.files.filter((file) => file.piecesRoot !== undefined && this.missing.has(file.piecesRoot.toString('hex')));
  }

  /** Requests to send now to `peer` (at most `max`), each marked as asked; chunks timed out are freed first. */
  next(peer: string, now: number, max: number): HashRange[] {
    const out: HashRange[] = [];
    for (const layer of this.missing.values()) {
      for (const chunk of layer.chunks) {
        if (out.length >= max) return out;
        if (chunk.asked && now - chunk.asked.at >= HASH_REQUEST_TIMEOUT_MS) {
          chunk.refusedBy.add(chunk.asked.peer);
          chunk.asked = undefined;
        }
        if (chunk.hashes || chunk.asked || chunk.refusedBy.has(peer)) continue;
        chunk.asked = { peer, at: now };
        out.push(chunk.range);
      }
    }
    return out;
  }

  /** A peer's `hashes` message: matched to what we asked it, proven, stored. */
  received(peer: string, range: HashRange, payload: Buffer): HashesOutcome {
    const found = this.find(peer, range);
    if (!found) return { kind: 'unsolicited' };
    const { layer, chunk } = found;
    chunk.asked = undefined;
    const proven = provenRange(layer.file.piecesRoot!, layer.shape, range, payload);
    if (typeof proven === 'string') {
      chunk.refusedBy.add(peer);
      return { kind: 'refused', why: proven };
    }
    chunk.hashes = proven;
    if (layer.chunks.some((each) => !each.hashes)) return { kind: 'chunk' };
    const key = layer.file.piecesRoot!.toString('hex');
    const all = Buffer.concat(layer.chunks.map((each) => each.hashes!));
    this.metainfo.pieceLayers.set(key, all.subarray(0, layer.shape.pieces * HASH_SIZE));
    this.missing.delete(key);
    return { kind: 'layer', file: layer.file };
  }

  /** A `hash-reject` for what we asked `peer`: someone else is asked. */
  rejected(peer: string, range: HashRange): void {
    const found = this.find(peer, range);
    if (!found) return;
    found.chunk.asked = undefined;
    found.chunk.refusedBy.add(peer);
  }

  /** The peer left: what it was asked is free again. */
  peerGone(peer: string): void {
    for (const layer of this.missing.values()) {
      for (const chunk of layer.chunks) if (chunk.asked?.peer === peer) chunk.asked = undefined;
    }
  }

  private find(peer: string, range: HashRange): { layer: MissingLayer; chunk: Chunk } | undefined {
    const layer = this.missing.get(range.piecesRoot.toString('hex'));
    const chunk = layer?.chunks.find((each) => each.range.baseLayer === range.baseLayer && each.range.index === range.index && each.range.length === range.length);
    if (!layer || !chunk || chunk.asked?.peer !== peer || chunk.range.proofLayers !== range.proofLayers) return undefined;
    return { layer, chunk };
  }
}

/**
 * The piece layer cut into requests of at most 512 hashes, each with enough proof layers to reach the
 * root: a layer of at most 512 pieces is one request whose hashes alone give the root.
 */
function chunksOf(piecesRoot: Buffer, shape: TreeShape): Chunk[] {
  const width = 2 ** (shape.rootLayer - shape.pieceLayer);
  const length = Math.max(2, Math.min(width, MAX_HASH_REQUEST_LENGTH));
  // The most proof layers a tree allows: uncles up to the root's children (none for a whole layer).
  const proofLayers = shape.rootLayer - shape.pieceLayer - 1;
  const chunks: Chunk[] = [];
  for (let index = 0; index < shape.pieces; index += length) {
    chunks.push({ range: { piecesRoot, baseLayer: shape.pieceLayer, index, length, proofLayers }, refusedBy: new Set() });
  }
  return chunks;
}
