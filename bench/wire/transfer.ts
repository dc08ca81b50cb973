import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Opentracker, ProcessStatsSampler, type ReferencePeer, type SampledStats, ScriptedPeer, sha256File } from '@seedfleet/testing';
import type { WireDataset } from './dataset';
import type { Placement } from './placement';
import type { Side } from './sides';
import { whenBytesFlowed } from './wire-bytes';

export interface SideSample {
  /** CPU seconds spent between the leecher's connect and its completion. */
  readonly transferCpuSeconds: number;
  /** CPU seconds since the process started (startup hash check included). */
  readonly totalCpuSeconds: number;
  readonly peakRssBytes: number;
  readonly peakAnonRssBytes: number;
}

export interface TransferSample {
  readonly seconds: number;
  readonly goodputMiBs: number;
  /** From the introduction until the TCP connection shows up (libtorrent dials from a once-a-second tick). */
  readonly connectedSeconds?: number;
  /** From the introduction until the connection has carried its first MiB (clients differ: Transmission waits for its rechoke timer). */
  readonly firstMiBSeconds?: number;
  /** Goodput over the rest, after the first MiB: the wire path without the clients' start-up habits. */
  readonly steadyGoodputMiBs?: number;
  readonly seeder: SideSample;
  readonly leecher: SideSample;
}

/** How the two sides can meet: directly, or (for Transmission and aria2) through a tracker. */
export interface Meeting {
  /** The dataset's torrent, naming no tracker. */
  readonly torrentPath: string;
  /** The same torrent naming the tracker, and the tracker; only when a pair needs one. */
  readonly tracked?: { readonly torrentPath: string; readonly tracker: Opentracker };
}

const mib = 1024 * 1024;

function sideSample(start: SampledStats, end: SampledStats): SideSample {
  return { transferCpuSeconds: end.cpuSeconds - start.cpuSeconds, totalCpuSeconds: end.cpuSeconds, peakRssBytes: end.peakRssBytes, peakAnonRssBytes: end.peakAnonRssBytes };
}

/**
 * Starts the transfer: a scripted leecher (lt, ours) dials the seeder; Transmission, which never dials
 * loopback peers, is dialled by a scripted seeder; aria2 dials the seeder it got from the tracker.
 */
function introduce(seeder: ReferencePeer, leecher: ReferencePeer, hosts: { seeder: string; leecher: string }): void {
  if (leecher instanceof ScriptedPeer) leecher.connect({ host: hosts.seeder, port: seeder.port });
  else if (!leecher.dialsLoopbackPeers) {
    if (!(seeder instanceof ScriptedPeer)) throw new Error(`${leecher.client} cannot download from ${seeder.client}: neither dials the other on loopback`);
    seeder.connect({ host: hosts.leecher, port: leecher.port });
  }
}

/** Shaped mode: the seeder and the leecher each in a namespace host of a shaped test network. */
export interface Placements {
  readonly seeder: Placement;
  readonly leecher: Placement;
}

/**
 * One seeder process and one leecher process on loopback. The clock starts when the leecher, checked and
 * listening, is introduced to the already verified seeder, and stops when the leecher reports completion.
 * The leecher's file is then compared with the source by SHA-256.
 */
export async function runTransfer(dataset: WireDataset, seederSide: Side, leecherSide: Side, meeting: Meeting, workDir: string, timeoutMs: number, placements?: Placements): Promise<TransferSample> {
  const leecherDir = join(workDir, `${seederSide.id}-to-${leecherSide.id}-${process.pid}-${Date.now()}`);
  await mkdir(leecherDir, { recursive: true });
  const tracked = seederSide.needsTracker || leecherSide.needsTracker ? meeting.tracked : undefined;
  if ((seederSide.needsTracker || leecherSide.needsTracker) && !tracked) throw new Error(`${seederSide.id} -> ${leecherSide.id} needs a tracker`);
  const torrentPath = tracked?.torrentPath ?? meeting.torrentPath;
  const peers: ReferencePeer[] = [];
  const samplers: ProcessStatsSampler[] = [];
  try {
    const seeder = await seederSide.start({ torrentPath, directory: dataset.directory, role: 'seed', readyTimeoutMs: timeoutMs, placement: placements?.seeder });
    peers.push(seeder);
    // aria2 learns of the seeder only from its first announce: the seeder must be registered by then.
    if (tracked) await tracked.tracker.waitForSwarm(dataset.infoHash, { complete: 1 }, timeoutMs);
    const leecher = await leecherSide.start({ torrentPath, directory: leecherDir, role: 'download', readyTimeoutMs: timeoutMs, placement: placements?.leecher });
    peers.push(leecher);
    const [seederStats, leecherStats] = [seeder, leecher].map((peer) => new ProcessStatsSampler(peer.pid, { includeChildren: true }).start());
    samplers.push(seederStats, leecherStats);
    const [seederStart, leecherStart] = await Promise.all([seederStats.read(), leecherStats.read()]);
    const startedAt = performance.now();
    introduce(seeder, leecher, { seeder: placements?.seeder.address ?? '127.0.0.1', leecher: placements?.leecher.address ?? '127.0.0.1' });
    let finished = false;
    // The seeder's sockets, seen from its own namespace in shaped mode.
    const ss = placements ? placements.seeder.network.invocation(placements.seeder.host, 'ss', []) : { command: 'ss', args: [] };
    const firstMiB = whenBytesFlowed([seeder.port, leecher.port], mib, () => finished, ss);
    await leecher.whenComplete(timeoutMs).finally(() => (finished = true));
    const completedAt = leecher instanceof ScriptedPeer ? leecher.completedAt! : performance.now();
    const seconds = (completedAt - startedAt) / 1000;
    const { connectedAt, flowedAt: firstMiBAt } = await firstMiB;
    const [seederEnd, leecherEnd] = await Promise.all([seederStats.stop(), leecherStats.stop()]);
    const received = await sha256File(join(leecherDir, dataset.name));
    if (received !== dataset.sha256) throw new Error(`${seederSide.id} -> ${leecherSide.id}: the leecher's file has SHA-256 ${received}, the source ${dataset.sha256}`);
    return {
      seconds,
      goodputMiBs: dataset.sizeBytes / mib / seconds,
      ...(connectedAt === undefined ? {} : { connectedSeconds: (connectedAt - startedAt) / 1000 }),
      ...(firstMiBAt === undefined
        ? {}
        : { firstMiBSeconds: (firstMiBAt - startedAt) / 1000, steadyGoodputMiBs: (dataset.sizeBytes - mib) / mib / ((completedAt - firstMiBAt) / 1000) }),
      seeder: sideSample(seederStart, seederEnd),
      leecher: sideSample(leecherStart, leecherEnd),
    };
  } finally {
    for (const sampler of samplers) await sampler.stop().catch(() => undefined);
    for (const peer of peers.reverse()) await peer.stop();
    await rm(leecherDir, { recursive: true, force: true });
  }
}
