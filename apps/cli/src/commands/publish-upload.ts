import { createReadStream } from 'node:fs';
import { CliError, describeSystemError } from '../cli-error';
import type { CliIo } from '../io';
import { ProgressReporter } from '../output/progress-reporter';
import { RequestAbortedError } from '../publisher-client/http-request';
import type { PublisherClient } from '../publisher-client/publisher-client';
import type { ReleaseFileView } from '../publisher-client/types';
import { type LocalFile, sha256File } from './publish-files';

/**
 * Uploads `files` one after the other, each streamed from disk (bounded memory whatever its size), with
 * one progress line for all of them on a terminal. Files the release already holds with the same size and
 * SHA-256 (a publish resumed after an interruption) are not sent again.
 */
export async function uploadFiles(client: PublisherClient, releaseId: string, files: readonly LocalFile[], existing: readonly ReleaseFileView[], io: CliIo): Promise<{ uploaded: number; skipped: number }> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const progress = new ProgressReporter(io.stderr, 'uploading', io.now);
  let done = 0;
  let uploaded = 0;
  let skipped = 0;
  const recorded = new Map(existing.map((file) => [file.path, file]));
  try {
    for (const file of files) {
      const previous = recorded.get(file.path);
      if (previous && previous.size === file.size && previous.sha256 === (await sha256File(file.absolute, io.signal))) {
        done += file.size;
        skipped++;
        progress.update(done, total);
        continue;
      }
      // Bounded by the size announced in Content-Length, whatever happens to the file meanwhile.
      const body = createReadStream(file.absolute, { start: 0, end: file.size - 1 });
      const before = done;
      body.on('data', (chunk) => {
        done += chunk.length;
        progress.update(done, total);
      });
      const stored = await client.uploadFile(releaseId, file.path, body, file.size).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).syscall !== undefined && !io.signal?.aborted) throw new CliError(`cannot read '${file.absolute}': ${describeSystemError(error)}`, { cause: error });
        throw interrupted(error, io, releaseId, `while uploading ${file.path}`);
      });
      if (stored.size !== file.size) throw new CliError(`${file.path}: the publisher stored ${stored.size} bytes, the file has ${file.size}; was it changed during the upload?`);
      done = before + file.size;
      uploaded++;
    }
    progress.update(total, total);
  } catch (error) {
    throw interrupted(error, io, releaseId, 'while checking files');
  } finally {
    progress.finish();
  }
  return { uploaded, skipped };
}

/** Ctrl-C: exit 130 with what to do next; everything else passes through. */
export function interrupted(error: unknown, io: CliIo, releaseId: string, when: string): unknown {
  if (!(error instanceof RequestAbortedError) && !(io.signal?.aborted && (error as Error)?.name === 'AbortError')) return error;
  return new CliError(`interrupted ${when}; release ${releaseId} is still open for uploads: run the same command again to resume`, { cause: error, exitCode: 130 });
}
