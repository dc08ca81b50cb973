import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CliError, describeSystemError } from '../cli-error';

/** A file to publish: its path inside the release (`/`-separated) and where it is on disk. */
export interface LocalFile {
  readonly path: string;
  readonly absolute: string;
  readonly size: number;
}

/**
 * The files of `root`: the file itself (named by its base name), or every file below the directory with
 * its relative path, sorted. Symbolic links are followed (a loop is an error); empty files and names the
 * publisher cannot take are refused up front, before anything is uploaded.
 */
export async function collectFiles(root: string): Promise<LocalFile[]> {
  const top = await statOrFail(root);
  const files: LocalFile[] = [];
  if (top.isFile()) files.push({ path: basename(root), absolute: root, size: top.size });
  else if (top.isDirectory()) await walk(root, '', new Set([await realpath(root)]), files);
  else throw new CliError(`'${root}' is neither a file nor a directory`);
  if (files.length === 0) throw new CliError(`'${root}' holds no files to publish`);
  const empty = files.filter((file) => file.size === 0).map((file) => file.path);
  if (empty.length > 0) throw new CliError(`empty files cannot be published (a release file must have content): ${listSome(empty)}`);
  const badNames = files.filter((file) => /[\\\u0000-\u001f\u007f]|^[A-Za-z]:/.test(file.path)).map((file) => JSON.stringify(file.path));
  if (badNames.length > 0) throw new CliError(`file names with a backslash, a control character or a leading drive letter cannot be published: ${listSome(badNames)}`);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function walk(dir: string, prefix: string, seen: Set<string>, into: LocalFile[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new CliError(`cannot read '${dir}': ${describeSystemError(error)}`, { cause: error });
  }
  for (const entry of entries) {
    const absolute = join(dir, entry.name);
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const info = entry.isSymbolicLink() ? await statOrFail(absolute) : entry;
    if (info.isDirectory()) {
      const real = await realpath(absolute);
      if (seen.has(real)) throw new CliError(`'${absolute}' links back to a directory already being published (symbolic link loop)`);
      await walk(absolute, path, new Set([...seen, real]), into);
    } else if (info.isFile()) {
      into.push({ path, absolute, size: (await statOrFail(absolute)).size });
    } else {
      throw new CliError(`'${absolute}' is not a regular file (sockets, devices and FIFOs cannot be published)`);
    }
  }
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    throw new CliError(`cannot read '${path}': ${describeSystemError(error)}`, { cause: error });
  }
}

function listSome(items: readonly string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`;
}
