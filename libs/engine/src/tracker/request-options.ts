import type { TrackerRequestOptions } from './types';
import { defaultUdpConnections, type UdpConnectionCache } from './udp/connection-cache';

export interface ResolvedRequestOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  readonly maxPeers: number;
  readonly udpRetransmitBaseMs: number;
  readonly udpMaxRetransmits: number;
  readonly udpConnections: UdpConnectionCache;
  readonly userAgent: string;
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

export const DEFAULT_TRACKER_TIMEOUT_MS = 30_000;

export function resolveRequestOptions(options: TrackerRequestOptions = {}): ResolvedRequestOptions {
  return {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TRACKER_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    maxRedirects: options.maxRedirects ?? 5,
    maxPeers: options.maxPeers ?? 1000,
    udpRetransmitBaseMs: options.udpRetransmitBaseMs ?? 15_000,
    udpMaxRetransmits: options.udpMaxRetransmits ?? 8,
    udpConnections: options.udpConnections ?? defaultUdpConnections,
    userAgent: options.userAgent ?? 'seedfleet',
    ca: options.ca,
  };
}
