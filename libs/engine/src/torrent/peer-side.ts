import type { EstablishedConnection } from '../net/handshake-exchange';
import type { DisconnectReason } from '../peer/disconnect-reason';
import type { HashMessage } from '../peer/peer-handler';
import type { ChokeMode } from '../policy';
import { TorrentExtensions } from '../peer/torrent-extensions';
import { ChokeLoop } from './choke-loop';
import { PeerEvents } from './peer-events';
import { PeerRoster } from './peer-roster';
import { Requester } from './requester';
import { SuperSeeding } from './super-seeding';
import { type PeerAddress, Swarm } from './swarm';
import type { TorrentCore } from './torrent-core';
import type { TorrentEventEmitter } from './torrent-events';
import type { TorrentPeer } from './torrent-peer';
import type { AddTorrentOptions, SessionLink } from './torrent-options';
import type { TorrentState } from './torrent-types';
import { UploadCache } from './upload-cache';
import { Uploader } from './uploader';

/** Whole pieces kept for seeding: peers fetch a piece's blocks one after another. */
const DEFAULT_READ_CACHE_BYTES = 16 * 1024 * 1024;

export interface PeerSideOptions<Owner> {
  readonly owner: Owner;
  readonly infoHash: Buffer;
  readonly core: TorrentCore;
  readonly session: SessionLink<Owner>;
  readonly options: AddTorrentOptions;
  readonly events: TorrentEventEmitter;
  readonly state: () => TorrentState;
  /** Every block of a piece is in: verify and store it. */
  readonly onPieceComplete: (index: number) => void;
  /** A read for an upload failed. */
  readonly onStorageError: (error: unknown) => void;
  /** The peer (id hex) has not earned trust yet: it gets whole pieces of its own (SmartBan). */
  readonly onProbation?: (peerIdHex: string) => boolean;
  /** BEP 52 hash messages, and who may be asked for hashes (v2 and hybrid torrents only). */
  readonly onHashMessage?: (peer: TorrentPeer, message: HashMessage) => void;
  readonly onPeerAdmitted?: (peer: TorrentPeer) => void;
  readonly onPeerLeft?: (peer: TorrentPeer) => void;
}

/**
 * Everything that talks to peers, wired together: Swarm finds and dials them, PeerRoster admits them,
 * PeerEvents routes their messages, Requester fills our requests, Uploader serves theirs and ChokeLoop
 * chokes. The torrent starts and stops it as a whole.
 */
export class PeerSide<Owner> {
  readonly swarm: Swarm<Owner>;
  readonly roster: PeerRoster<Owner>;
  readonly requester: Requester;
  readonly uploader: Uploader;
  private readonly chokeLoop: ChokeLoop;
  private readonly extensions: TorrentExtensions;
  /** BEP 16, when asked for (AddTorrentOptions.superSeed). */
  private readonly superSeeding: SuperSeeding | undefined;
  /** While started: a ban made anywhere in the session (another torrent's conviction) closes our connections from that address. */
  private unsubscribeBans: (() => void) | undefined;

