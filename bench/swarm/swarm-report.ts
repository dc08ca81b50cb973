import { markdownTable } from '../lib/markdown-table';
import type { SwarmKind } from './swarm-args';
import type { SwarmRunResult } from './swarm-run';

const mib = 2 ** 20;
export const kindNames: Record<SwarmKind, string> = { ours: 'seedfleet', 'ours-egress': 'seedfleet, super-seeding origin', lt: 'libtorrent', http: 'HTTP only' };
export const kindColors: Record<SwarmKind, string> = { ours: '#1f77b4', 'ours-egress': '#2ca02c', lt: '#d62728', http: '#7f7f7f' };

/** The origin budget of QUALITY.md S1/S3, in file sizes. */
const ORIGIN_BUDGET = 1.1;

/**
 * The best η any swarm can reach while the origin sends at most `budget`·F: everything else, (N − budget)·F,
 * must cross the agents' uplinks, so T ≥ (N − budget)·F / Σu_i (and never below T_min).
 */
export function etaCapForOriginBudget(result: Pick<SwarmRunResult, 'n' | 'fileBytes' | 'tMinSeconds' | 'agentUpBytesPerSecond'>, budget = ORIGIN_BUDGET): number | undefined {
  if (result.agentUpBytesPerSecond === undefined || result.agentUpBytesPerSecond <= 0) return undefined;
  const floor = ((result.n - budget) * result.fileBytes) / result.agentUpBytesPerSecond;
  return Math.min(1, result.tMinSeconds / Math.max(result.tMinSeconds, floor));
}

const seconds = (value: number | undefined): string => (value === undefined ? '–' : value.toFixed(1));
const mean = (values: readonly number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length);

/** The QUALITY.md S1/S3 targets for one of our runs, against libtorrent's run of the same group. */
export function targetLines(results: readonly SwarmRunResult[]): string[] {
  const lines: string[] = [];
  for (const ours of results.filter((result) => result.kind === 'ours' || result.kind === 'ours-egress')) {
    const lt = results.find((result) => result.kind === 'lt' && result.scenario === ours.scenario && result.n === ours.n && result.rep === ours.rep);
    const ratio = ours.originBytes / ours.fileBytes;
    const group = `${ours.scenario} N=${ours.n}${ours.rep > 1 ? ` rep ${ours.rep}` : ''}${ours.kind === 'ours-egress' ? ', super-seeding origin' : ''}`;
    if (ours.scenario === 'S1' && ours.kind === 'ours-egress') {
      const cap = etaCapForOriginBudget(ours);
      const eta = ours.eta === undefined ? 'not all complete' : ours.eta.toFixed(2);
      const ofCap = ours.eta !== undefined && cap !== undefined ? ` = ${((100 * ours.eta) / cap).toFixed(0)} % of the ${cap.toFixed(2)} any swarm can reach with origin bytes ≤ ${ORIGIN_BUDGET}·F` : '';
      lines.push(`- ${group}: origin bytes ${ratio.toFixed(2)}·F (target ≤ ${ORIGIN_BUDGET}·F: ${ratio <= ORIGIN_BUDGET ? 'met' : 'not met'}); η = ${eta}${ofCap}`);
    } else if (ours.scenario === 'S1') {
      const eta = ours.eta === undefined ? 'not all complete' : ours.eta.toFixed(2);
      const etaMet = ours.eta !== undefined && ours.eta >= 0.85 && (lt?.eta === undefined || ours.eta >= lt.eta);
      lines.push(`- ${group}: η = ${eta} (target ≥ 0.85 and ≥ libtorrent's ${lt?.eta?.toFixed(2) ?? '–'}: ${etaMet ? 'met' : 'not met'}); origin bytes ${ratio.toFixed(2)}·F (target ≤ 1.1·F: ${ratio <= 1.1 ? 'met' : 'not met'})`);
    } else if (ours.scenario === 'S3') {
      const averageRange = ours.rangeRequests > 0 ? ours.rangeBytesAsked / ours.rangeRequests / mib : 0;
      lines.push(`- ${group}: origin bytes ${ratio.toFixed(2)}·F (target ≤ 1.1·F at N = 16: ${ratio <= 1.1 ? 'met' : 'not met'}); average range request ${averageRange.toFixed(2)} MiB (target ≥ 1 MiB: ${averageRange >= 1 ? 'met' : 'not met'})`);
    } else {
      const s1 = results.find((result) => result.kind === 'ours' && result.scenario === 'S1' && result.n === ours.n);
      const inflation = s1?.tAllSeconds && ours.tAllSeconds ? ours.tAllSeconds / s1.tAllSeconds : undefined;
      const bad = ours.corrupter;
      const corrupter = bad
        ? `; corrupting peer: at most ${bad.maxPiecesPerVictim} pieces poisoned per downloader (target < 5: ${bad.maxPiecesPerVictim < 5 ? 'met' : 'not met'}), ${(bad.garbageBytes / mib).toFixed(1)} MiB wasted over ${bad.victims} downloaders, longest contact ${bad.maxContactSeconds.toFixed(1)} s`
        : '';
      const correct = ours.agents.every((agent) => agent.sha256Ok === true);
      lines.push(`- ${group}: T_all inflation vs S1 ${inflation?.toFixed(2) ?? '– (S1 at this N not in this run)'} (target ≤ 1.3${inflation === undefined ? '' : `: ${inflation <= 1.3 ? 'met' : 'not met'}`})${corrupter}; final files correct: ${correct ? 'yes' : 'no'}`);
    }
  }
  return lines;
}

