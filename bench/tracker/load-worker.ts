import { connect } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { KeepAliveConnection } from './keep-alive-connection';
import { LatencyHistogram } from './latency-histogram';
import type { LoadJob, LoadResult } from './load-types';

/**
 * One load-generator thread: `connections` keep-alive connections (bare sockets, see KeepAliveConnection)
 * spread over the targets, each a closed loop (send an announce, wait for the answer, send the next).
 * Peers cycle through this worker's slice of the distinct peer ids; each peer's first announce is `started`.
 */
async function run(job: LoadJob): Promise<LoadResult> {
  const histogram = new LatencyHistogram();
  const infoHashes = job.infoHashes.map(percentEncodeHex);
  let next = job.startAt;
  let sent = 0;
  let answered = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = new Uint8Array(job.peerCount);
  const warmupEndsAt = performance.now() + job.warmupMs;
  const endsAt = warmupEndsAt + job.durationMs;

  const path = (): string => {
    const slot = next++ % job.peerCount;
    const peer = job.peerOffset + slot;
    const event = started[slot] === 0 ? '&event=started' : '';
    started[slot] = 1;
    const peerId = `-BT0001-${String(peer).padStart(12, '0')}`;
    return `${job.path}?info_hash=${infoHashes[peer % infoHashes.length]}&peer_id=${peerId}&port=${10_000 + (peer % 50_000)}&uploaded=0&downloaded=0&left=${peer % 3 === 0 ? 0 : 1000}&compact=1&numwant=50${event}`;
  };

  const measured = (sentAt: number): void => {
    answered++;
    const now = performance.now();
    if (sentAt >= warmupEndsAt && now <= endsAt) {
      completed++;
      histogram.record(now - sentAt);
    }
  };
  const failed = (sentAt: number, reason: string): void => {
    if (sentAt >= warmupEndsAt) errors++;
    firstError ??= reason;
  };
  /** The answer must be a bencoded dict without a failure reason. */
  const check = (status: number | undefined, body: Buffer): string | undefined => {
    if (status !== 200) return `HTTP ${status}: ${body.toString('latin1', 0, 200)}`;
    if (body[0] !== 0x64 || body.includes(FAILURE_REASON)) return `failure: ${body.toString('latin1', 0, 200)}`;
    return undefined;
  };

  /**
   * A closed loop on one keep-alive connection, driven by callbacks (no Promise or await per request);
   * a broken connection counts as an error and is replaced.
   */
  const keepAliveLoop = (target: number): Promise<void> =>
    new Promise((finished) => {
      const { host, port } = job.targets[target];
      let connection: KeepAliveConnection | undefined;
      let sentAt = 0;
      const answered = (error: Error | undefined, status: number, body: Buffer | undefined): void => {
        if (error) failed(sentAt, error.message);
        else {
          const problem = check(status, body!);
          if (problem === undefined) measured(sentAt);
          else failed(sentAt, problem);
        }
        sendNext();
      };
      const sendNext = (): void => {
        if (!more()) {
          connection?.close();
          finished();
          return;
        }
        if (!connection?.usable) connection = new KeepAliveConnection(host, port, 5000);
        sentAt = performance.now();
        sent++;
        connection.request(`GET ${path()} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, sentAt, answered);
      };
      sendNext();
    });

  /**
   * One connection per announce, for trackers that close after answering (opentracker). A plain socket,
   * not node:http without keep-alive: opentracker drops about half of node:http's "Connection: close"
   * requests unanswered (curl and this raw request are always answered).
   */
  const announceOnce = (target: number): Promise<void> =>
    new Promise((resolve) => {
      const sentAt = performance.now();
      sent++;
      const { host, port } = job.targets[target];
      const chunks: Buffer[] = [];
      let done = false;
      const finish = (reason?: string): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        if (reason !== undefined) failed(sentAt, reason);
        resolve();
      };
      const socket = connect({ host, port });
      const timer = setTimeout(() => finish('no answer within 5 s'), 5000);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', (error) => finish(error.message));
      socket.on('close', () => {
        const answer = Buffer.concat(chunks);
        const headEnd = answer.indexOf('\r\n\r\n');
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer.toString('latin1', 0, 16))?.[1];
        const problem = headEnd < 0 ? 'connection closed without an answer' : check(Number(status), answer.subarray(headEnd + 4));
        if (problem === undefined) measured(sentAt);
        finish(problem);
      });
      socket.write(`GET ${path()} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`);
    });

  const more = (): boolean => performance.now() < endsAt && (job.requestLimit === undefined || sent < job.requestLimit);
  const loop = async (index: number): Promise<void> => {
    const target = index % job.targets.length;
    if (job.keepAlive) return keepAliveLoop(target);
    while (more()) await announceOnce(target);
  };
  await Promise.all(Array.from({ length: job.connections }, (_, index) => loop(index)));
  return { completed, answered, errors, firstError, histogram: histogram.counts, measuredMs: job.durationMs };
}

const FAILURE_REASON = Buffer.from('failure reason');

function percentEncodeHex(hex: string): string {
  return hex.replace(/../g, (pair) => `%${pair}`);
}

void run(workerData as LoadJob).then(
  (result) => parentPort!.postMessage(result),
  (error: unknown) => parentPort!.postMessage({ fatal: error instanceof Error ? error.message : String(error) }),
);
