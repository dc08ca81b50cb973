import { StorageError, type StorageErrorCode } from './object-store';

const codeByErrno: Record<string, StorageErrorCode> = {
  ENOSPC: 'io',
  EDQUOT: 'io',
  EACCES: 'access-denied',
  EPERM: 'access-denied',
  EROFS: 'access-denied',
  ENAMETOOLONG: 'bad-key',
  EMFILE: 'unavailable',
  ENFILE: 'unavailable',
  EBUSY: 'unavailable',
  EAGAIN: 'unavailable',
};

const explanation: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'a path segment is too long for the file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

/** Turns a Node file-system error into a StorageError that names the key, the operation and the errno. */
export function fsStorageError(error: unknown, operation: string, key: string): StorageError {
  if (error instanceof StorageError) return error;
  const errno = errnoOf(error);
  const code: StorageErrorCode = (errno && codeByErrno[errno]) || 'io';
  const detail = errno && explanation[errno] ? `${explanation[errno]} (${errno})` : error instanceof Error ? error.message : String(error);
  return new StorageError(code, `${operation} ${key} failed: ${detail}`, key, { cause: error });
}

export function errnoOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
