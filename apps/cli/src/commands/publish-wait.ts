import { CliError } from '../cli-error';
import type { CliIo } from '../io';
import { ProgressReporter } from '../output/progress-reporter';
import { RequestAbortedError } from '../publisher-client/http-request';
import type { PublisherClient } from '../publisher-client/publisher-client';
import { PublisherUnreachableError } from '../publisher-client/publisher-error';
import type { ReleaseView } from '../publisher-client/types';

const POLL_INTERVAL_MS = 500;
/** Consecutive failed polls tolerated (a publisher restarting, a load balancer switching replicas). */
const MAX_POLL_FAILURES = 10;
/** Polls a release may stay queued before the user is told nothing is building it yet. */
const QUEUED_NOTICE_POLLS = 10;

/** Polls GET /api/releases/:id until the build is done; shows its hashing progress on a terminal. */
export async function waitForBuild(client: PublisherClient, releaseId: string, io: CliIo): Promise<ReleaseView> {
  const progress = new ProgressReporter(io.stderr, 'building', io.now);
  let failures = 0;
  let queuedPolls = 0;
  try {
    for (;;) {
      let release: ReleaseView;
      try {
        release = await client.getRelease(releaseId);
        failures = 0;
      } catch (error) {
        if (!(error instanceof PublisherUnreachableError) || ++failures >= MAX_POLL_FAILURES) throw error;
        await pause(POLL_INTERVAL_MS * failures, io.signal);
        continue;
      }
      if (release.status === 'ready') return release;
      if (release.status === 'failed') throw new CliError(`the build of release ${releaseId} failed: ${release.error ?? 'no reason given'}`);
      if (release.status === 'retired') throw new CliError(`release ${releaseId} was retired while it was being built`);
      if (release.status === 'queued' && ++queuedPolls === QUEUED_NOTICE_POLLS) {
        progress.finish();
        io.stderr.write(`release ${releaseId} is queued and no build worker has taken it yet (publishers with BUILD_WORKER=off need worker processes); still waiting, Ctrl-C stops waiting\n`);
      }
      if (release.build) progress.update(release.build.bytesDone, release.build.bytesTotal);
      await pause(POLL_INTERVAL_MS, io.signal);
    }
  } catch (error) {
    if (error instanceof RequestAbortedError || io.signal?.aborted) {
      throw new CliError(`interrupted while waiting; the build of release ${releaseId} goes on (see 'seedfleet releases show ${releaseId}')`, { cause: error, exitCode: 130 });
    }
    throw error;
  } finally {
    progress.finish();
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RequestAbortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new RequestAbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
