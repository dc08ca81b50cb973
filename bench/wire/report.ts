import { markdownTable } from '../lib/markdown-table';
import { type Spread, spread } from '../lib/stats';
import type { SideId } from './sides';
import type { TransferSample } from './transfer';

export interface PairRuns {
  readonly seeder: SideId;
  readonly leecher: SideId;
  readonly samples: TransferSample[];
  /** Why repetitions failed (they have no sample). */
  readonly failures: string[];
  /** Why the pair did not run, if it did not. */
  readonly skipped?: string;
}

export interface PairSummary {
  readonly pair: string;
  readonly seeder: SideId;
  readonly leecher: SideId;
  readonly runs: number;
  readonly failures: readonly string[];
  readonly skipped?: string;
  readonly goodputMiBs?: Spread;
  readonly connectedSeconds?: Spread;
  readonly firstMiBSeconds?: Spread;
  readonly steadyGoodputMiBs?: Spread;
  /** Median goodput / median lt->lt goodput. */
  readonly goodputRatio?: number;
  readonly seederCpuSecondsPerGB?: Spread;
  readonly leecherCpuSecondsPerGB?: Spread;
  readonly seederPeakRssMiB?: Spread;
  readonly seederPeakAnonRssMiB?: Spread;
  readonly leecherPeakRssMiB?: Spread;
  readonly leecherPeakAnonRssMiB?: Spread;
}

const mib = 1024 * 1024;

export function pairName(seeder: SideId, leecher: SideId): string {
  return `${seeder} → ${leecher}`;
}

/** The spread of a measurement some samples may lack (undefined when none has it). */
function optional(samples: readonly TransferSample[], pick: (sample: TransferSample) => number | undefined): Spread | undefined {
  const values = samples.map(pick).filter((value): value is number => value !== undefined);
  return values.length > 0 ? spread(values) : undefined;
}

export function summarizePairs(runs: readonly PairRuns[], sizeBytes: number): PairSummary[] {
  const gigabytes = sizeBytes / 1e9;
  const of = (samples: readonly TransferSample[], pick: (sample: TransferSample) => number): Spread => spread(samples.map(pick));
  const summaries = runs.map((run): PairSummary => {
    const base = { pair: pairName(run.seeder, run.leecher), seeder: run.seeder, leecher: run.leecher, runs: run.samples.length, failures: run.failures, skipped: run.skipped };
    if (run.samples.length === 0) return base;
    return {
      ...base,
      goodputMiBs: of(run.samples, (sample) => sample.goodputMiBs),
      connectedSeconds: optional(run.samples, (sample) => sample.connectedSeconds),
      firstMiBSeconds: optional(run.samples, (sample) => sample.firstMiBSeconds),
      steadyGoodputMiBs: optional(run.samples, (sample) => sample.steadyGoodputMiBs),
      seederCpuSecondsPerGB: of(run.samples, (sample) => sample.seeder.transferCpuSeconds / gigabytes),
      leecherCpuSecondsPerGB: of(run.samples, (sample) => sample.leecher.transferCpuSeconds / gigabytes),
      seederPeakRssMiB: of(run.samples, (sample) => sample.seeder.peakRssBytes / mib),
      seederPeakAnonRssMiB: of(run.samples, (sample) => sample.seeder.peakAnonRssBytes / mib),
      leecherPeakRssMiB: of(run.samples, (sample) => sample.leecher.peakRssBytes / mib),
      leecherPeakAnonRssMiB: of(run.samples, (sample) => sample.leecher.peakAnonRssBytes / mib),
    };
  });
  const reference = summaries.find((summary) => summary.pair === pairName('lt', 'lt'))?.goodputMiBs?.median;
  return summaries.map((summary) => (reference && summary.goodputMiBs ? { ...summary, goodputRatio: summary.goodputMiBs.median / reference } : summary));
}

function cell(value: Spread | undefined, digits: number): string {
  if (!value) return '–';
  const text = (n: number): string => n.toFixed(digits);
  return value.min === value.max ? text(value.median) : `${text(value.median)} (${text(value.min)}–${text(value.max)})`;
}

