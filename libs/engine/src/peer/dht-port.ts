/**
 * BEP 5 on one connection, when both sides set the DHT reserved bit: our DHT node's UDP port goes out in a
 * PORT message after our first messages, and the peer's PORT message names its node at the connection's
 * address (the receiver rate-limits before pinging it).
 */
export interface DhtPortExchange {
  readonly port: number;
  readonly onPort: (host: string, port: number) => void;
}