/** S8: the corrupting peer's view, for every swarm kind (libtorrent's too). */
function corrupterLines(results: readonly SwarmRunResult[]): string[] {
  const rows = results
    .filter((result) => result.corrupter)
    .map((result) => {
      const bad = result.corrupter!;
      return [`${result.scenario} N=${result.n}`, kindNames[result.kind], String(bad.victims), String(bad.maxPiecesPerVictim), (bad.garbageBytes / mib).toFixed(1), bad.maxContactSeconds.toFixed(1)];
    });
  if (rows.length === 0) return [];
  return [
    'Corrupting peer (S8; claims every piece, answers requests with random bytes):',
    '',
    markdownTable(['group', 'swarm', 'peers that connected to it', 'max pieces poisoned per downloader', 'garbage MiB sent', 'longest contact s'], rows),
    '',
  ];
}

/**
 * How much of the agents' upload capacity the swarm used until T_all: (N·F − origin bytes) ÷ (Σu_i·T_all).
 * Low = agents idle while the origin works (little to trade, choked, or not enough requests in flight).
 */
function agentUploadUse(result: SwarmRunResult): string {
  if (result.kind === 'http' || result.tAllSeconds === undefined || result.agentUpBytesPerSecond === undefined) return '–';
  const exchanged = result.n * result.fileBytes - result.originBytes;
  return `${((100 * Math.max(0, exchanged)) / (result.agentUpBytesPerSecond * result.tAllSeconds)).toFixed(0)} %`;
}

/** An agent's uploaded bytes at `seconds`, interpolated between its timeline samples (0 before the first). */
function uploadedAt(timeline: readonly (readonly [number, number, number])[], seconds: number): number {
  let before: readonly [number, number, number] = [0, 0, 0];
  for (const sample of timeline) {
    if (sample[0] >= seconds) {
      const span = sample[0] - before[0];
      return span <= 0 ? sample[2] : before[2] + ((sample[2] - before[2]) * (seconds - before[0])) / span;
    }
    before = sample;
  }
  return before[2];
}

/**
 * Agent upload use in each fifth of T_all (uploaded ÷ Σu_i·T_all/5), from the agents' timelines: shows whether
 * upload capacity is lost at the start (nothing to trade yet), in the middle, or at the end.
 */
