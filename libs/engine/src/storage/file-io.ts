import type { FileHandle } from 'node:fs/promises';
import { StorageError } from './piece-store';

/** Writes all of `data[from, from + length)` at `position`, whatever the kernel's short writes. */
export async function writeFully(handle: FileHandle, data: Buffer, from: number, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await handle.write(data, from + done, length - done, position + done);
    // A regular file either takes bytes or fails with an errno; zero would loop forever.
    if (bytesWritten === 0) throw new StorageError('io', `write at byte ${position + done} made no progress`);
    done += bytesWritten;
  }
}

/** Reads exactly `length` bytes at `position` into `into[at...]`; a file ending first is 'missing'. */
export async function readFully(handle: FileHandle, into: Buffer, at: number, length: number, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(into, at + done, length - done, position + done);
    if (bytesRead === 0) throw new StorageError('missing', `${path} ends at byte ${position + done}, before the ${length} bytes asked for at ${position}`, path);
    done += bytesRead;
  }
}
