import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DirectoryMetadataStore, Ed25519Signer, isTrustError, TrustError, type Signer } from '@seedfleet/trust';
import { CliError, describeSystemError } from '../cli-error';

/** Key files `seedfleet keys` writes: `root-<n>.pem` (n from 1), `targets.pem`, `snapshot.pem`, `timestamp.pem`. */
export const ONLINE_KEY_FILES = ['targets.pem', 'snapshot.pem', 'timestamp.pem'] as const;
const ROOT_KEY_FILE = /^root-(\d+)\.pem$/;

export function rootKeyFile(index: number): string {
  return `root-${index}.pem`;
}

/** The keys directory, created 0700 when missing. */
export async function prepareKeysDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CliError(`cannot create '${dir}': ${describeSystemError(error)}`, { cause: error });
  }
}

/** Writes a private key readable by its owner only; never replaces an existing file. */
export async function writeKeyFile(dir: string, name: string, signer: Ed25519Signer): Promise<string> {
  const path = join(dir, name);
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(signer.toPem());
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'already exists; refusing to overwrite a key' : describeSystemError(error);
    throw new CliError(`cannot write key '${path}': ${reason}`, { cause: error });
  }
  return path;
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CliError(`cannot read '${dir}': ${describeSystemError(error)}`, { cause: error });
  }
}

/** The highest n of the `root-<n>.pem` files in `names` (0 when there are none). */
export function lastRootKeyIndex(names: readonly string[]): number {
  return Math.max(0, ...names.map((name) => Number(ROOT_KEY_FILE.exec(name)?.[1] ?? 0)));
}

export interface KeyFile {
  readonly path: string;
  readonly signer: Signer;
}

/** Every `*.pem` in `dir` that holds an ed25519 private key; other files are skipped. */
export async function loadKeyFiles(dir: string): Promise<KeyFile[]> {
  const loaded: KeyFile[] = [];
  for (const name of await listDir(dir)) {
    if (!name.endsWith('.pem')) continue;
    const path = join(dir, name);
    const pem = await readFile(path, 'utf8').catch((error: unknown) => {
      throw new CliError(`cannot read '${path}': ${describeSystemError(error)}`, { cause: error });
    });
    try {
      loaded.push({ path, signer: Ed25519Signer.fromPem(pem, path) });
    } catch (error) {
      if (!isTrustError(error, 'bad-key')) throw error;
    }
  }
  return loaded;
}

export function metadataStore(cwd: string, dir: string): DirectoryMetadataStore {
  return new DirectoryMetadataStore(resolve(cwd, dir));
}

/** TrustErrors carry messages meant for people; the CLI shows them as failures (exit 1). */
export function asCliError(error: unknown): unknown {
  if (error instanceof TrustError) return new CliError(error.message, { cause: error });
  return error;
}
