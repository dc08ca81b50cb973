import { StorageError } from './object-store';

/** S3's limit on a key's UTF-8 length; the local adapter keeps the same limit so keys move between them. */
export const MAX_KEY_BYTES = 1024;

/**
 * Checks the key rules of the port (object-store.ts): a `/`-separated relative path with no empty, `.` or
 * `..` segments, no backslash, NUL or other control character, no lone surrogate, and at most
 * MAX_KEY_BYTES bytes. Both adapters apply the same rules so a key one accepts the other accepts too.
 */
export function validateKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new StorageError('bad-key', `invalid object key ${JSON.stringify(key)}: ${problem}`, key);
  return key;
}

/**
 * A list prefix is a key's beginning: empty (everything), or a path that may end in `/` or in a partial
 * segment (`releases/rel_1/fi`). The segments it holds follow the key rules.
 */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const problem = keyProblem(body);
  if (problem) throw new StorageError('bad-key', `invalid list prefix ${JSON.stringify(prefix)}: ${problem}`, prefix);
  return prefix;
}

function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'not a string';
  if (key.length === 0) return 'empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\0')) return 'contains NUL';
  if (key.includes('\\')) return 'contains a backslash';
  // Control characters cannot travel in S3's XML listings; lone surrogates have no UTF-8 form.
  if (/[\u0001-\u001f\u007f]/.test(key)) return 'contains a control character';
  if (/\p{Cs}/u.test(key)) return 'is not valid Unicode (lone surrogate)';
  if (key.startsWith('/')) return 'absolute (starts with /)';
  for (const segment of key.split('/')) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" path segment`;
  }
  return undefined;
}

export function isValidKey(key: string): boolean {
  return keyProblem(key) === undefined;
}
