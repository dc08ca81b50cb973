import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileTree } from '@seedfleet/testing';
import type { Dataset } from './datasets';

/**
 * Makes `<dataRoot>/<id>` hold exactly the dataset, regenerating only when its spec changed: the marker
 * file beside the directory (not inside, where it would be hashed) records the spec's digest.
 */
export async function prepareDataset(dataRoot: string, dataset: Dataset): Promise<string> {
  const directory = join(dataRoot, dataset.id);
  const marker = `${directory}.spec-sha256`;
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
