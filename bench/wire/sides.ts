import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { peerScriptArgs, type PeerRole, ScriptedPeer, startLibtorrentPeer } from '@seedfleet/testing';

export type SideId = 'lt' | 'ours';

export interface StartSide {
  readonly torrentPath: string;
  readonly directory: string;
  readonly role: PeerRole;
  readonly readyTimeoutMs: number;
}

/** One kind of peer the bench can run as seeder or leecher, each as a process of its own. */
export interface Side {
  readonly id: SideId;
  readonly name: string;
  /** Why it cannot run (e.g. not built yet); undefined when it can. */
  readonly unavailable?: string;
  /** Settings worth recording next to its numbers. */
  readonly settings: string;
  start(options: StartSide): Promise<ScriptedPeer>;
}

const libtorrent: Side = {
  id: 'lt',
  name: 'libtorrent 2.0 (python3-libtorrent)',
  settings: "libtorrent defaults, minus DHT/LSD/UPnP/NAT-PMP/uTP; allow_multiple_connections_per_ip",
  start: (options) => startLibtorrentPeer({ ...options, progressIntervalMs: 1000 }),
};

/** Our engine through its Session API in bench/wire/our-peer.ts, compiled next to this file. */
function ours(): Side {
  const script = join(__dirname, 'our-peer.js');
  return {
    id: 'ours',
    name: 'seedfleet engine (Session)',
    unavailable: existsSync(script) ? undefined : `${script} is not built (the engine Session API has not landed or does not compile)`,
    settings: 'Session defaults',
    start: (options) => ScriptedPeer.start('seedfleet', { command: process.execPath, args: [script, JSON.stringify(peerScriptArgs({ ...options, progressIntervalMs: 1000 }))] }, options.readyTimeoutMs),
  };
}

export function benchSides(): Map<SideId, Side> {
  return new Map<SideId, Side>([
    ['lt', libtorrent],
    ['ours', ours()],
  ]);
}
