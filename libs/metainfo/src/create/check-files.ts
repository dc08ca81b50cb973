import { MetainfoError } from '../errors';
import { checkPathConflicts } from '../path-conflicts';
import { checkPathComponent, pathComponentProblem } from '../path-component';
import type { CreateSourceFile } from './create-options';
import { CreateTorrentError } from './create-error';

const ALLOWED_ATTRIBUTES = /^[xh]*$/;

/** The same path rules the parser enforces, reported as CreateTorrentError. */
export function checkFiles(files: readonly CreateSourceFile[], name: string): void {
  checkName(name);
  if (files.length === 0) throw new CreateTorrentError('files', 'there must be at least one file');
  const single = files.length === 1 && files[0].path.length === 0;
  files.forEach((file, index) => checkFile(file, index, single));
  const asModel = files.map((file) => ({ path: [...file.path], pad: false, length: 0, offset: 0, attributes: '' }));
  translated(() => checkPathConflicts(asModel, (index) => `files[${index}].path`));
}

export function checkName(name: string): void {
  translated(() => checkPathComponent(name, 'name'));
}

/**
 * One file's path, length and attributes (`files[index]`); `single`: it is the only file of a single-file
 * torrent. Field names are built only for an error: a 10k-file walk checks every file.
 */
export function checkFile(file: CreateSourceFile, index: number, single: boolean): void {
  if (file.path.length === 0 && !single) throw new CreateTorrentError(`files[${index}].path`, 'an empty path is only allowed for the only file of a single-file torrent');
  checkComponents(file.path, index, 'path');
  if (!Number.isSafeInteger(file.length) || file.length < 0) throw new CreateTorrentError(`files[${index}].length`, `must be a non-negative safe integer, got ${file.length}`);
  if (!ALLOWED_ATTRIBUTES.test(file.attributes ?? '')) {
    throw new CreateTorrentError(`files[${index}].attributes`, `may only contain 'x' (executable) and 'h' (hidden), got ${JSON.stringify(file.attributes)}`);
  }
  if (file.symlinkPath !== undefined) {
    if (file.length !== 0) throw new CreateTorrentError(`files[${index}].length`, `a symlink has length 0, got ${file.length}`);
    if (file.symlinkPath.length === 0) throw new CreateTorrentError(`files[${index}].symlinkPath`, 'must not be empty');
    checkComponents(file.symlinkPath, index, 'symlinkPath');
  }
}

function checkComponents(components: readonly string[], index: number, key: 'path' | 'symlinkPath'): void {
  for (const component of components) {
    const problem = pathComponentProblem(component);
    if (problem !== undefined) throw new CreateTorrentError(`files[${index}].${key}`, problem);
  }
}

function translated(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof MetainfoError)) throw error;
    throw new CreateTorrentError(error.field, error.message.slice(error.field.length + 2), { cause: error });
  }
}
