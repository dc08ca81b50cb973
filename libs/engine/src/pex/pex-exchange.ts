import { decodePexMessage, encodePexMessage, type ExtensionHandshake, MAX_PEX_PEERS, type PeerAddress, PexFlag, type PexPeer } from '@seedfleet/wire';
import { canonicalIp } from '../ban/canonical-ip';
import { disconnectReason } from '../peer/disconnect-reason';
import { type ExtensionModule, remoteExtensionId } from '../peer/extensions';
import type { PeerConnection } from '../peer/peer-connection';
import { TokenBucket } from '../policy';
import { addressKey } from '../torrent/swarm';

/** A connected peer as PEX sees it. */
export interface PexSubject {
  readonly connection: PeerConnection;
  /** We dialed it: its address is where it listens, and it is reachable. */
  readonly outgoing: boolean;
}

export interface PexExchangeOptions {
  /** Monotonic milliseconds. */
  readonly clock: () => number;
  /** The torrent's connected peers. */
  readonly subjects: () => Iterable<PexSubject>;
  /** Addresses learned from peers, already filtered: hand them to the swarm. */
  readonly onPeers: (peers: PeerAddress[]) => void;
  readonly isBanned?: (host: string) => boolean;
  readonly isOwnAddress?: (host: string, port: number) => boolean;
  /** Between two messages to one peer (default 60 s, BEP 11: at most once a minute). */
  readonly sendIntervalMs?: number;
  /** A peer's messages closer together than this are ignored (default 45 s). */
  readonly minReceiveIntervalMs?: number;
  /** Addresses taken from one message (default 50). */
  readonly maxPeersPerMessage?: number;
  /** Addresses taken across all peers: a burst, then one per `perTorrentRefillMs` (defaults 200 and 1 s). */
  readonly maxPeersPerTorrent?: number;
  readonly perTorrentRefillMs?: number;
  /** Ignored messages from one peer before it is disconnected (default 10). */
  readonly maxIgnoredMessages?: number;
}

interface PeerPexState {
  /** What we told this peer it may connect to: address key -> flags. */
  readonly told: Map<string, PexPeer>;
  lastSentAt: number;
  lastReceivedAt: number | undefined;
  ignored: number;
}

/**
 * BEP 11 peer exchange for one (public) torrent: every minute each peer that offers ut_pex gets the
 * addresses that joined and left since its last message (at most 50 each, IPv4 and IPv6, with seed and
 * reachable flags); what peers send is rate-limited per peer and per torrent, and banned, own and
 * malformed addresses are dropped. Private torrents never create one (BEP 27).
 */
export class PexExchange implements ExtensionModule {
  readonly name = 'ut_pex';
  private readonly states = new Map<PeerConnection, PeerPexState>();
  private readonly torrentBudget: TokenBucket;
  private readonly sendIntervalMs: number;
  private readonly minReceiveIntervalMs: number;
  private readonly maxPerMessage: number;

  constructor(private readonly options: PexExchangeOptions) {
    this.sendIntervalMs = options.sendIntervalMs ?? 60_000;
    this.minReceiveIntervalMs = options.minReceiveIntervalMs ?? 45_000;
    this.maxPerMessage = Math.min(options.maxPeersPerMessage ?? MAX_PEX_PEERS, MAX_PEX_PEERS);
    this.torrentBudget = new TokenBucket(1000 / (options.perTorrentRefillMs ?? 1000), options.maxPeersPerTorrent ?? 200, options.clock());
  }

  onHandshake(connection: PeerConnection, _handshake: ExtensionHandshake): void {
    if (remoteExtensionId(connection, 'ut_pex') === undefined || this.states.has(connection)) return;
    // The first message goes out at the next tick: by then the peer list has settled a little.
    this.states.set(connection, { told: new Map(), lastSentAt: -Infinity, lastReceivedAt: undefined, ignored: 0 });
  }

  onMessage(connection: PeerConnection, payload: Buffer): void {
    const state = this.states.get(connection);
    // A peer that did not offer ut_pex sent us one anyway: harmless, ignored.
    if (!state) return;
    const now = this.options.clock();
    if (state.lastReceivedAt !== undefined && now - state.lastReceivedAt < this.minReceiveIntervalMs) {
      if (++state.ignored >= (this.options.maxIgnoredMessages ?? 10)) {
        connection.close(disconnectReason('protocol', `${state.ignored} ut_pex messages closer together than ${this.minReceiveIntervalMs} ms`));
      }
      return;
    }
    state.lastReceivedAt = now;
    let message;
    try {
      message = decodePexMessage(payload, this.maxPerMessage);
    } catch (error) {
      return connection.close(disconnectReason('protocol', `bad ut_pex message: ${(error as Error).message}`));
    }
    const accepted: PeerAddress[] = [];
    for (const peer of message.added) {
      if (!this.acceptable(peer)) continue;
      if (!this.torrentBudget.take(1, now)) break;
      accepted.push({ host: peer.host, port: peer.port });
    }
    if (accepted.length > 0) this.options.onPeers(accepted);
  }

  onClose(connection: PeerConnection): void {
    this.states.delete(connection);
  }

  /** Sends the due messages; call about once a second. */
  tick(): void {
    const now = this.options.clock();
    let current: Map<string, { peer: PexPeer; connection: PeerConnection }> | undefined;
    for (const [connection, state] of this.states) {
      if (now - state.lastSentAt < this.sendIntervalMs || connection.isClosed) continue;
      current ??= this.currentPeers();
      const id = remoteExtensionId(connection, 'ut_pex');
      if (id === undefined) continue;
      const added: PexPeer[] = [];
      const dropped: PeerAddress[] = [];
      for (const [key, { peer, connection: subject }] of current) {
        if (added.length >= MAX_PEX_PEERS) break;
        // Never tell a peer about itself.
        if (subject === connection || state.told.get(key)?.flags === peer.flags) continue;
        added.push(peer);
      }
      for (const [key, peer] of state.told) {
        if (dropped.length >= MAX_PEX_PEERS) break;
        if (!current.has(key)) dropped.push({ host: peer.host, port: peer.port });
      }
      state.lastSentAt = now;
      if (added.length === 0 && dropped.length === 0) continue;
      for (const peer of added) state.told.set(addressKey(peer.host, peer.port), peer);
      for (const peer of dropped) state.told.delete(addressKey(peer.host, peer.port));
      connection.extended(id, encodePexMessage({ added, dropped }));
    }
  }

  /** Connected peers with a known listen address, by address key. */
  private currentPeers(): Map<string, { peer: PexPeer; connection: PeerConnection }> {
    const peers = new Map<string, { peer: PexPeer; connection: PeerConnection }>();
    for (const { connection, outgoing } of this.options.subjects()) {
      if (connection.isClosed) continue;
      const host = canonicalIp(connection.remoteAddress);
      const port = outgoing ? connection.remotePort : connection.extensions?.p;
      if (host === undefined || port === undefined || port === 0) continue;
      const flags = (connection.pieces?.isFull ? PexFlag.seed : 0) | (outgoing ? PexFlag.reachable : 0);
      const peer = { host, port, flags };
      peers.set(addressKey(host, port), { peer, connection });
    }
    return peers;
  }

  private acceptable(peer: PeerAddress): boolean {
    if (peer.port === 0 || canonicalIp(peer.host) === undefined) return false;
    if (this.options.isBanned?.(peer.host)) return false;
    return !this.options.isOwnAddress?.(peer.host, peer.port);
  }
}