export function uploadUseByFifth(result: SwarmRunResult): string {
  const tAll = result.tAllSeconds;
  const capacity = result.agentUpBytesPerSecond;
  if (result.kind === 'http' || tAll === undefined || capacity === undefined || result.agents.some((agent) => !agent.timeline?.length)) return '–';
  const fifths: string[] = [];
  for (let fifth = 0; fifth < 5; fifth++) {
    const [from, to] = [(fifth * tAll) / 5, ((fifth + 1) * tAll) / 5];
    const bytes = result.agents.reduce((sum, agent) => sum + uploadedAt(agent.timeline!, to) - uploadedAt(agent.timeline!, from), 0);
    fifths.push(((100 * bytes) / (capacity * (to - from))).toFixed(0));
  }
  return fifths.join(' / ');
}

export function renderSwarmMarkdown(results: readonly SwarmRunResult[], charts: readonly { file: string; title: string }[], environment: Record<string, string>): string {
  const rows = results.map((result) => {
    const done = result.agents.filter((agent) => agent.seconds !== undefined).length;
    const cpu = mean(result.agents.map((agent) => agent.cpuSeconds).filter((value): value is number => value !== undefined));
    const rss = Math.max(0, ...result.agents.map((agent) => agent.peakRssMiB ?? 0));
    const times = (result.rangeTimeline ?? []).map(([at]) => at);
    const when = times.length > 0 ? `, at ${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} s` : '';
    const averageRange = result.rangeRequests > 0 ? `${result.rangeRequests} × ${(result.rangeBytesAsked / result.rangeRequests / mib).toFixed(2)} MiB${when}` : '–';
    return [
      `${result.scenario}`,
      String(result.n),
      kindNames[result.kind],
      `${done}/${result.n}${result.failures.length > 0 ? ` (${result.failures[0].slice(0, 80)})` : ''}`,
      seconds(result.tAllSeconds),
      seconds(result.tMinSeconds),
      result.eta === undefined ? '–' : result.eta.toFixed(2),
      `${(result.originBytes / result.fileBytes).toFixed(2)} (${(result.originPeerBytes / result.fileBytes).toFixed(2)} + ${(result.webSeedBytes / result.fileBytes).toFixed(2)})`,
      (result.originLinkTxBytes / result.fileBytes).toFixed(2),
      agentUploadUse(result),
      uploadUseByFifth(result),
      averageRange,
      seconds(result.p50Seconds),
      seconds(result.p90Seconds),
      cpu === undefined ? '–' : cpu.toFixed(1),
      rss > 0 ? rss.toFixed(0) : '–',
    ];
  });
  const table = markdownTable(
    ['scenario', 'N', 'swarm', 'complete', 'T_all s', 'T_min s', 'η', 'origin bytes / F (peer + web seed)', 'origin link tx / F', 'agent upload use', 'agent upload use % by fifth of T_all', 'web seed range requests', 'p50 s', 'p90 s', 'agent CPU s (mean)', 'agent peak RSS MiB (max)'],
    rows,
  );
  const targets = targetLines(results);
  return [
    '# Swarm benchmark (S1, S3, S8): shaped network namespaces, seedfleet vs libtorrent vs plain HTTP',
    '',
    'Generated by `npm run bench:swarm`. Each row is one swarm run; ours, libtorrent and HTTP run one after the other on the same network in one invocation.',
    'T_min = max(F/u_s, F/d_min, N·F/(u_s+Σu_i)); η = T_min / T_all. Agent upload use = (N·F − origin bytes) ÷ (Σu_i · T_all). Origin bytes = payload the origin sent: its peer\'s upload counter + the web seed\'s byte counter (S3 has no origin peer); the link column is the origin interface\'s kernel tx counter (headers included) as a cross-check.',
    '',
    table,
    '',
    ...(targets.length > 0 ? ['Targets (QUALITY.md):', '', ...targets, ''] : []),
    ...corrupterLines(results),
    ...charts.flatMap((chart) => [`![${chart.title}](${chart.file})`, '']),
    ...Object.entries(environment).map(([key, value]) => `- ${key}: ${value}`),
    '',
  ].join('\n');
}
