import type { BValue } from '@seedfleet/bencode';
import { MetainfoError } from './errors';
import { expectBytes, expectList } from './fields';
import { lenientText } from './text';

/**
 * Paths from a torrent become file names on disk, so anything that could escape the download directory
 * or mean something else to a file system is refused rather than rewritten: '.', '..', empty components,
 * separators ('/' and, for Windows, '\') and NUL.
 */
export function checkPathComponent(component: string, field: string): string {
  const problem = pathComponentProblem(component);
  if (problem !== undefined) throw new MetainfoError(field, problem);
  return component;
}

/** Why the component is refused, or undefined: checkPathComponent without building a field name per call. */
export function pathComponentProblem(component: string): string | undefined {
  if (component.length === 0) return 'path components must not be empty';
  if (component === '.' || component === '..') return `path component '${component}' is not allowed`;
  if (component.includes('/') || component.includes('\\')) return `path component ${JSON.stringify(component)} must not contain '/' or '\\'`;
  if (component.includes('\0')) return `path component ${JSON.stringify(component)} must not contain NUL`;
  return undefined;
}

/** A bencoded list of byte strings as checked path components. */
export function readPath(value: BValue, field: string): string[] {
  const parts = expectList(value, field);
  if (parts.length === 0) throw new MetainfoError(field, 'must not be empty');
  return parts.map((part, i) => checkPathComponent(lenientText(expectBytes(part, `${field}[${i}]`)), field));
}
