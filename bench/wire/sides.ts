import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { peerScriptArgs, type PeerRole, pythonScriptInvocation, type ReferencePeer, ScriptedPeer, startAria2Peer, startTransmissionPeer } from '@seedfleet/testing';
import { type Placement, placed } from './placement';

export type SideId = 'lt' | 'ours' | 'tr' | 'aria2';

export const sideIds: readonly SideId[] = ['lt', 'ours', 'tr', 'aria2'];

export interface StartSide {
  readonly torrentPath: string;
  readonly directory: string;
  readonly role: PeerRole;
  readonly readyTimeoutMs: number;
  /** Shaped mode: run inside this namespace host and listen on its address (loopback otherwise). */
  readonly placement?: Placement;
}

/** One kind of peer the bench can run as seeder or leecher, each as a process of its own. */
export interface Side {
  readonly id: SideId;
  readonly name: string;
  /** Why it cannot run (e.g. not built yet); undefined when it can. */
  readonly unavailable?: string;
  /** Settings worth recording next to its numbers. */
  readonly settings: string;
  /** Cannot be handed a peer, so it needs a torrent that names a tracker (Transmission, aria2). */
  readonly needsTracker: boolean;
  /** Why it cannot run inside a namespace host (shaped mode); undefined when it can. */
  readonly unplaceable?: string;
  start(options: StartSide): Promise<ReferencePeer>;
}

const libtorrent: Side = {
  id: 'lt',
  name: 'libtorrent 2.0 (python3-libtorrent)',
  settings: 'libtorrent defaults, minus DHT/LSD/UPnP/NAT-PMP/uTP; allow_multiple_connections_per_ip',
  needsTracker: false,
  start: (options) => {
    const settings = options.placement ? { listen_interfaces: `${options.placement.address}:0` } : {};
    const invocation = pythonScriptInvocation('lt_peer.py', peerScriptArgs({ ...options, progressIntervalMs: 1000, settings }));
    return ScriptedPeer.start('libtorrent', placed(options.placement, invocation), options.readyTimeoutMs);
  },
};

const transmission: Side = {
  id: 'tr',
  name: 'Transmission 3.00 (transmission-daemon)',
  settings: 'no DHT/LPD/PEX/uTP/port mapping, no speed or ratio limits, plaintext preferred; meets peers through opentracker and is dialled by the other side',
  needsTracker: true,
  unplaceable: 'its RPC listens on 127.0.0.1 inside the namespace, out of the bench process\'s reach',
  start: (options) => startTransmissionPeer(options),
};

const aria2: Side = {
  id: 'aria2',
  name: 'aria2 1.36 (aria2c)',
  settings: 'no DHT/LPD/PEX/IPv6, --file-allocation=none, seeding without ratio limit; meets peers through opentracker',
  needsTracker: true,
  unplaceable: 'its RPC listens on 127.0.0.1 inside the namespace, out of the bench process\'s reach',
  start: (options) => startAria2Peer(options),
};

/** Our engine through its Session API in bench/wire/our-peer.ts, compiled next to this file. */
function ours(): Side {
  const script = join(__dirname, 'our-peer.js');
  return {
    id: 'ours',
    name: 'seedfleet engine (Session)',
    unavailable: existsSync(script) ? undefined : `${script} is not built (the engine Session API has not landed or does not compile)`,
    settings: 'Session defaults; node --max-semi-space-size=1 as bin/seedfleet.js runs it',
    needsTracker: false,
    start: (options) => {
      const settings = options.placement ? { listenHost: options.placement.address } : {};
      const args = ['--max-semi-space-size=1', script, JSON.stringify(peerScriptArgs({ ...options, progressIntervalMs: 1000, settings }))];
      return ScriptedPeer.start('seedfleet', placed(options.placement, { command: process.execPath, args }), options.readyTimeoutMs);
    },
  };
}

export function benchSides(): Map<SideId, Side> {
  return new Map<SideId, Side>([
    ['lt', libtorrent],
    ['ours', ours()],
    ['tr', transmission],
    ['aria2', aria2],
  ]);
}
