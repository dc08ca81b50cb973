import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { EncryptionPolicy } from '@seedfleet/wire';
import { type DisconnectReason, disconnectReason } from '../peer/disconnect-reason';
import type { ConnectionLimits } from './connection-limits';
import { acceptHandshake, type EstablishedConnection, type IncomingRoute } from './handshake-exchange';

/** The listen socket could not be opened (port in use, bad address). */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

export interface IncomingConnection<Torrent> extends EstablishedConnection {
  readonly torrent: Torrent;
}

export interface ListenerOptions<Torrent> {
  /** Default '::' (every IPv6 and IPv4 address, dual stack); '0.0.0.0' for IPv4 only. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Shared with outgoing connections: a half-open slot while handshaking, an open slot after. */
  readonly limits: ConnectionLimits<Torrent>;
  readonly handshakeTimeoutMs?: number;
  /** Finds the torrent for an info hash (v1, or a v2 one truncated to 20 bytes); undefined refuses. */
  readonly route: (infoHash: Buffer) => IncomingRoute<Torrent> | undefined;
  /** Default 'prefer' (plaintext and MSE handshakes accepted); see EncryptionPolicy. */
  readonly encryption?: EncryptionPolicy;
  /** The 20-byte info hashes routed (v1 and truncated v2): MSE names its torrent only by a hash of one. */
  readonly infoHashes?: () => Iterable<Uint8Array>;
  /**
   * A peer past the handshake, holding an open slot of `limits` for its torrent: the receiver owns the
   * socket and must call `limits.close(torrent)` when it closes.
   */
  readonly onConnection: (connection: IncomingConnection<Torrent>) => void;
  /** Addresses refused at accept, before any byte is read or a slot taken (the session's ban list). */
  readonly isBanned?: (remoteAddress: string) => boolean;
  /** A connection refused before or during the handshake, for logs and statistics. */
  readonly onRefused?: (remoteAddress: string, reason: DisconnectReason) => void;
}

/**
 * One TCP port for every torrent of a session: accepts within the global and half-open limits, reads
 * the handshake head, routes it by info hash, refuses unknown torrents and full ones, and hands the
 * socket over.
 */
export class Listener<Torrent> {
  private readonly server: Server;
  private readonly handshaking = new Set<Socket>();

  constructor(private readonly options: ListenerOptions<Torrent>) {
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound address (its port when 0 was asked for). */
  listen(): Promise<AddressInfo> {
    const { host = '::', port } = this.options;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(new ListenError(`cannot listen on [${host}]:${port}: ${error.message}`, { cause: error }));
      this.server.once('error', onError);
      this.server.listen({ host, port, ipv6Only: false }, () => {
        this.server.off('error', onError);
        // Later server errors (EMFILE on accept) must not crash the process; accepting simply pauses.
        this.server.on('error', () => undefined);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  get address(): AddressInfo | undefined {
    return (this.server.address() as AddressInfo | null) ?? undefined;
  }

  /** Sockets still handshaking. */
  get handshakingCount(): number {
    return this.handshaking.size;
  }

  /**
   * Stops accepting at once and drops connections still handshaking; handed-over connections are not
   * touched (so this does not wait for them, unlike net.Server's close callback).
   */
  close(): void {
    for (const socket of this.handshaking) socket.destroy();
    if (this.server.listening) this.server.close();
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const { limits } = this.options;
    if (this.options.isBanned?.(address)) {
      socket.on('error', () => undefined).destroy();
      this.refused(address, disconnectReason('banned', `${address} is banned`));
      return;
    }
    if (!limits.tryStartHalfOpen()) {
      socket.on('error', () => undefined).destroy();
      this.refused(address, disconnectReason('connection-limit', `${limits.open} open and ${limits.halfOpen} handshaking connections`));
      return;
    }
    this.handshaking.add(socket);
    const admit = (torrent: Torrent): DisconnectReason | undefined =>
      limits.torrentHasRoom(torrent) ? undefined : disconnectReason('connection-limit', `the torrent has ${limits.openFor(torrent)} connections`);
    const { route, encryption, infoHashes, handshakeTimeoutMs: timeoutMs } = this.options;
    void acceptHandshake(socket, { route, admit, timeoutMs, encryption, infoHashes }).then((outcome) => {
      this.handshaking.delete(socket);
      limits.endHalfOpen();
      if (!outcome.ok) return this.refused(address, outcome.reason);
      const { torrent } = outcome.value;
      if (!limits.tryOpen(torrent)) {
        socket.destroy();
        return this.refused(address, disconnectReason('connection-limit', `the torrent has ${limits.openFor(torrent)} connections`));
      }
      try {
        this.options.onConnection(outcome.value);
      } catch (error) {
        limits.close(torrent);
        socket.destroy();
        this.refused(address, disconnectReason('internal', `onConnection threw: ${(error as Error).message}`, error));
      }
    });
  }

  private refused(address: string, reason: DisconnectReason): void {
    try {
      this.options.onRefused?.(address, reason);
    } catch (error) {
      process.emitWarning(error as Error, 'ListenerWarning');
    }
  }
}
