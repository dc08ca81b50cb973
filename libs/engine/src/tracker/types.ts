import type { PeerAddress } from '@seedfleet/wire';
import type { UdpConnectionCache } from './udp/connection-cache';

export type TrackerEvent = 'started' | 'completed' | 'stopped';

export interface AnnounceParams {
  /** 20 bytes: the v1 info hash, or the truncated v2 one (BEP 52). */
  readonly infoHash: Buffer;
  /** 20 bytes. */
  readonly peerId: Buffer;
  /** The TCP port we accept peers on. */
  readonly port: number;
  readonly uploaded: number;
  readonly downloaded: number;
  readonly left: number;
  readonly event?: TrackerEvent;
  /** Peers wanted; the tracker's default when absent. */
  readonly numwant?: number;
  /** A 32-bit value that lets the tracker recognise us across IP changes (sent as 8 hex digits over HTTP). */
  readonly key?: number;
  /** The `tracker id` a previous HTTP answer gave (binary string, one char per byte). */
  readonly trackerId?: string;
}

export interface AnnounceResult {
  /** Seconds until the next regular announce. */
  readonly interval: number;
  /** Seconds the tracker wants between any two announces. */
  readonly minInterval?: number;
  /** IPv4 and IPv6 peers (compact, BEP 7 `peers6` and dictionary form), never more than `maxPeers`. */
  readonly peers: PeerAddress[];
  /** Seeders and leechers. */
  readonly complete?: number;
  readonly incomplete?: number;
  /** Binary string (one char per byte), to send back as `trackerId`. */
  readonly trackerId?: string;
  readonly warning?: string;
}

export interface ScrapeCounts {
  /** Seeders. */
  readonly complete: number;
  /** Completed downloads ever. */
  readonly downloaded: number;
  /** Leechers. */
  readonly incomplete: number;
}

/** Scrape counts by lower-case hex info hash; hashes the tracker does not know are absent. */
export type ScrapeResult = Map<string, ScrapeCounts>;

export interface TrackerRequestOptions {
  readonly signal?: AbortSignal;
  /** Bound on the whole request, redirects and UDP retransmissions included (default 30 s). */
  readonly timeoutMs?: number;
  /** Largest HTTP body accepted (default 1 MiB). */
  readonly maxResponseBytes?: number;
  /** HTTP redirects followed (default 5). */
  readonly maxRedirects?: number;
  /** Peers kept from one answer; the rest is not even parsed (default 1000). */
  readonly maxPeers?: number;
  /** BEP 15 retransmits after `base * 2^n` (default 15 s); tests make it small. */
  readonly udpRetransmitBaseMs?: number;
  /** BEP 15 stops doubling at n = 8 (default 8). */
  readonly udpMaxRetransmits?: number;
  /** Where UDP connection ids are kept for reuse (default: one cache per process). */
  readonly udpConnections?: UdpConnectionCache;
  /** Extra trusted CA certificates (PEM) for https:// trackers, e.g. a private fleet CA; replaces Node's list when set. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Sent as User-Agent over HTTP (default 'seedfleet'). */
  readonly userAgent?: string;
}
