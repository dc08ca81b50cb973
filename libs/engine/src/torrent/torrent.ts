import { type Metainfo, pieceSize, pieceSpans } from '@seedfleet/metainfo';
import { Bitfield } from '@seedfleet/wire';
import type { EstablishedConnection } from '../net/handshake-exchange';
import { type DisconnectReason, disconnectReason } from '../peer/disconnect-reason';
import { PeerConnection } from '../peer/peer-connection';
import type { PieceGeometry } from '../peer/peer-options';
import { blockCountsOf, type ChokeMode, PiecePicker, type TokenBucket } from '../policy';
import { loadVerifiedPieces } from '../storage/load-verified';
import { StorageError } from '../storage/piece-store';
import { PieceVerifier } from '../storage/piece-verifier';
import { ReadCache } from '../storage/read-cache';
import { saveResumeData } from '../storage/resume-file';
import { Announcing } from './announcing';
import { ChokeLoop } from './choke-loop';
import { DEFAULT_ASSEMBLY_BUDGET, PieceAssembler } from './piece-assembler';
import { ResumeSaver } from './resume-saver';
import { PieceCompletion } from './piece-completion';
import { PeerEvents } from './peer-events';
import { limitBucket, RateGate } from './rate-limits';
import { Requester } from './requester';
import { SmartBan } from './smart-ban';
import { addressKey, type PeerAddress, Swarm } from './swarm';
import { type TorrentCore, TransferStats } from './torrent-core';
import { TorrentEventEmitter } from './torrent-events';
import type { AddTorrentOptions, SessionLink } from './torrent-options';
import { TorrentPeer } from './torrent-peer';
import { type StartupCheck, TorrentError, type TorrentEvents, type TorrentProgress, type TorrentState } from './torrent-types';
import { Uploader } from './uploader';

const TICK_MS = 1000;
/** Whole pieces kept for seeding: peers fetch a piece's blocks one after another. */
const DEFAULT_READ_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * One torrent: the state machine (STATE.md) over small collaborators. Swarm finds and dials peers,
 * Requester fills pipelines, PieceAssembler holds piece buffers, PieceCompletion verifies and stores,
 * Uploader serves, ChokeLoop chokes. Peer input reaches them through PeerEvents and never throws out.
 */
