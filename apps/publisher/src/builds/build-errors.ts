import { CreateTorrentError } from '@seedfleet/metainfo';
import { StorageError } from '@seedfleet/storage';

/** The stored files no longer match the release record (changed or removed since upload): retrying cannot help. */
export class BuildInputError extends Error {
  override name = 'BuildInputError';
}

/**
 * Whether another attempt could succeed: storage outages and crashes yes; files that differ from the
 * record, missing records or files, and torrents the files cannot make no.
 */
export function isRetryable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof BuildInputError) return false;
    if (cause instanceof StorageError) return cause.code !== 'not-found' && cause.code !== 'bad-key';
  }
  return !(error instanceof CreateTorrentError);
}

/** The message chain, for the release record's `error`; a BuildInputError's message says it all. */
export function describeError(error: unknown): string {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof BuildInputError) return cause.message;
  }
  const parts: string[] = [];
  for (let cause = error; cause instanceof Error && parts.length < 4; cause = cause.cause) {
    if (!parts.some((part) => part.includes(cause.message))) parts.push(cause.message);
  }
  return parts.join(': ') || String(error);
}
