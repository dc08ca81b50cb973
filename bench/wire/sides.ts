import { join } from 'node:path';
import { peerScriptArgs, type PeerRole, pythonScriptInvocation, type ReferencePeer, ScriptedPeer, startAria2Peer, startTransmissionPeer } from '@seedfleet/testing';
import { type BuiltCheckout, builtCheckout } from '../lib/checkout';
import { type Placement, placed } from './placement';

/** `base`: our engine from another checkout (--baseline), for an A/B of two builds in one run. */
export type SideId = 'lt' | 'ours' | 'base' | 'tr' | 'aria2';

export const sideIds: readonly SideId[] = ['lt', 'ours', 'base', 'tr', 'aria2'];

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

/** bench/wire/our-peer.ts compiled, under a checkout's dist/. */
const OUR_PEER = 'bench/wire/our-peer.js';

/** Our engine through its Session API in bench/wire/our-peer.ts, with the node flags of the build's bin/seedfleet.js. */
function ours(id: 'ours' | 'base', build: BuiltCheckout | undefined, absent: string): Side {
  return {
    id,
    name: id === 'ours' ? 'seedfleet engine (Session)' : `seedfleet engine (Session) at ${build?.commit ?? '?'}`,
    unavailable: build ? build.unavailable : absent,
    settings: `Session defaults; node ${build?.nodeFlags.join(' ') || '(no flags)'} as bin/seedfleet.js runs it`,
    needsTracker: false,
    start: (options) => {
      const settings = options.placement ? { listenHost: options.placement.address } : {};
      const args = [...build!.nodeFlags, join(build!.root, 'dist', OUR_PEER), JSON.stringify(peerScriptArgs({ ...options, progressIntervalMs: 1000, settings }))];
      return ScriptedPeer.start(id === 'ours' ? 'seedfleet' : 'seedfleet-base', placed(options.placement, { command: process.execPath, args }), options.readyTimeoutMs);
    },
  };
}

/** `root` = this checkout; `baseline` = another built one (--baseline), if given. */
export function benchSides(root: string, baseline?: string): Map<SideId, Side> {
  return new Map<SideId, Side>([
    ['lt', libtorrent],
    ['ours', ours('ours', builtCheckout(root, [OUR_PEER]), '')],
    ['base', ours('base', baseline === undefined ? undefined : builtCheckout(baseline, [OUR_PEER]), 'no --baseline checkout given')],
    ['tr', transmission],
    ['aria2', aria2],
  ]);
}