export class Torrent {
  readonly infoHash: Buffer;
  readonly metainfo: Metainfo;
  private stateValue: TorrentState = 'checking';
  private readonly events = new TorrentEventEmitter();
  private readonly core: TorrentCore;
  private readonly swarm: Swarm<Torrent>;
  private readonly requester: Requester;
  private readonly uploader: Uploader;
  private readonly chokeLoop: ChokeLoop;
  private readonly completion: PieceCompletion;
  private readonly verifier: PieceVerifier;
  private readonly resumeSaver: ResumeSaver | undefined;
  private readonly announcing: Announcing;
  private readonly handler: PeerEvents;
  private readonly byConnection = new Map<PeerConnection, TorrentPeer>();
  private readonly candidateOf = new Map<TorrentPeer, string>();
  private readonly bannedIds = new Set<string>();
  private readonly smartBan = new SmartBan();
  private readonly downBucket: TokenBucket | undefined;
  private readonly upBucket: TokenBucket | undefined;
  private readonly complete: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void };
  private nextPeerNumber = 0;
  private haveBytes = 0;
  private checked: { done: number; total: number } | undefined;
  private startupResult: StartupCheck | undefined;
  private lastCheckEventAt = -Infinity;
  private errorText: string | undefined;
  private tickTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: AddTorrentOptions,
    private readonly session: SessionLink<Torrent>,
  ) {
    const { metainfo } = options;
    if (!metainfo.infoHashV1 || !metainfo.pieces) {
      throw new TorrentError('unsupported', `torrent "${metainfo.name}" is v2-only; this engine joins v1 and hybrid swarms for now`);
    }
    this.metainfo = metainfo;
    this.infoHash = metainfo.infoHashV1;
    const now = session.clock();
    this.downBucket = limitBucket(options.maxDownRate, now);
    this.upBucket = limitBucket(options.maxUpRate, now);
    const geometry: PieceGeometry = { pieceCount: metainfo.pieceCount, pieceSize: (index) => pieceSize(metainfo, index) };
    const sizes = Array.from({ length: metainfo.pieceCount }, (_, index) => geometry.pieceSize(index));
    const maxPartialPieces = PieceAssembler.maxPieces(options.assemblyBudget ?? DEFAULT_ASSEMBLY_BUDGET, metainfo.pieceLength);
    this.core = {
      metainfo,
      geometry,
      picker: new PiecePicker(blockCountsOf(sizes), { random: session.random, maxPartialPieces }),
      have: new Bitfield(metainfo.pieceCount),
      store: options.store,
      assembler: new PieceAssembler(geometry),
      peers: new Map(),
      clock: session.clock,
      random: session.random,
      downGate: new RateGate(() => buckets(session.downBucket, this.downBucket)),
      upGate: new RateGate(() => buckets(session.upBucket, this.upBucket)),
      stats: new TransferStats(now),
    };
    this.verifier = new PieceVerifier(metainfo, session.hashPool);
    this.resumeSaver = options.resumePath === undefined ? undefined : new ResumeSaver(() => saveResumeData(options.resumePath!, { metainfo, have: this.core.have, store: options.store }), session.clock);
    this.completion = new PieceCompletion(this.core, this.verifier, {
      onStored: (index, data) => this.pieceStored(index, data),
      onFailed: (index, data, senders) => this.pieceFailed(index, data, senders),
      onStorageError: (error) => this.fail(error),
    });
    this.requester = new Requester(this.core, (index) => this.completion.complete(index));
    this.uploader = new Uploader(this.core, new ReadCache(options.store, { maxBytes: options.readCacheBytes ?? DEFAULT_READ_CACHE_BYTES }), (error) => this.fail(error));
    const cooperative = options.chokeMode === 'cooperative';
    this.chokeLoop = new ChokeLoop(this.core, {
      mode: (): ChokeMode => (cooperative ? 'cooperative' : this.stateValue === 'seeding' ? 'seeding' : 'tit-for-tat'),
      slots: options.unchokeSlots ?? (cooperative ? 8 : 4),
      onChoked: (peer) => this.uploader.onChoked(peer),
    });
    this.handler = new PeerEvents({
      peerOf: (connection) => this.byConnection.get(connection),
      requester: this.requester,
      uploader: this.uploader,
      chokeLoop: this.chokeLoop,
      onAnnounced: (peer) => this.dropIfBothSeeds(peer),
      onClosed: (peer, reason) => this.peerClosed(peer, reason),
    });
    this.swarm = new Swarm({
      owner: this,
      limits: session.limits,
      infoHash: this.infoHash,
      peerId: session.peerId,
      flags: session.flags,
      clock: session.clock,
      onConnected: (connection, candidate) => this.attach(connection, candidate),
    });
    this.announcing = new Announcing({
      tiers: [...metainfo.announce, ...(options.trackers ?? [])].filter((tier) => tier.length > 0),
      infoHash: this.infoHash,
      peerId: session.peerId,
      port: session.port,
      stats: () => ({ uploaded: this.core.stats.uploaded, downloaded: this.core.stats.received, left: this.metainfo.totalSize - this.haveBytes }),
      onPeers: (peers) => this.swarm.add(peers),
      onError: (error) => this.events.emit('tracker', { error: error.message }),
      clock: session.clock,
      random: session.random,
    });
    if (options.maxConnections !== undefined) session.limits.setTorrentLimit(this, options.maxConnections);
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined); // Nobody may be waiting; the error is also the 'error' event.
    this.complete = { promise, resolve, reject };
  }

  get state(): TorrentState {
    return this.stateValue;
  }

  on<K extends keyof TorrentEvents>(event: K, listener: (value: TorrentEvents[K]) => void): this {
    this.events.on(event, listener);
    return this;
  }

  off<K extends keyof TorrentEvents>(event: K, listener: (value: TorrentEvents[K]) => void): this {
    this.events.off(event, listener);
    return this;
  }

  /** Resolves when every piece is had (at once for a seed); rejects if the torrent fails or stops first. */
  whenComplete(): Promise<void> {
    return this.complete.promise;
  }

  /** Accepts connections for this torrent now (the listener routes only to those). */
  get acceptsPeers(): boolean {
    return this.stateValue === 'downloading' || this.stateValue === 'seeding';
  }

  progress(): TorrentProgress {
    const now = this.core.clock();
    let seeds = 0;
    for (const peer of this.core.peers.values()) if (peer.isSeed) seeds++;
    return {
      state: this.stateValue,
      downloaded: this.haveBytes,
      total: this.metainfo.totalSize,
      uploaded: this.core.stats.uploaded,
      downRate: Math.round(this.core.stats.downRate.rate(now)),
      upRate: Math.round(this.core.stats.upRate.rate(now)),
      peers: this.core.peers.size,
      seeds,
      piecesHave: this.core.have.count,
      pieceCount: this.metainfo.pieceCount,
      ...(this.checked && this.stateValue === 'checking' ? { checked: { ...this.checked } } : {}),
      ...(this.errorText ? { error: this.errorText } : {}),
    };
  }

  /** Payload bytes received from peers, useful or not (for tests and statistics). */
  get bytesReceived(): number {
    return this.core.stats.received;
  }

  /** How the startup check went: pieces hashed, pieces trusted from resume data, why resume data was not used. */
  get startupCheck(): StartupCheck | undefined {
    return this.startupResult;
  }

  addPeer(peer: PeerAddress): void {
    this.swarm.add([peer]);
  }

  /** Checks what the store holds, then downloads or seeds. Called by the session. */
  async start(): Promise<void> {
    try {
      await this.core.store.open();
      const have = await this.startupHave();
      for (let index = 0; index < have.size; index++) if (have.has(index)) this.markHave(index);
    } catch (error) {
      return this.fail(error);
    }
    if (this.stateValue !== 'checking') return; // stopped while checking
    this.swarm.add(this.options.peers ?? []);
    this.activate();
  }

  pause(): void {
    if (!this.acceptsPeers) return;
    this.deactivate(disconnectReason('shutdown', 'torrent paused'));
    this.setState('paused');
  }

  resume(): void {
    if (this.stateValue !== 'paused') return;
    this.activate();
  }

  /** Disconnects everyone, flushes the store and leaves the session. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    this.deactivate(disconnectReason('shutdown', 'torrent stopped'));
    const announced = this.announcing.stop();
    this.completion.stop();
    this.core.assembler.clear();
    const wasError = this.stateValue === 'error';
    this.setState('stopped');
    if (!this.core.have.isFull) this.complete.reject(new TorrentError('stopped', `torrent "${this.metainfo.name}" stopped before completing`));
    if (!wasError) await this.saveResume('final');
    await announced;
    try {
      await this.core.store.close();
    } catch {
      // Closing is best effort on the way out; a failed write already put the torrent in error.
    }
    try {
      this.session.limits.removeTorrent(this);
    } catch {
      // A connection still handshaking will find the torrent gone and give its slot back itself.
    }
    this.session.removed(this);
  }

  /** The session's listen port became known: announce now if active. */
  portKnown(): void {
    if (this.acceptsPeers) this.announcing.start();
  }

  /** An incoming connection the listener routed here (it holds an open slot). */
  acceptIncoming(connection: EstablishedConnection): void {
    this.attach(connection, undefined);
  }

  private async startupHave(): Promise<Bitfield> {
    const { pieceCount } = this.metainfo;
    if (this.options.seedOnly) return Bitfield.full(pieceCount);
    if (this.options.have) return this.options.have;
    this.checked = { done: 0, total: pieceCount };
    const result = await loadVerifiedPieces({
      metainfo: this.metainfo,
      store: this.core.store,
      // The pool transfers what it hashes, and a store may hand out views of its own memory
      // (MemoryPieceStore does): hash a copy so the store keeps its bytes.
      verifier: { verify: (index, data) => this.verifier.verify(index, Buffer.from(data)) },
      resumePath: this.options.resumePath,
      onProgress: (done, total) => this.checkProgress(done, total),
    });
    this.startupResult = { checkedPieces: result.checkedPieces, trustedPieces: result.trustedPieces, resumeIgnored: result.resumeIgnored };
    return result.have;
  }

  /** While checking, progress events come from the check (at most one a second) since the tick is not running. */
  private checkProgress(done: number, total: number): void {
    this.checked = { done, total };
    const now = this.core.clock();
    if (now - this.lastCheckEventAt < TICK_MS && done < total) return;
    this.lastCheckEventAt = now;
    this.emitProgress();
  }

  private activate(): void {
    this.setState(this.core.have.isFull ? 'seeding' : 'downloading');
    if (this.core.have.isFull) this.complete.resolve();
    this.requester.start();
    this.uploader.start();
    this.swarm.start();
    this.chokeLoop.start();
    this.announcing.start();
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.tickTimer.unref();
    if (this.stateValue === 'seeding') this.events.emit('complete', undefined);
  }

  private deactivate(reason: DisconnectReason): void {
    void this.announcing.stop();
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.swarm.stop();
    this.chokeLoop.stop();
    this.requester.stop();
    this.uploader.stop();
    for (const peer of [...this.core.peers.values()]) peer.connection.close(reason);
  }

  private tick(): void {
    void this.saveResume('periodic');
    this.requester.checkTimeouts();
    this.requester.fillAll();
    this.swarm.connectMore();
    if (this.core.peers.size === 0 && this.stateValue === 'downloading') this.announcing.wantPeers();
    this.emitProgress();
  }

  private emitProgress(): void {
    this.events.emit('progress', this.progress());
  }

  private attach(established: EstablishedConnection, candidate: string | undefined): void {
    const { limits } = this.session;
    const peerIdHex = established.remote.peerId.toString('hex');
    const existing = [...this.core.peers.values()].find((peer) => peer.peerIdHex === peerIdHex);
    const duplicate = existing !== undefined && !this.replaces(existing, candidate !== undefined);
    if (!this.acceptsPeers || this.bannedIds.has(peerIdHex) || duplicate) {
      established.socket.destroy();
      limits.close(this);
      if (candidate) this.swarm.disconnected(candidate, this.bannedIds.has(peerIdHex) ? 'banned' : 'duplicate');
      return;
    }
    const connection = new PeerConnection({
      ...established,
      localFlags: this.session.flags,
      handler: this.handler,
      geometry: this.core.geometry,
      clock: this.session.clock,
    });
    const peer = new TorrentPeer(`${addressKey(connection.remoteAddress, connection.remotePort)}#${this.nextPeerNumber++}`, connection, this.core.clock(), candidate !== undefined);
    this.byConnection.set(connection, peer);
    this.core.peers.set(peer.id, peer);
    if (candidate) this.candidateOf.set(peer, candidate);
    connection.announcePieces(this.core.have);
    if (connection.extensionProtocol) {
      connection.sendExtensionHandshake({ m: new Map(), v: 'seedfleet 0.1.0', reqq: 500, p: this.session.port() || undefined, unknown: new Map() });
    }
    this.events.emit('peer', { type: 'connected', address: peer.address, client: peer.client });
    connection.start();
  }

  /**
   * Two peers that dial each other at once end up with two connections, and each side must drop the
   * same one: the connection dialed by the side with the lower peer id survives. Returns whether the new
   * connection wins (the existing one is closed then).
   */
  private replaces(existing: TorrentPeer, newIsOutgoing: boolean): boolean {
    if (existing.outgoing === newIsOutgoing) return false;
    const weDialSurvivor = Buffer.compare(this.session.peerId, existing.connection.peerId) < 0;
    if (newIsOutgoing !== weDialSurvivor) return false;
    existing.connection.close(disconnectReason('duplicate', 'a second connection to this peer replaces this one'));
    return true;
  }

  private peerClosed(peer: TorrentPeer, reason: DisconnectReason): void {
    this.byConnection.delete(peer.connection);
    this.core.peers.delete(peer.id);
    this.requester.peerGone(peer);
    this.session.limits.close(this);
    const candidate = this.candidateOf.get(peer);
    this.candidateOf.delete(peer);
    if (candidate) this.swarm.disconnected(candidate, reason.code);
    this.events.emit('peer', { type: 'disconnected', address: peer.address, client: peer.client, reason: `${reason.code}: ${reason.message}` });
    // Its requests are free again: others may take them now rather than at the next tick.
    if (this.stateValue === 'downloading') this.requester.fillAll();
  }

  /** Two seeds have nothing to trade. */
  private dropIfBothSeeds(peer: TorrentPeer): void {
    if (this.core.have.isFull && peer.isSeed) peer.connection.close(disconnectReason('not-useful', 'both sides are seeds'));
  }

  private markHave(index: number): void {
    if (this.core.have.has(index)) return;
    this.core.have.set(index);
    this.core.picker.setHave(index);
    this.haveBytes += dataBytes(this.metainfo, index);
  }

  private pieceStored(index: number, data: Buffer): void {
    this.haveBytes += dataBytes(this.metainfo, index);
    for (const peerIdHex of this.smartBan.verified(index, data)) this.ban(peerIdHex, `sent bad data for piece ${index}`);
    for (const peer of this.core.peers.values()) {
      if (!peer.connection.pieces?.has(index)) peer.connection.have(index);
    }
    this.events.emit('piece', index);
    if (this.core.have.isFull) this.finished();
    else this.requester.fillAll();
  }

  private finished(): void {
    this.requester.stop();
    this.setState('seeding');
    for (const peer of [...this.core.peers.values()]) {
      peer.connection.notInterested();
      this.dropIfBothSeeds(peer);
    }
    this.emitProgress();
    void this.saveResume('final');
    this.announcing.completed();
    this.events.emit('complete', undefined);
    this.complete.resolve();
  }

  /**
   * Resume data: at most every 30 s while pieces arrive, and at completion and stop. A failure to save is
   * reported but does not stop the torrent: the data is fine, only a restart would re-check more.
   */
  private async saveResume(when: 'periodic' | 'final'): Promise<void> {
    if (!this.resumeSaver || this.stateValue === 'checking') return;
    try {
      await this.resumeSaver.save(this.core.have.count, when === 'final');
    } catch (error) {
      process.emitWarning(`torrent "${this.metainfo.name}": saving resume data failed: ${(error as Error).message}`, 'TorrentResumeWarning');
    }
  }

  /** A piece failed its hash: SmartBan names the culprits, now or once the piece passes. */
  private pieceFailed(index: number, data: Buffer, senders: readonly string[]): void {
    this.requester.dropIdleBuffers([index]);
    for (const peerIdHex of this.smartBan.failed(index, data, senders)) this.ban(peerIdHex, `sent data for piece ${index} that failed its hash check`);
    // The piece is wanted again: peers we lost interest in while it was verifying may have it.
    for (const peer of this.core.peers.values()) {
      if (!peer.connection.amInterested) this.requester.updateInterest(peer);
    }
    this.requester.fillAll();
  }

  private ban(peerIdHex: string, why: string): void {
    this.bannedIds.add(peerIdHex);
    for (const peer of [...this.core.peers.values()]) {
      if (peer.peerIdHex !== peerIdHex) continue;
      const candidate = this.candidateOf.get(peer);
      if (candidate) this.swarm.forbid(candidate);
      peer.connection.close(disconnectReason('banned', why));
    }
  }

  /** A storage failure stops the torrent in the error state with a message a person can act on. */
  private fail(error: unknown): void {
    if (this.stateValue === 'error' || this.stateValue === 'stopped') return;
    const wrapped = toTorrentError(error, this.metainfo.name);
    this.errorText = wrapped.message;
    this.deactivate(disconnectReason('shutdown', 'torrent failed'));
    this.completion.stop();
    this.core.assembler.clear();
    this.setState('error');
    this.events.emit('error', wrapped);
    this.complete.reject(wrapped);
  }

  private setState(state: TorrentState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.events.emit('state', state);
  }
}

function buckets(...maybe: (TokenBucket | undefined)[]): TokenBucket[] {
  return maybe.filter((bucket): bucket is TokenBucket => bucket !== undefined);
}

/** File bytes in a piece: pad files are in the piece space but not in the torrent's size. */
function dataBytes(metainfo: Metainfo, index: number): number {
  return pieceSpans(metainfo, index).reduce((sum, span) => sum + span.length, 0);
}

function toTorrentError(error: unknown, name: string): TorrentError {
  if (error instanceof TorrentError) return error;
  if (error instanceof StorageError) {
    const what = error.code === 'no-space' ? 'the disk is full' : `storage failed (${error.code})`;
    return new TorrentError('storage', `torrent "${name}": ${what}: ${error.message}`, { cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new TorrentError('storage', `torrent "${name}": ${text}`, { cause: error });
}
