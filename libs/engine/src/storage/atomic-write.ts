import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { toStorageError } from './io-error';

/**
 * Replaces `path` with `bytes` so that after a crash at any point the file is either the old one or the
 * new one, never a torn mix: write a temporary file beside it, fsync it, rename it over, fsync the directory
 * (which makes the rename itself durable).
 */
export async function writeFileAtomically(path: string, bytes: Buffer): Promise<void> {
  const directory = dirname(path);
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(directory, { recursive: true });
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw toStorageError(error, 'saving', path);
  }
  await syncDirectory(directory);
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toStorageError(error, 'syncing directory', directory);
  }
}
