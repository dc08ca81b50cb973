import { conflict } from '../api/api-error';
import type { ReleaseFile } from './release.model';

/** Bytewise path order: the order records list files in (the torrent sorts them its own way). */
export const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The file list with `file` added or replaced; a 409 when a file would also have to be a directory. */
export function withFile(files: readonly ReleaseFile[], file: ReleaseFile): ReleaseFile[] {
  checkNoFileDirectoryClash(files, file.path);
  return [...files.filter((existing) => existing.path !== file.path), file].sort(byPath);
}

export function checkNoFileDirectoryClash(files: readonly { path: string }[], path: string): void {
  const clash = files.find((existing) => existing.path.startsWith(`${path}/`) || path.startsWith(`${existing.path}/`));
  if (clash) throw conflict(`"${path}" clashes with the release file "${clash.path}": one would have to be a directory`);
}

export const totalSize = (files: readonly ReleaseFile[]): number => files.reduce((sum, file) => sum + file.size, 0);

/** The torrent name: `<product>-<version>`; both are already restricted to path-safe characters. */
export const torrentNameOf = (product: string, version: string): string => `${product}-${version}`;