/** The S2 loopback targets of QUALITY.md, checked against the medians (only for pairs that ran). */
export function targetLines(summaries: readonly PairSummary[]): string[] {
  const lines: string[] = [];
  const find = (seeder: SideId, leecher: SideId): PairSummary | undefined => summaries.find((summary) => summary.seeder === seeder && summary.leecher === leecher && summary.goodputMiBs);
  const ours = find('ours', 'ours');
  const reference = find('lt', 'lt');
  const ratio = (a?: Spread, b?: Spread): string => (a && b && b.median > 0 ? `${(a.median / b.median).toFixed(2)}×` : '–');
  if (ours?.goodputRatio !== undefined) {
    lines.push(`- goodput ours → ours ≥ 1.0× lt → lt: ${ours.goodputRatio.toFixed(2)}× (${ours.goodputRatio >= 1 ? 'met' : 'not met'})`);
  }
  if (ours && reference) {
    lines.push(`- CPU per GB, ours → ours vs lt → lt: seeder ${ratio(ours.seederCpuSecondsPerGB, reference.seederCpuSecondsPerGB)}, leecher ${ratio(ours.leecherCpuSecondsPerGB, reference.leecherCpuSecondsPerGB)}`);
  }
  const base = find('base', 'base');
  if (ours && base) {
    const peak = (summary: PairSummary): string => `${summary.seederPeakRssMiB?.max.toFixed(0)} / ${summary.leecherPeakRssMiB?.max.toFixed(0)} MiB`;
    lines.push(
      `- A/B, ours → ours vs base → base: goodput ${ratio(ours.goodputMiBs, base.goodputMiBs)}, CPU per GB seeder ${ratio(ours.seederCpuSecondsPerGB, base.seederCpuSecondsPerGB)}, ` +
        `leecher ${ratio(ours.leecherCpuSecondsPerGB, base.leecherCpuSecondsPerGB)}; worst peak RSS seeder / leecher ${peak(ours)} vs ${peak(base)}`,
    );
  }
  // Our engine does not map files, so its VmHWM is its real footprint.
  const ourPeaks = summaries.flatMap((summary) => [
    ...(summary.seeder === 'ours' && summary.seederPeakRssMiB ? [summary.seederPeakRssMiB.max] : []),
    ...(summary.leecher === 'ours' && summary.leecherPeakRssMiB ? [summary.leecherPeakRssMiB.max] : []),
  ]);
  if (ourPeaks.length > 0) {
    const worst = Math.max(...ourPeaks);
    lines.push(`- our peak RSS ≤ 80 MiB: worst ${worst.toFixed(0)} MiB (${worst <= 80 ? 'met' : 'not met'})`);
  }
  return lines;
}

export function renderWireMarkdown(summaries: readonly PairSummary[], environment: Record<string, string>): string {
  const rows = summaries.map((summary) => [
    summary.pair,
    summary.skipped ? `skipped: ${summary.skipped}` : `${summary.runs}${summary.failures.length > 0 ? ` (${summary.failures.length} failed: ${summary.failures[0].slice(0, 120)})` : ''}`,
    cell(summary.goodputMiBs, 1),
    summary.goodputRatio === undefined ? '–' : `${summary.goodputRatio.toFixed(2)}×`,
    cell(summary.connectedSeconds, 2),
    cell(summary.firstMiBSeconds, 2),
    cell(summary.steadyGoodputMiBs, 1),
    cell(summary.seederCpuSecondsPerGB, 2),
    cell(summary.leecherCpuSecondsPerGB, 2),
    `${cell(summary.seederPeakRssMiB, 0)} / ${cell(summary.seederPeakAnonRssMiB, 0)}`,
    `${cell(summary.leecherPeakRssMiB, 0)} / ${cell(summary.leecherPeakAnonRssMiB, 0)}`,
  ]);
  const table = markdownTable(
    ['seeder → leecher', 'runs', 'goodput MiB/s', 'vs lt → lt', 'connected after s', 'first MiB after s', 'goodput after first MiB', 'seeder CPU s/GB', 'leecher CPU s/GB', 'seeder peak RSS / anon MiB', 'leecher peak RSS / anon MiB'],
    rows,
  );
  const notes = Object.entries(environment).map(([key, value]) => `- ${key}: ${value}`);
  return [
    '# S2 wire benchmark: one seeder → one leecher over loopback',
    '',
    'Generated by `npm run bench:wire`; median (min–max) over the repetitions. `lt` = libtorrent, `ours` = the seedfleet engine.',
    '',
    table,
    '',
    ...(targetLines(summaries).length > 0 ? ['Targets (S2, loopback):', '', ...targetLines(summaries), ''] : []),
    ...notes,
    '',
  ].join('\n');
}
