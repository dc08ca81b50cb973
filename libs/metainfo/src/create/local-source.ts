import { createReadStream } from 'node:fs';
import type { CreateSourceFile } from './create-options';
import type { PlannedFile } from './plan';

/** A source that is a file on local disk, so creation can read it with positional reads straight into pieces. */
export interface LocalSourceFile extends CreateSourceFile {
  readonly localPath: string;
}

export function localSourceFile(localPath: string, path: string[], length: number, attributes: string): LocalSourceFile {
  return new LocalFile(localPath, path, length, attributes);
}

/** A class, not an object literal with an `open` closure: one closure and context fewer per file of a walk. */
class LocalFile implements LocalSourceFile {
  constructor(
    readonly localPath: string,
    readonly path: string[],
    readonly length: number,
    readonly attributes: string,
  ) {}

  // Kept for the CreateSourceFile contract; hashing a plan of local files never calls it.
  open(): AsyncIterable<Uint8Array> {
    return createReadStream(this.localPath, { highWaterMark: Math.min(4 * 1024 * 1024, Math.max(64 * 1024, this.length)) });
  }
}

export function isLocal(source: CreateSourceFile): source is LocalSourceFile {
  return typeof (source as Partial<LocalSourceFile>).localPath === 'string';
}

/** Every file with data is local (pad files have no source). */
export function allLocal(files: readonly PlannedFile[]): boolean {
  return files.every((file) => file.source === undefined || isLocal(file.source));
}
