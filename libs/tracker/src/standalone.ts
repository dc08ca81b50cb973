import { ConnectionIds } from './udp/connection-ids';
import { startUdpTrackerServer } from './udp/udp-server';
import { UdpTracker } from './udp/udp-tracker';
import { Tracker } from './core/tracker';
import type { TrackerOptions } from './core/tracker-options';
import { DEFAULT_HTTP_SERVER_LIMITS, startHttpTrackerServer, type RunningServer } from './http/http-server';
import { HttpTracker, type HttpTrackerOptions } from './http/http-tracker';
import type { SwarmStore } from './store/swarm-store';

export interface TrackerServersOptions {
  readonly store: SwarmStore;
  readonly tracker: TrackerOptions;
  readonly http: HttpTrackerOptions;
  /** Address to bind, e.g. 0.0.0.0, ::, 127.0.0.1. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly httpPort: number;
  /** Undefined: no UDP tracker. 0 picks a free port. */
  readonly udpPort?: number;
  /** Signs UDP connection ids; replicas sharing a store must share it (see sharedTrackerSecret). */
  readonly udpSecret: Buffer;
}

export interface TrackerServers {
  readonly http: RunningServer;
  readonly udp?: RunningServer;
  /** URLs for clients, with a wildcard bind address replaced by loopback. */
  readonly urls: { readonly announce: string; readonly scrape: string; readonly udp?: string };
  close(): Promise<void>;
}

/** HTTP and UDP trackers over one store, on plain Node sockets (http/http-server.ts): `seedfleet tracker` and the test suites. */
export async function startTrackerServers(options: TrackerServersOptions): Promise<TrackerServers> {
  const tracker = new Tracker(options.store, options.tracker);
  const http = await startHttpTrackerServer(new HttpTracker(tracker, options.http), options.host, options.httpPort, { ...DEFAULT_HTTP_SERVER_LIMITS, maxTargetLength: options.http.maxUrlLength });
  let udp: RunningServer | undefined;
  try {
    if (options.udpPort !== undefined) udp = await startUdpTrackerServer(new UdpTracker(tracker, new ConnectionIds(options.udpSecret)), options.host, options.udpPort);
  } catch (error) {
    await http.close();
    throw error;
  }
  const host = urlHost(options.host);
  return {
    http,
    udp,
    urls: {
      announce: `http://${host}:${http.port}/announce`,
      scrape: `http://${host}:${http.port}/scrape`,
      udp: udp && `udp://${host}:${udp.port}/announce`,
    },
    close: async () => {
      await Promise.all([http.close(), udp?.close()]);
    },
  };
}

function urlHost(bound: string): string {
  if (bound === '0.0.0.0' || bound === '') return '127.0.0.1';
  if (bound === '::') return '[::1]';
  return bound.includes(':') ? `[${bound}]` : bound;
}
