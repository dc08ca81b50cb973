import { createHash } from 'node:crypto';
import { HashPool } from '../src';

/**
 * Hash throughput of the pool: 1 GiB in 1 MiB pieces, SHA-1 and v2 (SHA-256 blocks + subtree), with
 * 1 and 2 workers, alternating configurations over several rounds (QUALITY.md: shared, noisy machine).
 * Run compiled: `node dist/libs/hashing/bench/throughput.js [rounds]`.
 */
const GIB = 1 << 30;
const PIECE = 1 << 20;

async function hashGiB(pool: HashPool, kind: 'sha1' | 'v2'): Promise<number> {
  const spare: Buffer[] = Array.from({ length: pool.maxPending }, () => Buffer.alloc(PIECE, 0xa5));
  const inFlight: Promise<unknown>[] = [];
  const started = process.hrtime.bigint();
  for (let done = 0; done < GIB; done += PIECE) {
    const data = spare.pop() ?? Buffer.alloc(PIECE, 0xa5);
    const { result } = await pool.submit({ kind, data });
    inFlight.push(result.then((hashed) => spare.push(hashed.data)));
  }
  await Promise.all(inFlight);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function mainThreadSeconds(algorithm: string): number {
  const data = Buffer.alloc(PIECE, 0xa5);
  const started = process.hrtime.bigint();
  for (let done = 0; done < GIB; done += PIECE) createHash(algorithm).update(data).digest();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const samples = new Map<string, number[]>();
  const record = (label: string, seconds: number): void => void samples.set(label, [...(samples.get(label) ?? []), 1 / seconds]);
  for (let round = 0; round < rounds; round++) {
    record('main thread, sha1', mainThreadSeconds('sha1'));
    record('main thread, sha256', mainThreadSeconds('sha256'));
    for (const size of [1, 2]) {
      const pool = new HashPool({ size });
      for (const kind of ['sha1', 'v2'] as const) record(`${size} worker(s), ${kind}`, await hashGiB(pool, kind));
      await pool.close();
    }
  }
  console.log('| configuration | median GiB/s | min-max |\n|---|---|---|');
  for (const [label, values] of samples) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`| ${label} | ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} | ${sorted[0].toFixed(2)}-${sorted.at(-1)!.toFixed(2)} |`);
  }
}

void main();
