import type { Metainfo, TorrentFile } from '@seedfleet/metainfo';
import type { HashRange } from '@seedfleet/wire';
import type { HashMessage } from '../peer/peer-handler';
import { PieceLayerFetch } from './piece-layer-fetch';
import { PieceLayerTree, rangeProblem, treeShape } from './piece-layer-tree';

/** Hash requests we keep in flight per peer while fetching piece layers. */
const REQUESTS_PER_PEER = 4;

/** The side of a peer the hash service talks to. */
export interface HashPeer {
  /** Stable id of the peer (the torrent's peer id key). */
  readonly id: string;
  send(message: HashMessage): void;
  /**
   * Its send buffer is full: a hash request is rejected rather than answered, so a peer flooding requests
   * without reading cannot make us buffer answers (up to 562 hashes each) without bound.
   */
  readonly backlogged?: () => boolean;
}

export interface HashServiceHooks {
  readonly clock: () => number;
  /** A fetched piece layer was proven and stored: the file's pieces can be downloaded and verified now. */
  readonly onLayer: (file: TorrentFile) => void;
  /** A peer sent hashes that do not prove out against the pieces root. */
  readonly onBadHashes: (peer: HashPeer, why: string) => void;
}

/**
 * BEP 52 hash messages of one torrent: answers peers' hash requests from the piece layers we hold
 * (any base layer from the piece layer up, with uncle hashes to the root; hash reject otherwise) and,
 * for a v2 torrent missing layers, asks peers for them (PieceLayerFetch) and proves what comes back.
 */
export class HashService {
  private readonly fetch: PieceLayerFetch;
  /** Trees built on first request, by pieces root in hex. */
  private readonly trees = new Map<string, PieceLayerTree>();
  private readonly files = new Map<string, TorrentFile>();

  constructor(
    private readonly metainfo: Metainfo,
    private readonly hooks: HashServiceHooks,
  ) {
    this.fetch = new PieceLayerFetch(metainfo);
    for (const file of metainfo.files) if (file.piecesRoot) this.files.set(file.piecesRoot.toString('hex'), file);
  }

  /** Files whose piece layer is still being fetched: their pieces are not downloaded until it is proven. */
  get waitingFiles(): TorrentFile[] {
    return this.fetch.waitingFiles;
  }

  get fetching(): boolean {
    return !this.fetch.done;
  }

  onMessage(peer: HashPeer, message: HashMessage): void {
    switch (message.type) {
      case 'hash-request':
        return this.serve(peer, message);
      case 'hash-reject':
        this.fetch.rejected(peer.id, message);
        return this.ask(peer);
      case 'hashes': {
        const outcome = this.fetch.received(peer.id, message, message.hashes);
        if (outcome.kind === 'refused') this.hooks.onBadHashes(peer, outcome.why);
        if (outcome.kind === 'layer') this.hooks.onLayer(outcome.file);
        return this.ask(peer);
      }
    }
  }

  /** Sends the peer what hash requests it may take now (nothing once every layer is had). */
  ask(peer: HashPeer): void {
    if (this.fetch.done) return;
    for (const range of this.fetch.next(peer.id, this.hooks.clock(), REQUESTS_PER_PEER)) peer.send({ type: 'hash-request', ...range });
  }

  peerGone(peer: HashPeer): void {
    this.fetch.peerGone(peer.id);
  }

  private serve(peer: HashPeer, request: HashRange): void {
    const tree = this.treeFor(request.piecesRoot);
    const range = copyRange(request);
    if (tree === undefined || peer.backlogged?.() || rangeProblem(range, tree.shape) !== undefined) return peer.send({ type: 'hash-reject', ...range });
    peer.send({ type: 'hashes', ...range, hashes: tree.hashes(range) });
  }

  private treeFor(root: Buffer): PieceLayerTree | undefined {
    const key = root.toString('hex');
    const cached = this.trees.get(key);
    if (cached) return cached;
    const file = this.files.get(key);
    const layer = this.metainfo.pieceLayers.get(key);
    if (!file || !layer) return undefined;
    const tree = new PieceLayerTree(treeShape(file.length, this.metainfo.pieceLength), layer);
    this.trees.set(key, tree);
    return tree;
  }
}

/** The request's root is a view of the peer's read buffer: the answer must not alias it. */
function copyRange(range: HashRange): HashRange {
  return { piecesRoot: Buffer.from(range.piecesRoot), baseLayer: range.baseLayer, index: range.index, length: range.length, proofLayers: range.proofLayers };
}
