import { Transform } from 'node:stream';
import type { ObjectStore } from '@seedfleet/storage';
import { startBuildWorker } from '../../../apps/publisher/src/worker';

/**
 * A standalone build worker (apps/publisher/src/worker.ts) whose artifact reads are throttled by
 * TEST_READ_DELAY_MS per chunk, so a test can kill it while a build is observably in progress. Short BullMQ
 * leases let the next worker take the stalled job over within seconds.
 */
const delayMs = Number(process.env.TEST_READ_DELAY_MS ?? '0');

function throttledReads(store: ObjectStore): ObjectStore {
  if (delayMs <= 0) return store;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'get') {
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: Parameters<ObjectStore['get']>) => {
        const result = await target.get(...args);
        if (!args[0].includes('/files/')) return result;
        const slow = new Transform({ transform: (chunk, _encoding, done) => setTimeout(() => done(null, chunk), delayMs) });
        result.body.on('error', (error) => slow.destroy(error));
        return { ...result, body: result.body.pipe(slow) };
      };
    },
  });
}

startBuildWorker({ wrapObjectStore: throttledReads, buildWorker: { lockDurationMs: 2_000, stalledIntervalMs: 1_000 } }).catch((error: unknown) => {
  process.stderr.write(`slow worker: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
