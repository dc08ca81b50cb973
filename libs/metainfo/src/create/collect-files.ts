import { lstat, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { CreateTorrentError } from './create-error';
import { localSourceFile, type LocalSourceFile } from './local-source';
import { WALK_WORKER_SOURCE } from './walk-worker-source';

interface WalkedFile {
  fullPath: string;
  path: string[];
  length: number;
  executable: boolean;
}

type WalkFailure = { subject: string; message: string } | { code?: string; errno?: number; syscall?: string; path?: string; message: string };

/** The files under `root` (a file, or a directory walked by the rules in walk-worker-source.ts). */
export async function collectFiles(root: string): Promise<LocalSourceFile[]> {
  const rootStats = await stat(root);
  if (rootStats.isFile()) return [localSourceFile(root, [], rootStats.size, (await lstat(root)).mode & 0o100 ? 'x' : '')];
  if (!rootStats.isDirectory()) throw new CreateTorrentError(root, 'is neither a file nor a directory');
  const files = await walkOnWorker(root);
  return files.map((file) => localSourceFile(file.fullPath, file.path, file.length, file.executable ? 'x' : ''));
}

function walkOnWorker(root: string): Promise<WalkedFile[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WALK_WORKER_SOURCE, { eval: true, workerData: { root } });
    worker.once('message', (answer: { files: WalkedFile[] } | { failure: WalkFailure }) => {
      if ('files' in answer) resolve(answer.files);
      else reject(walkError(answer.failure));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the directory walk stopped (exit code ${code}) before it answered`)));
  });
}

function walkError(failure: WalkFailure): Error {
  if ('subject' in failure) return new CreateTorrentError(failure.subject, failure.message);
  // A system error keeps its fields, so callers can tell ENOENT from EACCES as with fs itself.
  return Object.assign(new Error(failure.message), { code: failure.code, errno: failure.errno, syscall: failure.syscall, path: failure.path });
}
