/** Link rates of a swarm, Mbit/s (10^6 bits per second, as tc counts them). */
export interface SwarmLinks {
  readonly originUpMbit: number;
  readonly agents: readonly { readonly upMbit: number; readonly downMbit: number }[];
}

const bytesPerSecond = (mbit: number): number => (mbit * 1e6) / 8;

/**
 * The fastest any distribution can finish (QUALITY.md S1): the origin must send F once, the slowest
 * downloader must receive F, and N·F must be uploaded by origin and agents together.
 */
export function minimumSeconds(fileBytes: number, links: SwarmLinks): number {
  const originUp = bytesPerSecond(links.originUpMbit);
  const slowestDown = Math.min(...links.agents.map((agent) => bytesPerSecond(agent.downMbit)));
  const totalUp = originUp + links.agents.reduce((sum, agent) => sum + bytesPerSecond(agent.upMbit), 0);
  return Math.max(fileBytes / originUp, fileBytes / slowestDown, (links.agents.length * fileBytes) / totalUp);
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new RangeError('no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
