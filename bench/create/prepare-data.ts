import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileTree } from '@seedfleet/testing';
import { type Dataset, totalBytes } from './datasets';

export interface DataStore {
  /** Holds the dataset directories (and their spec markers). */
  readonly dataRoot: string;
  /** On a tmpfs: reads never wait for the disk, and no cache warming is needed. */
  readonly inMemory: boolean;
}

const TMPFS_MAGIC = 0x01021994;
const SHM = '/dev/shm';
/** Left free on the tmpfs: the tools' own memory (libtorrent maps whole files) comes out of the same RAM. */
const TMPFS_MARGIN = 6 * 1024 ** 3;

/**
 * Where the datasets go, as `<base>/<subdirectory>`: the base is `given` if any; else a tmpfs (/dev/shm)
 * with room for all of them plus a margin, as the datasets and the tools compete with nothing on disk
 * there; else `fallback` on disk. Datasets already on the tmpfs (a --keep-data run) count as room.
 */
export async function chooseDataStore(given: string | undefined, fallback: string, subdirectory: string, datasets: readonly Dataset[]): Promise<DataStore> {
  if (given !== undefined) return { dataRoot: join(given, subdirectory), inMemory: await isTmpfs(given) };
  const onDisk = { dataRoot: join(fallback, subdirectory), inMemory: false };
  const stats = await statfs(SHM).catch(() => undefined);
  if (stats === undefined || stats.type !== TMPFS_MAGIC) return onDisk;
  const dataRoot = join(SHM, 'seedfleet-bench', subdirectory);
  const needed = datasets.reduce((sum, dataset) => sum + totalBytes(dataset), 0) + TMPFS_MARGIN;
  const present = await Promise.all(datasets.map((dataset) => readFile(specMarker(dataRoot, dataset)).then(() => totalBytes(dataset), () => 0)));
  const free = stats.bavail * stats.bsize + present.reduce((sum, bytes) => sum + bytes, 0);
  return free >= needed ? { dataRoot, inMemory: true } : onDisk;
}

/** Beside the dataset's directory (not inside, where it would be hashed): the digest of the spec it holds. */
function specMarker(dataRoot: string, dataset: Dataset): string {
  return `${join(dataRoot, dataset.id)}.spec-sha256`;
}

async function isTmpfs(directory: string): Promise<boolean> {
  await mkdir(directory, { recursive: true });
  return (await statfs(directory)).type === TMPFS_MAGIC;
}

/**
 * Makes `<dataRoot>/<id>` hold exactly the dataset, regenerating only when its spec changed: the marker
 * file beside the directory (not inside, where it would be hashed) records the spec's digest.
 */
export async function prepareDataset(dataRoot: string, dataset: Dataset): Promise<string> {
  const directory = join(dataRoot, dataset.id);
  const marker = specMarker(dataRoot, dataset);
  const digest = createHash('sha256').update(JSON.stringify(dataset.files)).digest('hex');
  const existing = await readFile(marker, 'utf8').catch(() => '');
  if (existing === digest) return directory;
  await rm(marker, { force: true });
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  await writeFileTree(directory, dataset.files);
  await writeFile(marker, digest);
  return directory;
}

/** Page cache cannot be dropped without root, so every tool gets a warm cache: read everything once first. */
export async function warmCache(directory: string, dataset: Dataset): Promise<void> {
  for (const file of dataset.files) {
    for await (const _chunk of createReadStream(join(directory, ...file.path.split('/')), { highWaterMark: 4 * 1024 * 1024 })) {
      // Reading is the point.
    }
  }
}
