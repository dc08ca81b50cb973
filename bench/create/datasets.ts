import { createHash } from 'node:crypto';
import type { FileSpec } from '@seedfleet/testing';

export interface Dataset {
  /** Directory name under bench/.data and the torrent name. */
  readonly id: string;
  readonly description: string;
  readonly files: readonly FileSpec[];
  /** Same for every tool, so the info hashes are comparable. */
  readonly pieceLength: number;
}

const MB = 1000 * 1000;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Sizes from a seeded hash, so a dataset is the same on every run and reusable from disk. */
function sizeBetween(seed: string, min: number, max: number): number {
  const sample = createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
  return min + Math.floor(sample * (max - min));
}

function sized(count: number, prefix: string, min: number, max: number): FileSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const path = `${prefix}${String(index).padStart(5, '0')}.bin`;
    return { path, size: sizeBetween(path, min, max) };
  });
}

/** QUALITY.md S5: one 4 GiB file, 20 files of 50-500 MB, 10k small files; `quick` shrinks each ~64x. */
export function createDatasets(quick: boolean): Dataset[] {
  const scale = quick ? 64 : 1;
  const large = (4 * GiB) / scale;
  const smallCount = quick ? 500 : 10_000;
  return [
    { id: 'one-large-file', description: `one ${large / MiB} MiB file`, files: [{ path: 'disk.img', size: large }], pieceLength: 4 * MiB },
    {
      id: 'twenty-files',
      description: `20 files of ${50 / scale}-${500 / scale} MB`,
      files: sized(20, 'part-', Math.round((50 * MB) / scale), Math.round((500 * MB) / scale)),
      pieceLength: 4 * MiB,
    },
    {
      id: 'small-files',
      description: `${smallCount} files of 1-64 KiB in 100 directories`,
      files: sized(smallCount, '', 1024, 64 * 1024).map((file, index) => ({ ...file, path: `dir-${String(index % 100).padStart(2, '0')}/${file.path}` })),
      pieceLength: 256 * 1024,
    },
  ];
}

export function totalBytes(dataset: Dataset): number {
  return dataset.files.reduce((sum, file) => sum + file.size, 0);
}
