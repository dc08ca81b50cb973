import type { Metainfo } from '@seedfleet/metainfo';
import type { EstablishedConnection } from '../net/handshake-exchange';
import { type DisconnectReason, disconnectReason } from '../peer/disconnect-reason';
import { PieceVerifier } from '../storage/piece-verifier';
import { saveResumeData } from '../storage/resume-file';
import { Announcing } from './announcing';
import { CompletionSignal } from './completion-signal';
import { PeerSide } from './peer-side';
import { WebSeeding, webSeedSettings } from './web-seeding';
import { PieceCompletion } from './piece-completion';
import { PieceOutcomes } from './piece-outcomes';
import { ResumeSaver } from './resume-saver';
import { SmartBan } from './smart-ban';
import { startupPieces } from './startup-pieces';
import { toTorrentError } from './storage-failure';
import { HashService } from '../v2/hash-service';
import { v2Wiring } from './v2-wiring';
import type { PeerAddress } from './swarm';
import { createTorrentCore, type TorrentCore } from './torrent-core';
import { TorrentEventEmitter } from './torrent-events';
import type { AddTorrentOptions, SessionLink } from './torrent-options';
import { PROGRESS_INTERVAL_MS, TorrentProgressTracker } from './torrent-progress';
import { type StartupCheck, TorrentError, type TorrentEvents, type TorrentProgress, type TorrentState } from './torrent-types';

/**
 * One torrent: the state machine (STATE.md) over small collaborators. PeerSide talks to peers (dials,
 * requests, serves, chokes), PieceAssembler holds piece buffers, PieceCompletion verifies and stores,
 * PieceOutcomes announces stored pieces and blames bad senders, Announcing talks to trackers,
 * TorrentProgressTracker counts. Peer input reaches them through PeerEvents and never throws out.
 */
export class Torrent {
  readonly infoHash: Buffer;
  readonly metainfo: Metainfo;
  private stateValue: TorrentState = 'checking';
  private readonly events = new TorrentEventEmitter();
  private readonly core: TorrentCore;
  private readonly peers: PeerSide<Torrent>;
  private readonly webSeeding: WebSeeding;
  private readonly completion: PieceCompletion;
  private readonly verifier: PieceVerifier;
  private readonly resumeSaver: ResumeSaver | undefined;
  private readonly announcing: Announcing;
  /** BEP 52 hash messages: served for v2 and hybrid torrents, piece layers fetched for v2 ones joined without them. */
  private readonly hashes: HashService | undefined;
  private readonly outcomes: PieceOutcomes;
  private readonly tracker: TorrentProgressTracker;
  private readonly complete = new CompletionSignal();
  private startupResult: StartupCheck | undefined;
  /** Aborted by stop(): a check still running has no one to report to. */
  private readonly stopping = new AbortController();
  private errorText: string | undefined;
  private tickTimer: NodeJS.Timeout | undefined;

  private readonly session: SessionLink<Torrent>;
  private readonly v2: ReturnType<typeof v2Wiring<Torrent>>;

