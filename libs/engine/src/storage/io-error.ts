import { StorageError } from './piece-store';

const noSpaceCodes = new Set(['ENOSPC', 'EDQUOT']);
const missingCodes = new Set(['ENOENT', 'ENOTDIR']);

/** Wraps a file-system failure as a StorageError whose code says what a caller can do about it. */
export function toStorageError(error: unknown, action: string, path: string): StorageError {
  if (error instanceof StorageError) {
    return error.path !== undefined ? error : new StorageError(error.code, `${action} ${path}: ${error.message}`, path, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  const kind = noSpaceCodes.has(code) ? 'no-space' : missingCodes.has(code) ? 'missing' : 'io';
  return new StorageError(kind, `${action} ${path}: ${reason}`, path, { cause: error });
}
