import type { Bitfield } from '@seedfleet/wire';
import { canonicalIp } from '../ban/canonical-ip';
import { PeerAddresses } from '../ban/peer-addresses';
import type { EstablishedConnection } from '../net/handshake-exchange';
import { type DisconnectReason, disconnectReason } from '../peer/disconnect-reason';
import { PeerConnection } from '../peer/peer-connection';
import type { PeerHandler } from '../peer/peer-handler';
import type { TorrentExtensions } from '../peer/torrent-extensions';
import { addressKey, type Swarm } from './swarm';
import type { TorrentCore } from './torrent-core';
import type { SessionLink } from './torrent-options';
import { TorrentPeer } from './torrent-peer';

export interface PeerRosterOptions<Owner> {
  readonly owner: Owner;
  readonly core: TorrentCore;
  readonly session: SessionLink<Owner>;
  readonly swarm: Swarm<Owner>;
  readonly handler: PeerHandler;
  /** Builds our BEP 10 handshake (ut_metadata, ut_pex unless private). */
  readonly extensions: TorrentExtensions;
  /** Whether the torrent takes connections now. */
  readonly accepting: () => boolean;
  readonly onConnected: (peer: TorrentPeer) => void;
  /** The pieces to greet the peer with (default: ours; super-seeding hides them). */
  readonly greeting?: (peer: TorrentPeer) => Bitfield;
  /** After the roster forgot the peer and gave its slot back. */
  readonly onClosed: (peer: TorrentPeer, reason: DisconnectReason) => void;
}

/**
 * Who the torrent is connected to: turns handshaken sockets into PeerConnections (greeting them with our
 * pieces and extension handshake), refuses banned and duplicate peers, resolves two peers dialing each
 * other to the same one connection on both sides, and gives every slot back when a connection closes.
 */
export class PeerRoster<Owner> {
  private readonly byConnection = new Map<PeerConnection, TorrentPeer>();
  private readonly candidateOf = new Map<TorrentPeer, string>();
  private readonly bannedIds = new Set<string>();
  /** Where recent peer ids came from: a peer convicted after it left is still banned by address. */
  private readonly addresses = new PeerAddresses();
  private nextNumber = 0;

  constructor(private readonly options: PeerRosterOptions<Owner>) {}

  peerOf(connection: PeerConnection): TorrentPeer | undefined {
    return this.byConnection.get(connection);
  }

  /** A connection past the handshake holding an open slot; `candidate` when we dialed it. */
  attach(established: EstablishedConnection, candidate: string | undefined): void {
    const { core, session, swarm, owner } = this.options;
    const peerIdHex = established.remote.peerId.toString('hex');
    const existing = [...core.peers.values()].find((peer) => peer.peerIdHex === peerIdHex);
    const duplicate = existing !== undefined && !this.replaces(existing, candidate !== undefined);
    const banned = this.bannedIds.has(peerIdHex) || (session.bans?.isBanned(established.socket.remoteAddress ?? '') ?? false);
    if (!this.options.accepting() || banned || duplicate) {
      established.socket.destroy();
      session.limits.close(owner);
      if (candidate) swarm.disconnected(candidate, banned ? 'banned' : 'duplicate');
      return;
    }
    const connection = new PeerConnection({ ...established, localFlags: session.flags, handler: this.options.handler, geometry: core.wireGeometry, clock: session.clock });
    const peer = new TorrentPeer(`${addressKey(connection.remoteAddress, connection.remotePort)}#${this.nextNumber++}`, connection, core.clock(), candidate !== undefined);
    this.byConnection.set(connection, peer);
    core.peers.set(peer.id, peer);
    this.addresses.remember(peerIdHex, connection.remoteAddress);
    if (candidate) this.candidateOf.set(peer, candidate);
    connection.announcePieces(this.options.greeting?.(peer) ?? core.have);
    if (connection.extensionProtocol) {
      connection.sendExtensionHandshake(this.options.extensions.handshake(connection));
    }
    this.options.onConnected(peer);
    connection.start();
  }

  /** The connection closed (PeerHandler.onClose). */
  closed(peer: TorrentPeer, reason: DisconnectReason): void {
    this.byConnection.delete(peer.connection);
    this.options.core.peers.delete(peer.id);
    this.options.session.limits.close(this.options.owner);
    const candidate = this.candidateOf.get(peer);
    this.candidateOf.delete(peer);
    if (candidate) this.options.swarm.disconnected(candidate, reason.code);
    this.options.onClosed(peer, reason);
  }

  /**
   * Refuses this peer id from now on, and its IP address (the session's BanList) unless other peers we are
   * connected to share it (a NAT, or one host running several clients: honest peers are never banned);
   * closes their connections.
   */
  ban(peerIdHex: string, why: string): void {
    this.bannedIds.add(peerIdHex);
    const { bans } = this.options.session;
    const address = canonicalIp(this.addresses.addressOf(peerIdHex) ?? '');
    const shared = [...this.options.core.peers.values()].some((peer) => peer.peerIdHex !== peerIdHex && canonicalIp(peer.connection.remoteAddress) === address);
    if (address !== undefined && !shared) bans?.ban(address, why);
    for (const peer of [...this.options.core.peers.values()]) {
      if (peer.peerIdHex !== peerIdHex && !bans?.isBanned(peer.connection.remoteAddress)) continue;
      const candidate = this.candidateOf.get(peer);
      if (candidate) this.options.swarm.forbid(candidate);
      peer.connection.close(disconnectReason('banned', why));
    }
  }

  /** Two seeds have nothing to trade. */
  dropIfBothSeeds(peer: TorrentPeer): void {
    if (this.options.core.have.isFull && peer.isSeed) peer.connection.close(disconnectReason('not-useful', 'both sides are seeds'));
  }

  /** The address was banned: closes every connection from it. */
  closeAddress(ip: string, why: string): void {
    for (const peer of [...this.options.core.peers.values()]) {
      if (canonicalIp(peer.connection.remoteAddress) === ip) peer.connection.close(disconnectReason('banned', why));
    }
  }

  closeAll(reason: DisconnectReason): void {
    for (const peer of [...this.options.core.peers.values()]) peer.connection.close(reason);
  }

  /**
   * A second connection with a peer id we are connected to: both ends must drop the same one, or the pair
   * loses both. That happens when two peers dial each other at once, and when one peer dials us twice
   * (libtorrent dials a hybrid torrent's peer once per info hash it announced). libtorrent's rule
   * (bt_peer_connection.cpp), which both ends compute alike: the new connection replaces the existing one
   * when (remote peer id < ours) equals "the new connection is outgoing"; otherwise the new one goes.
   * Of two crossing dials the one made by the greater peer id survives; of two dials by one side the
   * newest survives when the dialer has the greater peer id, else the oldest. Returns whether the new
   * connection wins (the existing one is closed then).
   */
  private replaces(existing: TorrentPeer, newIsOutgoing: boolean): boolean {
    const remoteIsLower = Buffer.compare(existing.connection.peerId, this.options.session.peerId) < 0;
    if (remoteIsLower !== newIsOutgoing) return false;
    existing.connection.close(disconnectReason('duplicate', 'a second connection to this peer replaces this one'));
    return true;
  }
}
