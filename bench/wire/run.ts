import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, release } from 'node:os';
import { join, resolve } from 'node:path';
import { gitCommit } from '../lib/git-commit';
import { repoRoot } from '../lib/repo-root';
import { createTestNetwork, type Opentracker, startOpentracker, type TestNetwork } from '@seedfleet/testing';
import { prepareWireDataset, type WireDataset, withTracker } from './dataset';
import { type PairRuns, pairName, renderWireMarkdown, summarizePairs } from './report';
import { renderShapedMarkdown } from './shaped-report';
import { benchSides, type Side, type SideId } from './sides';
import { type Meeting, type Placements, runTransfer } from './transfer';
import { parseWireBenchArgs, type WireBenchArgs } from './wire-args';

/** Rotating the pair order each repetition, so no pair always runs first on a cold machine. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Every repetition runs every pair once, in rotated order. */
async function runAll(args: WireBenchArgs, sides: Map<SideId, Side>, dataset: WireDataset, runnable: readonly PairRuns[], meeting: Meeting, workDir: string, placements?: Placements): Promise<void> {
  for (let rep = 0; rep < args.reps; rep++) {
    for (const run of rotated(runnable, rep)) {
      let sample;
      try {
        sample = await runTransfer(dataset, sides.get(run.seeder)!, sides.get(run.leecher)!, meeting, workDir, args.timeoutMs, placements);
      } catch (error) {
        // One broken pairing must not cost the others' numbers: recorded, reported, and the run goes on.
        const reason = error instanceof Error ? error.message : String(error);
        run.failures.push(reason);
        process.stderr.write(`rep ${rep + 1}/${args.reps} ${pairName(run.seeder, run.leecher)}: FAILED: ${reason}\n`);
        continue;
      }
      run.samples.push(sample);
      process.stderr.write(
        `rep ${rep + 1}/${args.reps} ${pairName(run.seeder, run.leecher)}: ${sample.goodputMiBs.toFixed(1)} MiB/s, ` +
          `CPU ${sample.seeder.transferCpuSeconds.toFixed(2)} s / ${sample.leecher.transferCpuSeconds.toFixed(2)} s, ` +
          `peak RSS ${(sample.seeder.peakRssBytes / 2 ** 20).toFixed(0)} / ${(sample.leecher.peakRssBytes / 2 ** 20).toFixed(0)} MiB\n`,
      );
    }
  }
}

async function main(): Promise<void> {
  const args = parseWireBenchArgs(process.argv.slice(2));
  const root = repoRoot();
  const dataRoot = join(root, 'bench', '.data');
  await mkdir(dataRoot, { recursive: true });
  // Gigabytes of generated data: a self-ignoring .gitignore keeps `git add bench` from picking it up.
  await writeFile(join(dataRoot, '.gitignore'), '*\n');
  const sides = benchSides(root, args.baseline === undefined ? undefined : resolve(args.baseline));
  process.stderr.write(`preparing ${args.sizeBytes} bytes, piece ${args.pieceLength} ...\n`);
  const dataset = await prepareWireDataset(dataRoot, args.sizeBytes, args.pieceLength);
  const shaped = args.shapedMbit !== undefined;
  const runs: PairRuns[] = args.pairs.map(([seeder, leecher]) => {
    const [seederSide, leecherSide] = [sides.get(seeder)!, sides.get(leecher)!];
    const unavailable = seederSide.unavailable ?? leecherSide.unavailable ?? (shaped ? (seederSide.unplaceable ?? leecherSide.unplaceable) : undefined);
    return { seeder, leecher, samples: [], failures: [], skipped: unavailable };
  });
  const runnable = runs.filter((run) => !run.skipped);
  for (const run of runs.filter((pair) => pair.skipped)) process.stderr.write(`skipping ${pairName(run.seeder, run.leecher)}: ${run.skipped}\n`);
  const workDir = join(dataRoot, 'wire-run');
  await mkdir(workDir, { recursive: true });
  const needsTracker = runnable.some((run) => sides.get(run.seeder)!.needsTracker || sides.get(run.leecher)!.needsTracker);
  let tracker: Opentracker | undefined;
  let network: TestNetwork | undefined;
  try {
    let meeting: Meeting = { torrentPath: dataset.torrentPath };
    let placements: Placements | undefined;
    if (args.shapedMbit !== undefined) {
      const rate = args.shapedMbit;
      network = await createTestNetwork({ hosts: ['seeder', 'leecher'].map((name) => ({ name, upMbit: rate, downMbit: rate })) });
      const place = (host: string): Placements['seeder'] => ({ network: network!, host, address: network!.host(host).address });
      placements = { seeder: place('seeder'), leecher: place('leecher') };
    }
    if (needsTracker) {
      tracker = await startOpentracker({ infoHashes: [dataset.infoHash] });
      meeting = { ...meeting, tracked: { tracker, torrentPath: await withTracker(dataset, tracker.url, join(workDir, 'payload-tracked.torrent')) } };
    }
    await runAll(args, sides, dataset, runnable, meeting, workDir, placements);
  } finally {
    await tracker?.stop();
    await network?.destroy();
  }
  const summaries = summarizePairs(runs, args.sizeBytes);

  const environment = {
    date: new Date().toISOString(),
    commit: gitCommit(root),
    payload: `${(args.sizeBytes / 2 ** 20).toFixed(0)} MiB, one file, v1 torrent made by libtorrent, piece ${args.pieceLength / 1024} KiB`,
    repetitions: String(args.reps),
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    node: process.version,
    kernel: release(),
    method:
      'seeder and leecher are separate processes on 127.0.0.1 (TCP); each verifies its data before the clock starts; the clock runs from the ' +
      "leecher's connect to its complete event (Transmission and aria2: their RPC status, polled every 50 ms); 'connected after' = until a TCP connection between the two shows up, 'first MiB after' = until it " +
      "has 1 MiB acknowledged (ss -ti, polled every 25 ms), and 'goodput after first MiB' is measured from there; CPU = utime+stime (with children) from /proc over that window; peak RSS = VmHWM, " +
      'anon = highest RssAnon sampled every 100 ms (libtorrent 2.0 maps files, so its VmHWM counts page cache); the received file is SHA-256 checked; pair order rotates each repetition',
    sides: [...sides.values()]
      .filter((side) => args.pairs.some((pair) => pair.includes(side.id)))
      .map((side) => `${side.id} = ${side.name} (${side.settings})`)
      .join('; '),
  };
  if (args.shapedMbit !== undefined) {
    environment.method =
      `seeder and leecher in two network namespaces on one bridge, each host's upload and download shaped with tbf to ${args.shapedMbit} Mbit/s (bench/wire --shaped; ` +
      'libs/testing/src/netns); otherwise as on loopback: ' +
      environment.method;
  }
  const markdown = args.shapedMbit === undefined ? renderWireMarkdown(summaries, environment) : renderShapedMarkdown(summaries, args.shapedMbit, environment);
  const results = join(root, 'bench', 'results');
  const base = args.shapedMbit === undefined ? 'wire' : 'wire-shaped';
  await mkdir(results, { recursive: true });
  await writeFile(join(results, `${base}.md`), markdown);
  await writeFile(join(results, `${base}.json`), JSON.stringify({ environment, linkMbit: args.shapedMbit, summaries, runs }, null, 2));
  process.stdout.write(markdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
