/** BEP 15: a connection id may be used for one minute after it was received. */
export const UDP_CONNECTION_ID_LIFETIME_MS = 60_000;

export interface UdpConnection {
  readonly id: Buffer;
  readonly receivedAt: number;
}

/**
 * Connection ids by tracker address (resolved IP and port), so announces and scrapes within a minute skip
 * the connect round trip. Bounded: the oldest entry goes first.
 */
export class UdpConnectionCache {
  private readonly connections = new Map<string, UdpConnection>();

  constructor(
    readonly clock: () => number = () => performance.now(),
    private readonly maxEntries = 1024,
  ) {}

  get(address: string): UdpConnection | undefined {
    const connection = this.connections.get(address);
    if (connection !== undefined && this.expired(connection)) {
      this.connections.delete(address);
      return undefined;
    }
    return connection;
  }

  /** Stores a fresh id and returns it with its timestamp. */
  remember(address: string, id: Buffer): UdpConnection {
    const connection = { id, receivedAt: this.clock() };
    this.connections.delete(address);
    this.connections.set(address, connection);
    if (this.connections.size > this.maxEntries) this.connections.delete(this.connections.keys().next().value!);
    return connection;
  }

  forget(address: string): void {
    this.connections.delete(address);
  }

  expired(connection: UdpConnection): boolean {
    return this.clock() - connection.receivedAt >= UDP_CONNECTION_ID_LIFETIME_MS;
  }
}

export const defaultUdpConnections = new UdpConnectionCache();
