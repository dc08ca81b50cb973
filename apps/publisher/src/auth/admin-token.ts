import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AdminToken {
  readonly token: string;
  /** Where it came from; `generated` is true only for the start that created the file. */
  readonly source: 'SEEDFLEET_ADMIN_TOKEN' | 'file';
  readonly path?: string;
  readonly generated: boolean;
}

/**
 * SEEDFLEET_ADMIN_TOKEN, else DATA_DIR/admin-token, else a new random token written there with mode 0600.
 * The exclusive create makes replicas sharing DATA_DIR agree on one token.
 */
export function resolveAdminToken(options: { adminToken?: string; dataDir: string }): AdminToken {
  if (options.adminToken) return { token: options.adminToken, source: 'SEEDFLEET_ADMIN_TOKEN', generated: false };
  const path = join(options.dataDir, 'admin-token');
  const existing = readToken(path);
  if (existing) return { token: existing, source: 'file', path, generated: false };
  mkdirSync(options.dataDir, { recursive: true });
  const token = `sfa_${randomBytes(32).toString('base64url')}`;
  try {
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return { token, source: 'file', path, generated: true };
  } catch (error) {
    const raced = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readToken(path) : undefined;
    if (raced) return { token: raced, source: 'file', path, generated: false };
    throw new Error(`cannot write the admin token to ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function readToken(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the admin token from ${path}: ${(error as Error).message}`, { cause: error });
  }
}
