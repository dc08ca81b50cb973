import { TrackerError } from './tracker-error';
import type { AnnounceParams } from './types';

/** Refuses parameters no tracker could accept; these are bugs in the caller, not network input. */
export function checkAnnounceParams(url: string, params: AnnounceParams): void {
  const fail = (message: string): never => {
    throw new TrackerError('bad-params', url, message);
  };
  checkHash(url, params.infoHash, 'info hash');
  checkHash(url, params.peerId, 'peer id');
  if (!Number.isInteger(params.port) || params.port < 0 || params.port > 0xffff) fail(`port ${params.port} is not in [0, 65535]`);
  for (const name of ['uploaded', 'downloaded', 'left'] as const) {
    const value = params[name];
    if (!Number.isSafeInteger(value) || value < 0) fail(`${name} ${value} is not a non-negative integer`);
  }
  if (params.numwant !== undefined && !(Number.isInteger(params.numwant) && params.numwant >= 0 && params.numwant <= 0x7fffffff)) {
    fail(`numwant ${params.numwant} is not a non-negative 32-bit integer`);
  }
  if (params.key !== undefined && !(Number.isInteger(params.key) && params.key >= 0 && params.key <= 0xffffffff)) {
    fail(`key ${params.key} is not an unsigned 32-bit integer`);
  }
}

export function checkHash(url: string, hash: Buffer, what: string): void {
  if (!Buffer.isBuffer(hash) || hash.length !== 20) throw new TrackerError('bad-params', url, `the ${what} must be 20 bytes`);
}
