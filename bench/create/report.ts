import { markdownTable } from '../lib/markdown-table';
import { spread, type Spread } from '../lib/stats';
import type { ProcessMeasurement } from '../lib/measure-process';
import type { HashCheck } from './hash-check';

export interface ToolRuns {
  readonly dataset: string;
  readonly datasetBytes: number;
  readonly tool: string;
  readonly version: string;
  readonly ours: boolean;
  readonly samples: ProcessMeasurement[];
}

export interface ToolSummary {
  readonly dataset: string;
  readonly tool: string;
  readonly version: string;
  readonly ours: boolean;
  readonly wallSeconds: Spread;
  readonly gbPerSecond: Spread;
  readonly cpuSeconds: Spread;
  readonly peakRssMiB: number;
  /** Wall seconds of each repetition, in order, to pair with another tool's run of the same repetition. */
  readonly wallByRep: number[];
}

/** Seconds the hashing alone needs on every thread at the measured rates (see hash-floor.ts). */
export interface HashFloor {
  readonly dataset: string;
  readonly version: string;
  readonly seconds: number;
}

export interface BenchReport {
  readonly environment: Record<string, string | number | boolean>;
  readonly summaries: ToolSummary[];
  readonly floors: readonly HashFloor[];
  readonly hashChecks: HashCheck[];
}

export function summarize(runs: ToolRuns): ToolSummary {
  return {
    dataset: runs.dataset,
    tool: runs.tool,
    version: runs.version,
    ours: runs.ours,
    wallSeconds: spread(runs.samples.map((sample) => sample.wallSeconds)),
    gbPerSecond: spread(runs.samples.map((sample) => runs.datasetBytes / 1e9 / sample.wallSeconds)),
    cpuSeconds: spread(runs.samples.map((sample) => sample.cpuSeconds)),
    peakRssMiB: Math.max(...runs.samples.map((sample) => sample.peakRssBytes)) / 2 ** 20,
    wallByRep: runs.samples.map((sample) => sample.wallSeconds),
  };
}

const fixed = (value: number, digits: number): string => value.toFixed(digits);
const range = (s: Spread, digits: number): string => `${fixed(s.median, digits)} (${fixed(s.min, digits)}-${fixed(s.max, digits)})`;

/**
 * Throughput of ours over the reference, medians (> 1: seedfleet is faster); the range pairs our worst run
 * with their best and the reverse. The paired ratio compares the two runs of each repetition, which ran one
 * right after the other, so load that comes and goes on the shared machine hits both alike.
 */
function ratioRows(summaries: readonly ToolSummary[]): string[][] {
  const rows: string[][] = [];
  for (const ours of summaries.filter((summary) => summary.ours)) {
    for (const reference of summaries.filter((summary) => !summary.ours && summary.dataset === ours.dataset && summary.version === ours.version)) {
      const ratio = ours.gbPerSecond.median / reference.gbPerSecond.median;
      const worst = ours.gbPerSecond.min / reference.gbPerSecond.max;
      const best = ours.gbPerSecond.max / reference.gbPerSecond.min;
      const paired = spread(ours.wallByRep.map((wall, rep) => reference.wallByRep[rep] / wall));
      // A reference whose CPU time rounds to zero in GNU time's 10 ms resolution has no meaningful CPU ratio.
      const cpu = reference.cpuSeconds.median >= 0.01 ? `${fixed(ours.cpuSeconds.median / reference.cpuSeconds.median, 2)}×` : '-';
      rows.push([ours.dataset, ours.version, reference.tool, `**${fixed(ratio, 2)}×**`, `${fixed(worst, 2)}-${fixed(best, 2)}`, `${fixed(paired.median, 2)}× (${fixed(paired.min, 2)}-${fixed(paired.max, 2)})`, cpu]);
    }
  }
  return rows;
}

export function renderMarkdown(report: BenchReport): string {
  const environment = Object.entries(report.environment).map(([key, value]) => `- ${key}: ${value}`).join('\n');
  const measurements = markdownTable(
    ['dataset', 'version', 'tool', 'wall s, median (min-max)', 'GB/s, median (min-max)', 'CPU s, median', 'peak RSS MiB'],
    report.summaries.map((s) => [s.dataset, s.version, s.ours ? `**${s.tool}**` : s.tool, range(s.wallSeconds, 2), range(s.gbPerSecond, 2), fixed(s.cpuSeconds.median, 2), fixed(s.peakRssMiB, 0)]),
  );
  const ratios = markdownTable(
    ['dataset', 'version', 'reference', 'throughput ours/reference (median)', 'range (worst-best)', 'paired by repetition, median (min-max)', 'CPU s ours/reference'],
    ratioRows(report.summaries),
  );
  const floors = markdownTable(
    ['dataset', 'version', 'hashing floor s', 'tool', 'wall s, median', 'wall ÷ floor'],
    report.floors.flatMap((floor) =>
      report.summaries
        .filter((s) => s.dataset === floor.dataset && s.version === floor.version)
        .map((s) => [floor.dataset, floor.version, fixed(floor.seconds, 2), s.ours ? `**${s.tool}**` : s.tool, fixed(s.wallSeconds.median, 2), `${fixed(s.wallSeconds.median / floor.seconds, 2)}×`]),
    ),
  );
  const hashes = markdownTable(
    ['dataset', 'version', 'reference', 'ours', 'reference hashes', 'equal'],
    report.hashChecks.map((check) => [check.dataset, check.version, check.reference, hashText(check.ours), hashText(check.theirs), check.equal ? 'yes' : '**NO**']),
  );
  return [
    '# S5: torrent creation',
    environment,
    '## Ratios (targets: v1 ≥ 1.0× mktorrent, hybrid ≥ 1.0× libtorrent)',
    ratios,
    '## Measurements',
    measurements,
    '## Against the hashing floor',
    'The floor is the time the hashing alone takes with every thread busy at the SHA-1 and SHA-256 rates measured in this run (see "hash rates" above): the dataset\'s bytes through SHA-1 (v1), SHA-256 (v2) or both (hybrid, SHA-1 also over the pad files). It leaves out reading the files, start-up and the file list, so no tool reaches 1.00×; how far above it a tool is, is what it spends on everything else.',
    floors,
    '## Info hashes (same content, same piece length)',
    hashes,
    'transmission-create is not compared: Transmission 3.00 always writes `private: 0` into the info dict, so its info hash differs from every other creator by design.',
    '',
  ].join('\n\n');
}

function hashText(hashes: { v1: string | null; v2: string | null }): string {
  return [hashes.v1 && `v1 ${hashes.v1.slice(0, 12)}…`, hashes.v2 && `v2 ${hashes.v2.slice(0, 12)}…`].filter(Boolean).join(', ');
}
