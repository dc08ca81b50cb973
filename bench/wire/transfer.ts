import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcessStatsSampler, type SampledStats, type ScriptedPeer, sha256File } from '@seedfleet/testing';
import type { WireDataset } from './dataset';
import type { Side } from './sides';

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
  readonly seeder: SideSample;
  readonly leecher: SideSample;
}

function sideSample(start: SampledStats, end: SampledStats): SideSample {
  return { transferCpuSeconds: end.cpuSeconds - start.cpuSeconds, totalCpuSeconds: end.cpuSeconds, peakRssBytes: end.peakRssBytes, peakAnonRssBytes: end.peakAnonRssBytes };
}

/**
 * One seeder process and one leecher process on loopback. The clock starts when the leecher, checked and
 * listening, is told to connect to the already verified seeder, and stops at the leecher's complete line.
 * The leecher's file is then compared with the source by SHA-256.
 */
export async function runTransfer(dataset: WireDataset, seederSide: Side, leecherSide: Side, workDir: string, timeoutMs: number): Promise<TransferSample> {
  const leecherDir = join(workDir, `${seederSide.id}-to-${leecherSide.id}-${process.pid}-${Date.now()}`);
  await mkdir(leecherDir, { recursive: true });
  const peers: ScriptedPeer[] = [];
  try {
    const seeder = await seederSide.start({ torrentPath: dataset.torrentPath, directory: dataset.directory, role: 'seed', readyTimeoutMs: timeoutMs });
    peers.push(seeder);
    const leecher = await leecherSide.start({ torrentPath: dataset.torrentPath, directory: leecherDir, role: 'download', readyTimeoutMs: timeoutMs });
    peers.push(leecher);
    const seederStats = new ProcessStatsSampler(seeder.pid, { includeChildren: true }).start();
    const leecherStats = new ProcessStatsSampler(leecher.pid, { includeChildren: true }).start();
    const [seederStart, leecherStart] = await Promise.all([seederStats.read(), leecherStats.read()]);
    const startedAt = performance.now();
    leecher.connect({ host: '127.0.0.1', port: seeder.port });
    await leecher.whenComplete(timeoutMs);
    const seconds = (leecher.completedAt! - startedAt) / 1000;
    const [seederEnd, leecherEnd] = await Promise.all([seederStats.stop(), leecherStats.stop()]);
    const received = await sha256File(join(leecherDir, dataset.name));
    if (received !== dataset.sha256) throw new Error(`${seederSide.id} -> ${leecherSide.id}: the leecher's file has SHA-256 ${received}, the source ${dataset.sha256}`);
    return {
      seconds,
      goodputMiBs: dataset.sizeBytes / (1024 * 1024) / seconds,
      seeder: sideSample(seederStart, seederEnd),
      leecher: sideSample(leecherStart, leecherEnd),
    };
  } finally {
    for (const peer of peers.reverse()) await peer.stop();
    await rm(leecherDir, { recursive: true, force: true });
  }
}
