import type { HashReadError } from '@seedfleet/hashing';
import { CreateTorrentError } from './create-error';
import { isLocal } from './local-source';
import type { PlannedFile } from './plan';

/** A hash worker's failed read of a local file, told in the torrent's terms (as readSource tells a stream's). */
export function readError(files: readonly PlannedFile[], error: HashReadError): CreateTorrentError {
  const source = files.find((file) => file.source !== undefined && isLocal(file.source) && file.source.localPath === error.path)?.source;
  const subject = source === undefined || source.path.length === 0 ? 'file' : source.path.join('/');
  const declared = source?.length ?? 'its';
  if (error.reason === 'unreadable') return new CreateTorrentError(subject, `cannot be read: ${error.message}`, { cause: error });
  const change = error.reason === 'shorter' ? 'is shorter' : 'is longer';
  return new CreateTorrentError(subject, `${change} than its declared ${declared} bytes (did it change while hashing?)`, { cause: error });
}
