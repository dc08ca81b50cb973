import { isIP } from 'node:net';
import { parseByteSize } from './byte-size';

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

/** A TCP port 0-65535 (0: any free port). */
export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535) throw new Error(`'${text}' is not a port number (0-65535)`);
  return Number(text);
}

/**
 * `HOST:PORT`, `1.2.3.4:6881` or `[::1]:6881`. A bare IPv6 address needs the brackets, since its colons
 * would otherwise swallow the port.
 */
export function parsePeerAddress(text: string): PeerAddress {
  const trimmed = text.trim();
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(trimmed) ?? /^([^:[\]]+):(\d+)$/.exec(trimmed);
  if (!match) throw new Error(`'${text}' is not HOST:PORT (write IPv6 addresses as [::1]:6881)`);
  const [, host, portText] = match;
  if (trimmed.startsWith('[') && isIP(host) !== 6) throw new Error(`'${host}' is not an IPv6 address`);
  const port = Number(portText);
  if (port < 1 || port > 65535) throw new Error(`'${text}': the port must be 1-65535`);
  return { host, port };
}

/**
 * A transfer rate in bytes per second: `500K`, `10M`, `1.5MiB`, optionally followed by `/s`. `0` means
 * unlimited, as in every client's settings.
 */
export function parseRate(text: string): number {
  const withoutPerSecond = text.trim().replace(/\/s$/i, '');
  try {
    return parseByteSize(withoutPerSecond);
  } catch {
    throw new Error(`'${text}' is not a rate (bytes per second; examples: 500K, 10M, 1.5MiB/s; 0 = unlimited)`);
  }
}
