import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

export async function createTempDir(prefix = 'seedfleet-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Runs `body` with a fresh directory that is removed afterwards, whether `body` succeeds or not. */
export async function withTempDir<T>(body: (path: string) => Promise<T>, prefix?: string): Promise<T> {
  const dir = await createTempDir(prefix);
  try {
    return await body(dir.path);
  } finally {
    await dir.remove();
  }
}
