import { type Metainfo, pieceSize } from '@seedfleet/metainfo';
import { Bitfield } from '@seedfleet/wire';
import type { EstablishedConnection } from '../net/handshake-exchange';
import { type DisconnectReason, disconnectReason } from '../peer/disconnect-reason';
import type { PieceGeometry } from '../peer/peer-options';
import { blockCountsOf, type ChokeMode, PiecePicker, type TokenBucket } from '../policy';
import { PieceVerifier } from '../storage/piece-verifier';
import { saveResumeData } from '../storage/resume-file';
import { Announcing } from './announcing';
import { ChokeLoop } from './choke-loop';
import { DEFAULT_ASSEMBLY_BUDGET, PieceAssembler } from './piece-assembler';
import { ResumeSaver } from './resume-saver';
import { PieceCompletion } from './piece-completion';
import { PeerEvents } from './peer-events';
import { PeerRoster } from './peer-roster';
import { limitBucket, RateGate } from './rate-limits';
import { Requester } from './requester';
import { SmartBan } from './smart-ban';
import { startupPieces } from './startup-pieces';
import { dataBytes, toTorrentError } from './storage-failure';
import { type PeerAddress, Swarm } from './swarm';
import { type TorrentCore, TorrentTraffic } from './torrent-core';
import { TorrentEventEmitter } from './torrent-events';
import type { AddTorrentOptions, SessionLink } from './torrent-options';
import type { TorrentPeer } from './torrent-peer';
import { type StartupCheck, TorrentError, type TorrentEvents, type TorrentProgress, type TorrentState } from './torrent-types';
import { UploadCache } from './upload-cache';
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
  private readonly roster: PeerRoster<Torrent>;
  private readonly smartBan = new SmartBan();
  private readonly downBucket: TokenBucket | undefined;
  private readonly upBucket: TokenBucket | undefined;
  private readonly complete: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void };
  private haveBytes = 0;
  private checked: { done: number; total: number } | undefined;
  private startupResult: StartupCheck | undefined;
  private lastCheckEventAt = -Infinity;
  private completeAnnounced = false;
  /** Aborted by stop(): a check still running has no one to report to. */
  private readonly stopping = new AbortController();
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
      // Every buffer in flight comes back to be reused: no 1 MiB garbage per piece for V8 to collect late.
      assembler: new PieceAssembler(geometry, maxPartialPieces),
      peers: new Map(),
      clock: session.clock,
      random: session.random,
      downGate: new RateGate(() => buckets(session.downBucket, this.downBucket)),
      upGate: new RateGate(() => buckets(session.upBucket, this.upBucket)),
      stats: new TorrentTraffic(now),
    };
    this.verifier = new PieceVerifier(metainfo, session.hashPool);
    this.resumeSaver = options.resumePath === undefined ? undefined : new ResumeSaver(() => saveResumeData(options.resumePath!, { metainfo, have: this.core.have, store: options.store }), session.clock);
    this.completion = new PieceCompletion(this.core, this.verifier, {
      onStored: (index, data) => this.pieceStored(index, data),
      onFailed: (index, data, senders) => this.pieceFailed(index, data, senders),
      onStorageError: (error) => this.fail(error),
    });
    this.requester = new Requester(this.core, (index) => this.completion.complete(index));
    const uploadSlots = UploadCache.slotsFor(options.readCacheBytes ?? DEFAULT_READ_CACHE_BYTES, metainfo.pieceLength);
    this.uploader = new Uploader(this.core, new UploadCache(options.store, metainfo.pieceLength, uploadSlots), (error) => this.fail(error));
    const cooperative = options.chokeMode === 'cooperative';
    this.chokeLoop = new ChokeLoop(this.core, {
      mode: (): ChokeMode => (cooperative ? 'cooperative' : this.stateValue === 'seeding' ? 'seeding' : 'tit-for-tat'),
      slots: options.unchokeSlots ?? (cooperative ? 8 : 4),
      onChoked: (peer) => this.uploader.onChoked(peer),
    });
    const handler = new PeerEvents({
      peerOf: (connection) => this.roster.peerOf(connection),
      requester: this.requester,
      uploader: this.uploader,
      chokeLoop: this.chokeLoop,
      onAnnounced: (peer) => this.roster.dropIfBothSeeds(peer),
      onClosed: (peer, reason) => this.roster.closed(peer, reason),
    });
    this.swarm = new Swarm({
      owner: this,
      limits: session.limits,
      infoHash: this.infoHash,
      peerId: session.peerId,
      flags: session.flags,
      clock: session.clock,
      onConnected: (connection, candidate) => this.roster.attach(connection, candidate),
    });
    this.roster = new PeerRoster({
      owner: this,
      core: this.core,
      session,
      swarm: this.swarm,
      handler,
      accepting: () => this.acceptsPeers,
      onConnected: (peer) => this.events.emit('peer', { type: 'connected', address: peer.address, client: peer.client }),
      onClosed: (peer, reason) => this.peerClosed(peer, reason),
    });
    this.announcing = new Announcing({
      tiers: [...metainfo.announce, ...(options.trackers ?? [])].filter((tier) => tier.length > 0),
      infoHash: this.infoHash,
      peerId: session.peerId,
      port: session.port,
      stats: () => ({ uploaded: this.core.stats.uploaded, downloaded: this.core.stats.received, left: this.metainfo.totalSize - this.haveBytes }),
      onPeers: (peers) => this.swarm.add(peers),
      onFailure: (failure) => this.events.emit('tracker', failure),
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
      const { have, check } = await startupPieces({
        ...this.options,
        verifier: this.verifier,
        onProgress: (done, total) => this.checkProgress(done, total),
        signal: this.stopping.signal,
      });
      this.startupResult = check;
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
    this.stopping.abort();
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
    this.roster.attach(connection, undefined);
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
    this.setState(this.core.have.isFull || this.options.uploadOnly ? 'seeding' : 'downloading');
    if (this.stateValue === 'downloading') this.requester.start();
    else this.requester.stop();
    this.uploader.start();
    this.swarm.start();
    this.chokeLoop.start();
    this.announcing.start();
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.tickTimer.unref();
    if (this.core.have.isFull) this.announceComplete();
  }

  /** 'complete' once per torrent, whether it started complete or finished downloading (maybe while paused). */
  private announceComplete(): void {
    if (this.completeAnnounced) return;
    this.completeAnnounced = true;
    this.events.emit('complete', undefined);
    this.complete.resolve();
  }

  private deactivate(reason: DisconnectReason): void {
    void this.announcing.stop();
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.swarm.stop();
    this.chokeLoop.stop();
    this.requester.stop();
    this.uploader.stop();
    this.roster.closeAll(reason);
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

  private peerClosed(peer: TorrentPeer, reason: DisconnectReason): void {
    this.requester.peerGone(peer);
    this.events.emit('peer', { type: 'disconnected', address: peer.address, client: peer.client, reason: `${reason.code}: ${reason.message}` });
    // Its requests are free again: others may take them now rather than at the next tick.
    if (this.stateValue === 'downloading') this.requester.fillAll();
  }

  private markHave(index: number): void {
    if (this.core.have.has(index)) return;
    this.core.have.set(index);
    this.core.picker.setHave(index);
    this.haveBytes += dataBytes(this.metainfo, index);
  }

  private pieceStored(index: number, data: Buffer): void {
    this.haveBytes += dataBytes(this.metainfo, index);
    for (const peerIdHex of this.smartBan.verified(index, data)) this.roster.ban(peerIdHex, `sent bad data for piece ${index}`);
    for (const peer of this.core.peers.values()) {
      if (!peer.connection.pieces?.has(index)) peer.connection.have(index);
    }
    this.events.emit('piece', index);
    if (this.core.have.isFull) this.finished();
    else this.requester.fillAll();
  }

  private finished(): void {
    this.requester.stop();
    // A piece verified after pause() completes the torrent without waking it; resume() makes it a seed.
    if (this.stateValue === 'downloading') this.setState('seeding');
    for (const peer of [...this.core.peers.values()]) {
      peer.connection.notInterested();
      this.roster.dropIfBothSeeds(peer);
    }
    this.emitProgress();
    void this.saveResume('final');
    this.announcing.completed();
    this.announceComplete();
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
    for (const peerIdHex of this.smartBan.failed(index, data, senders)) this.roster.ban(peerIdHex, `sent data for piece ${index} that failed its hash check`);
    // The piece is wanted again: peers we lost interest in while it was verifying may have it.
    for (const peer of this.core.peers.values()) {
      if (!peer.connection.amInterested) this.requester.updateInterest(peer);
    }
    this.requester.fillAll();
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
