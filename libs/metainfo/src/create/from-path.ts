import { lstat, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fillJobPoolOptions, HashPool } from '@seedfleet/hashing';
import type { TorrentVersion } from '../model';
import { assembleTorrent, checkTopLevel } from './assemble';
import { checkFile, checkName } from './check-files';
import { CreateTorrentError } from './create-error';
import type { CreatedTorrent, CreateOptions } from './create-options';
import { createTorrent } from './create-torrent';
import { hashLocalFiles } from './hash-plan';
import { encodeFileList } from './info-dict';
import { TorrentLayout } from './layout';
import { localSourceFile, type LocalSourceFile } from './local-source';
import { checkPieceLength } from './piece-length';
import { checkVersion, type PlannedFile } from './plan';
import { walkDirectory } from './walk';

/**
 * createTorrent over a file (a single-file torrent) or a directory; the name defaults to its base name.
 * The files are local, so the hash workers read them themselves. With a piece length given, hashing
 * starts with the first directory walked instead of after the whole walk.
 */
export async function createTorrentFromPath(path: string, options: CreateOptions = {}): Promise<CreatedTorrent> {
  const root = resolve(path);
  const name = options.name ?? basename(root);
  const pool = options.pool ?? new HashPool(fillJobPoolOptions());
  // The threads boot while the directory is walked.
  if (options.pool === undefined) pool.prestart();
  try {
    const rootStats = await stat(root);
    if (rootStats.isFile()) {
      const file = localSourceFile(root, [], rootStats.size, (await lstat(root)).mode & 0o100 ? 'x' : '');
      return await createTorrent([file], { ...options, pool, name });
    }
    if (!rootStats.isDirectory()) throw new CreateTorrentError(root, 'is neither a file nor a directory');
    const version = checkVersion(options.version);
    if (options.pieceLength === undefined) {
      // The piece length follows from the total size, so hashing waits for the whole walk.
      const files: LocalSourceFile[] = [];
      for await (const slice of walkDirectory(root, version, options.signal)) files.push(...slice);
      return await createTorrent(files, { ...options, pool, name });
    }
    return await hashWhileWalking(root, name, version, options.pieceLength, pool, options);
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}

async function hashWhileWalking(root: string, name: string, version: TorrentVersion, pieceLength: number, pool: HashPool, options: CreateOptions): Promise<CreatedTorrent> {
  checkName(name);
  const layout = new TorrentLayout(version, checkPieceLength(pieceLength, version));
  checkTopLevel(options);
  let walked!: () => void;
  const walkEnded = new Promise<void>((resolve) => (walked = resolve));
  const hashing = hashLocalFiles(laidOut(walkDirectory(root, version, options.signal), layout, walked), layout, pool, options);
  // The v1 file list is complete when the walk ends: encoding it while the last pieces hash takes it off
  // the critical path (10k files: ~40 ms). After a turn, so the last jobs are handed out first.
  const fileList = version === 'v2' ? undefined : walkEnded.then(nextTurn).then(() => encodeFileList(layout.files));
  const [collected, files] = await Promise.all([hashing, fileList]);
  const plan = layout.plan(name, false);
  return assembleTorrent(plan, collected.hashes(plan), options, files);
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The walked files laid out, a slice at a time. A directory holds no two entries of the same name and no
 * name that is both a file and a directory, so only each file's own path needs checking (checkFiles
 * also looks for such conflicts, which the file list of a caller may have).
 */
async function* laidOut(slices: AsyncIterable<LocalSourceFile[]>, layout: TorrentLayout, walked: () => void): AsyncGenerator<PlannedFile[]> {
  let index = 0;
  for await (const slice of slices) {
    const placed: PlannedFile[] = [];
    for (const file of slice) {
      checkFile(file, index++, false);
      placed.push(...layout.add(file));
    }
    yield placed;
  }
  const last = layout.finish();
  walked();
  yield last;
}