  constructor(
    private readonly options: AddTorrentOptions,
    sessionLink: SessionLink<Torrent>,
  ) {
    const { metainfo } = options;
    const v2 = v2Wiring(metainfo, sessionLink);
    this.v2 = v2;
    const session = v2.session;
    this.session = session;
    this.metainfo = metainfo;
    this.infoHash = v2.infoHash;
    this.core = createTorrentCore(options, session);
    this.tracker = new TorrentProgressTracker(metainfo, this.core);
    this.verifier = new PieceVerifier(metainfo, session.hashPool);
    this.resumeSaver = options.resumePath === undefined ? undefined : new ResumeSaver(() => saveResumeData(options.resumePath!, { metainfo, have: this.core.have, store: options.store }), session.clock);
    this.hashes = metainfo.infoHashV2
      ? new HashService(metainfo, {
          clock: session.clock,
          onLayer: (file) => v2.layerArrived(this.core, file, () => this.layerArrived()),
          onBadHashes: (peer, why) => this.peers.roster.ban(peer.id, `sent hashes that do not prove out: ${why}`),
        })
      : undefined;
    this.completion = new PieceCompletion(this.core, this.verifier, {
      onStored: (index, data, senders) => this.outcomes.stored(index, data, senders),
      onFailed: (index, data, senders) => this.outcomes.failed(index, data, senders),
      onStorageError: (error) => this.fail(error),
    });
    const smartBan = new SmartBan();
    this.peers = new PeerSide({
      owner: this,
      onProbation: (peerIdHex) => smartBan.onProbation(peerIdHex),
      infoHash: this.infoHash,
      core: this.core,
      session,
      options,
      events: this.events,
      state: () => this.stateValue,
      onPieceComplete: (index) => this.completion.complete(index),
      onStorageError: (error) => this.fail(error),
      onHashMessage: this.hashes && ((peer, message) => this.hashes!.onMessage(v2.hashPeer(peer), message)),
      onPeerAdmitted: this.hashes && ((peer) => this.hashes!.ask(v2.hashPeer(peer))),
      onPeerLeft: this.hashes && ((peer) => this.hashes!.peerGone(v2.hashPeer(peer))),
    });
    this.webSeeding = new WebSeeding(this.core, {
      ...webSeedSettings(options, session),
      peers: this.peers,
      peersExpected: () => this.announcing.firstAnswerPending,
      onPieceComplete: (index) => this.completion.complete(index),
      onError: (error) => this.events.emit('webSeed', { url: error.url, code: error.code, error: error.message }),
    });
    this.outcomes = new PieceOutcomes(this.core, {
      requester: this.peers.requester,
      smartBan,
      convict: (sender, index, why) => this.webSeeding.strike(sender, index) || this.peers.roster.ban(sender, why),
      onStored: (index) => {
        this.tracker.pieceHad(index);
        this.events.emit('piece', index);
      },
      onFinished: () => this.finished(),
      onWanted: () => this.webSeeding.schedule(),
    });
    this.announcing = new Announcing({
      tiers: [...metainfo.announce, ...(options.trackers ?? [])].filter((tier) => tier.length > 0),
      infoHash: this.infoHash,
      alsoInfoHashes: v2.alsoInfoHashes,
      peerId: session.peerId,
      port: session.port,
      stats: () => ({ uploaded: this.core.stats.uploaded, downloaded: this.core.stats.received, left: this.metainfo.totalSize - this.tracker.haveBytes }),
      onPeers: (peers) => this.peers.addPeers(peers),
      onFailure: (failure) => this.events.emit('tracker', failure),
      clock: session.clock,
      random: session.random,
    });
    if (options.maxConnections !== undefined) session.limits.setTorrentLimit(this, options.maxConnections);
    if (this.hashes) v2.holdWaitingFiles(this.core, this.hashes.waitingFiles);
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
    return this.tracker.snapshot(this.stateValue, { error: this.errorText, webSeedDownloaded: this.webSeeding.downloaded, webSeeds: this.webSeeding.count });
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
    this.peers.addPeers([peer]);
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
    this.peers.addPeers(this.options.peers ?? []);
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
    this.peers.acceptIncoming(connection);
  }

  /** While checking, progress events come from the check (at most one a second) since the tick is not running. */
  private checkProgress(done: number, total: number): void {
    if (this.tracker.checkAdvanced(done, total)) this.emitProgress();
  }

  private activate(): void {
    this.setState(this.core.have.isFull || this.options.uploadOnly ? 'seeding' : 'downloading');
    this.peers.start(this.stateValue === 'downloading');
    this.announcing.start();
    // After the announce is out: fallback waits for the peers it may bring.
    if (this.stateValue === 'downloading') this.webSeeding.start();
    this.tickTimer = setInterval(() => this.tick(), PROGRESS_INTERVAL_MS);
    this.tickTimer.unref();
    if (this.core.have.isFull) this.announceComplete();
  }

  /** 'complete' once per torrent, whether it started complete or finished downloading (maybe while paused). */
  private announceComplete(): void {
    if (this.complete.resolve()) this.events.emit('complete', undefined);
  }

  private deactivate(reason: DisconnectReason): void {
    void this.announcing.stop();
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.peers.stop(reason);
    this.webSeeding.stop();
  }

  private tick(): void {
    void this.saveResume('periodic');
    this.peers.tick();
    if (this.hashes?.fetching) for (const peer of this.core.peers.values()) this.hashes.ask(this.v2.hashPeer(peer));
    this.webSeeding.schedule();
    if (this.core.peers.size === 0 && this.stateValue === 'downloading') this.announcing.wantPeers();
    this.emitProgress();
  }

  private emitProgress(): void {
    this.events.emit('progress', this.progress());
  }

  private markHave(index: number): void {
    if (this.core.have.has(index)) return;
    this.core.have.set(index);
    this.core.picker.setHave(index);
    this.tracker.pieceHad(index);
  }

  /** A piece layer fetched from peers was proven: its file's pieces are wanted now. */
  private layerArrived(): void {
    for (const peer of this.core.peers.values()) this.peers.requester.updateInterest(peer);
    this.peers.requester.fillAll();
    this.webSeeding.schedule();
  }

  private finished(): void {
    // A piece verified after pause() completes the torrent without waking it; resume() makes it a seed.
    if (this.stateValue === 'downloading') this.setState('seeding');
    this.peers.finished();
    this.webSeeding.stop();
    this.emitProgress();
    void this.saveResume('final');
    this.announcing.completed();
    this.announceComplete();
  }

  /** Resume data: at most every 30 s while pieces arrive, and at completion and stop (ResumeSaver). */
  private async saveResume(when: 'periodic' | 'final'): Promise<void> {
    if (this.stateValue !== 'checking') await this.resumeSaver?.saveOrWarn(this.core.have.count, when === 'final', this.metainfo.name);
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
