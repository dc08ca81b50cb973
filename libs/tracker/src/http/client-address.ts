import { peerAddress } from '../core/address';
import type { PeerAddress } from '../core/types';

export interface ClientAddressInput {
  /** The TCP peer's address as the socket reports it. */
  readonly socketAddress: string | undefined;
  /** The X-Forwarded-For header (Node joins repeated headers with ", "). */
  readonly forwardedFor: string | undefined;
  /** The `ip` query parameter, if any. */
  readonly ipParameter: Buffer | undefined;
  /** The port the client announced. */
  readonly port: number;
}

/**
 * The address other peers should dial. `ip=` and X-Forwarded-For can be set by anyone, so they count only
 * when the request comes from a trusted proxy (a load balancer in front of the tracker); otherwise a
 * client could point a swarm at a third party. From a trusted proxy: `ip=` first, else the rightmost
 * X-Forwarded-For entry (the one the proxy itself added). Undefined when no usable address is known.
 */
export function clientAddress(input: ClientAddressInput, trustedProxies: ReadonlySet<string>): PeerAddress | undefined {
  const socket = input.socketAddress === undefined ? undefined : peerAddress(input.socketAddress, input.port);
  if (!socket || !trustedProxies.has(socket.ip)) return socket;
  const fromParameter = input.ipParameter && peerAddress(input.ipParameter.toString('latin1'), input.port);
  if (fromParameter) return fromParameter;
  const forwarded = input.forwardedFor?.split(',').at(-1)?.trim();
  return (forwarded && peerAddress(forwarded, input.port)) || socket;
}

/** Normalises configured proxy addresses the way socket addresses are normalised, so they compare equal. */
export function trustedProxySet(addresses: readonly string[]): ReadonlySet<string> {
  return new Set(
    addresses.map((text) => {
      const address = peerAddress(text.trim(), 0);
      if (!address) throw new RangeError(`trusted proxy '${text}' is not an IP address`);
      return address.ip;
    }),
  );
}
