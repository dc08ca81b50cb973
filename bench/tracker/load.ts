import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LatencyHistogram } from './latency-histogram';
import type { LoadJob, LoadResult } from './load-types';

export interface LoadStep {
  readonly connections: number;
  readonly announcesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly firstError?: string;
  /** Answers in all, warm-up included. */
  readonly answered: number;
}

export interface LoadPlan {
  readonly endpoints: LoadJob['targets'];
  readonly keepAlive: boolean;
  readonly infoHashes: readonly string[];
  readonly peers: number;
  readonly threads: number;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** The fill phase: every peer announces once, then the threads stop. */
  readonly fill?: boolean;
}

/** Runs the generator threads (each its share of connections and of the distinct peers) and merges their results. */
export async function runLoad(plan: LoadPlan): Promise<LoadStep> {
  const perThread = Math.ceil(plan.peers / plan.threads);
  const jobs: LoadJob[] = Array.from({ length: plan.threads }, (_, index) => ({
    targets: plan.endpoints,
    keepAlive: plan.keepAlive,
    path: '/announce',
    connections: Math.max(1, Math.round(plan.connections / plan.threads)),
    infoHashes: plan.infoHashes,
    peerOffset: index * perThread,
    peerCount: perThread,
    startAt: plan.fill ? 0 : Math.floor(Math.random() * perThread),
    requestLimit: plan.fill ? perThread : undefined,
    warmupMs: plan.warmupMs,
    durationMs: plan.durationMs,
  }));
  const results = await Promise.all(jobs.map(runWorker));
  const histogram = new LatencyHistogram();
  for (const result of results) histogram.add(result.histogram);
  const completed = results.reduce((sum, result) => sum + result.completed, 0);
  return {
    connections: jobs.reduce((sum, job) => sum + job.connections, 0),
    announcesPerSecond: completed / (plan.durationMs / 1000),
    p50Ms: histogram.quantile(0.5),
    p99Ms: histogram.quantile(0.99),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    firstError: results.find((result) => result.firstError !== undefined)?.firstError,
    answered: results.reduce((sum, result) => sum + result.answered, 0),
  };
}

function runWorker(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'load-worker.js'), { workerData: job });
    worker.once('message', (message: LoadResult | { fatal: string }) => {
      if ('fatal' in message) reject(new Error(`load generator: ${message.fatal}`));
      else resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
  });
}
