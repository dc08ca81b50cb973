import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TrustError } from '../trust-error';
import { assertStoreName, type MetadataStore } from './metadata-store';

/**
 * Files under a directory, which any static HTTP server can then serve as the TUF repository. Writes go to
 * a temporary file that is fsynced and renamed over the target, so readers never see a partial file.
 */
export class DirectoryMetadataStore implements MetadataStore {
  constructor(readonly root: string) {}

  async read(name: string): Promise<Buffer | undefined> {
    assertStoreName(name);
    try {
      return await readFile(join(this.root, name));
    } catch (error) {
      // A directory or a path through a file is no file either, as in the other adapters.
      if (['ENOENT', 'EISDIR', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw new TrustError('io', `cannot read ${join(this.root, name)}: ${(error as Error).message}`, { cause: error });
    }
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    assertStoreName(name);
    const path = join(this.root, name);
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      const handle = await open(temporary, 'wx', 0o644);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new TrustError('io', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
}
