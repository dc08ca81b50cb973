import { join } from 'node:path';
import { writeFileTree, type FileSpec } from '@seedfleet/testing';

export const pieceLength = 64 * 1024;

export interface ContentCase {
  readonly name: string;
  /** The path handed to the creators: a file for single-file cases, a directory otherwise. */
  readonly root: string;
  readonly files: readonly FileSpec[];
  readonly single: boolean;
}

/**
 * Small, seeded trees (a few MB) covering the layouts where creators disagree in practice: pad files
 * between and after files, empty files, unicode and hidden names, a file ending exactly on a piece
 * boundary, nested directories.
 */
export const contentCases: readonly ContentCase[] = [
  { name: 'single file', root: 'single.bin', single: true, files: [{ path: 'single.bin', size: 3 * 1024 * 1024 + 12_345 }] },
  { name: 'single file of whole pieces', root: 'aligned.bin', single: true, files: [{ path: 'aligned.bin', size: 16 * pieceLength }] },
  {
    name: 'multi-file with pad files',
    root: 'multi',
    single: false,
    files: [
      { path: 'multi/a.bin', size: 1024 * 1024 + 100 },
      { path: 'multi/b/c.bin', size: 200_001 },
      { path: 'multi/b/d/e.bin', size: 7 },
      { path: 'multi/z.bin', size: 2 * 1024 * 1024 - 1 },
    ],
  },
  {
    name: 'multi-file with empty files, unicode and hidden names, an aligned file',
    root: 'mixed',
    single: false,
    files: [
      { path: 'mixed/.hidden', size: 70_000 },
      { path: 'mixed/.config/empty', size: 0 },
      { path: 'mixed/aligned.bin', size: 4 * pieceLength },
      { path: 'mixed/empty-at-end', size: 0 },
      { path: 'mixed/ünïcødé 文件.txt', size: 10 },
      { path: 'mixed/Zebra.txt', size: 65_537 },
      { path: 'mixed/sub/tail.bin', size: 1_000_000 },
    ],
  },
];

/** Writes the case below `dir`; returns the path to hand to the creators. */
export async function writeCase(dir: string, content: ContentCase): Promise<string> {
  await writeFileTree(dir, content.files);
  return join(dir, content.root);
}

/** Non-pad file paths below the torrent name, '/'-joined, sorted: the layout-independent file list. */
export function expectedFiles(content: ContentCase): { path: string; size: number }[] {
  return content.files
    .map((file) => ({ path: content.single ? file.path : file.path.slice(content.root.length + 1), size: file.size }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
