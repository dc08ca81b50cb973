import { chmod, mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Ed25519Signer, loadSignerFromEnv, loadSignerFromFile, ONLINE_ROLES, type OnlineRoleName, type OnlineSigners } from '@seedfleet/trust';

/** Environment variables holding an online role's keys: base64 PEM, several separated by commas. */
export const ONLINE_KEY_ENV: Readonly<Record<OnlineRoleName, string>> = { targets: 'TUF_TARGETS_KEY', snapshot: 'TUF_SNAPSHOT_KEY', timestamp: 'TUF_TIMESTAMP_KEY' };

export class TrustKeysError extends Error {
  override name = 'TrustKeysError';
}

/** `<role>.pem` and `<role>-<n>.pem`: the names `seedfleet keys init` writes, plus extra keys of a threshold role. */
const keyFilePattern = (role: OnlineRoleName): RegExp => new RegExp(`^${role}(-\\d+)?\\.pem$`);

/**
 * The online signers: per role from its TUF_<ROLE>_KEY variable when set, else from the key files in
 * `keysDir`. Undefined when no role has any key (a first start); an error when only some roles do.
 */
export async function loadOnlineSigners(keysDir: string, env: Readonly<Record<string, string | undefined>>): Promise<OnlineSigners | undefined> {
  const names = await listKeysDir(keysDir);
  const signers: Partial<Record<OnlineRoleName, Ed25519Signer[]>> = {};
  for (const role of ONLINE_ROLES) {
    const variable = ONLINE_KEY_ENV[role];
    const fromEnv = (env[variable] ?? '')
      .split(',')
      .map((encoded) => encoded.trim())
      .filter((encoded) => encoded !== '')
      .map((encoded, index) => loadSignerFromEnv({ [variable]: encoded }, index === 0 ? variable : `${variable} (key ${index + 1})`)!);
    signers[role] = fromEnv.length > 0 ? fromEnv : await Promise.all(names.filter((name) => keyFilePattern(role).test(name)).map((name) => loadSignerFromFile(join(keysDir, name))));
  }
  const missing = ONLINE_ROLES.filter((role) => signers[role]!.length === 0);
  if (missing.length === ONLINE_ROLES.length) return undefined;
  if (missing.length > 0) {
    throw new TrustKeysError(`no key for the TUF ${missing.join(', ')} role(s): set ${missing.map((role) => ONLINE_KEY_ENV[role]).join(', ')} or put ${missing.map((role) => `${role}.pem`).join(', ')} into ${keysDir}`);
  }
  return signers as OnlineSigners;
}

/** The `root-<n>.pem` files in `keysDir` (a development setup keeps them next to the online keys). */
export async function rootKeyFiles(keysDir: string): Promise<string[]> {
  return (await listKeysDir(keysDir)).filter((name) => /^root-\d+\.pem$/.test(name)).map((name) => join(keysDir, name));
}

/** Writes generated keys (mode 0600, directory 0700); never replaces an existing file. */
export async function writeKeyFiles(keysDir: string, keys: ReadonlyArray<{ name: string; signer: Ed25519Signer }>): Promise<void> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  await chmod(keysDir, 0o700);
  for (const { name, signer } of keys) {
    const handle = await open(join(keysDir, name), 'wx', 0o600);
    try {
      await handle.writeFile(signer.toPem());
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

async function listKeysDir(keysDir: string): Promise<string[]> {
  try {
    return (await readdir(keysDir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new TrustKeysError(`cannot read the TUF keys directory ${keysDir}: ${(error as Error).message}`, { cause: error });
  }
}