  constructor(private readonly wiring: PeerSideOptions<Owner>) {
    const { core, session, options, events, state } = wiring;
    this.requester = new Requester(core, wiring.onPieceComplete, wiring.onProbation);
    const superSeeding = options.superSeed ? new SuperSeeding(core) : undefined;
    this.superSeeding = superSeeding;
    const uploadSlots = UploadCache.slotsFor(options.readCacheBytes ?? DEFAULT_READ_CACHE_BYTES, core.metainfo.pieceLength);
    this.uploader = new Uploader(core, new UploadCache(options.store, core.metainfo.pieceLength, uploadSlots), wiring.onStorageError, superSeeding);
    const cooperative = options.chokeMode === 'cooperative';
    this.chokeLoop = new ChokeLoop(core, {
      mode: (): ChokeMode => (cooperative ? 'cooperative' : state() === 'seeding' ? 'seeding' : 'tit-for-tat'),
      slots: options.unchokeSlots ?? (cooperative ? 8 : 4),
      onChoked: (peer) => this.uploader.onChoked(peer),
    });
    this.extensions = new TorrentExtensions({
      infoRaw: core.metainfo.infoRaw,
      pex: !core.metainfo.private && options.pex !== false,
      clock: session.clock,
      port: session.port,
      subjects: () => core.peers.values(),
      onPeers: (peers) => this.swarm.add(peers),
      isBanned: (host) => session.bans?.isBanned(host) ?? false,
    });
    const handler = new PeerEvents({
      peerOf: (connection) => this.roster.peerOf(connection),
      requester: this.requester,
      uploader: this.uploader,
      chokeLoop: this.chokeLoop,
      onAnnounced: (peer) => {
        this.roster.dropIfBothSeeds(peer);
        superSeeding?.announced(peer);
      },
      onHave: superSeeding && ((peer, index) => superSeeding.peerHave(peer, index)),
      onClosed: (peer, reason) => this.roster.closed(peer, reason),
      extensions: this.extensions,
      onHashMessage: wiring.onHashMessage,
    });
    this.swarm = new Swarm({
      owner: wiring.owner,
      limits: session.limits,
      infoHash: wiring.infoHash,
      peerId: session.peerId,
      flags: session.flags,
      clock: session.clock,
      dhtPorts: session.dhtPorts,
      encryption: session.encryption,
      isBanned: (host) => session.bans?.isBanned(host) ?? false,
      onConnected: (connection, candidate) => this.roster.attach(connection, candidate),
    });
    this.roster = new PeerRoster({
      owner: wiring.owner,
      core,
      session,
      swarm: this.swarm,
      handler,
      extensions: this.extensions,
      accepting: () => state() === 'downloading' || state() === 'seeding',
      greeting: superSeeding && ((peer) => superSeeding.greeting(peer)),
      onConnected: (peer) => {
        events.emit('peer', { type: 'connected', address: peer.address, client: peer.client });
        wiring.onPeerAdmitted?.(peer);
      },
      onClosed: (peer, reason) => {
        this.requester.peerGone(peer);
        superSeeding?.left(peer);
        this.chokeLoop.peerLeft();
        wiring.onPeerLeft?.(peer);
        events.emit('peer', { type: 'disconnected', address: peer.address, client: peer.client, reason: `${reason.code}: ${reason.message}` });
        // Its requests are free again: others may take them now rather than at the next tick.
        if (state() === 'downloading') this.requester.fillAll();
      },
    });
  }

  addPeers(peers: readonly PeerAddress[]): void {
    this.swarm.add(peers);
  }

  /** An incoming connection the listener routed here (it holds an open slot). */
  acceptIncoming(connection: EstablishedConnection): void {
    this.roster.attach(connection, undefined);
  }

  /** Dials, serves and chokes; requests only when `downloading`. */
  start(downloading: boolean): void {
    if (downloading) this.requester.start();
    else this.requester.stop();
    this.uploader.start();
    this.swarm.start();
    this.chokeLoop.start();
    this.unsubscribeBans ??= this.wiring.session.bans?.onBan((entry) => this.roster.closeAddress(entry.ip, entry.reason));
  }

  /** Stops every timer and closes every connection with `reason`. */
  stop(reason: DisconnectReason): void {
    this.swarm.stop();
    this.chokeLoop.stop();
    this.requester.stop();
    this.uploader.stop();
    this.unsubscribeBans?.();
    this.unsubscribeBans = undefined;
    this.roster.closeAll(reason);
  }

  /** The torrent's 1 s tick: request timeouts, refills, more dials. */
  tick(): void {
    this.requester.checkTimeouts();
    this.requester.fillAll();
    this.swarm.connectMore();
    this.extensions.tick();
    this.superSeeding?.tick();
  }

  /** Every piece is had: no more requests, no interest, and seeds have nothing to trade with us. */
  finished(): void {
    this.requester.stop();
    for (const peer of [...this.wiring.core.peers.values()]) {
      peer.connection.notInterested();
      this.roster.dropIfBothSeeds(peer);
    }
  }
}
