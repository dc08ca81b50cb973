import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TrustError } from '../trust-error';

/**
 * Checks a file obtained outside TUF (a swarm download, a reused local copy) against a signed length and
 * SHA-256, reading it once. Throws TrustError('hash-mismatch') or TrustError('io').
 */
export async function verifyFile(path: string, expected: { readonly length: number; readonly sha256: string }): Promise<void> {
  const hash = createHash('sha256');
  let length = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > expected.length) throw new TrustError('hash-mismatch', `${path} is longer than the signed ${expected.length} bytes`);
      hash.update(chunk);
    }
  } catch (error) {
    if (error instanceof TrustError) throw error;
    throw new TrustError('io', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (length !== expected.length) throw new TrustError('hash-mismatch', `${path} is ${length} bytes; the signed length is ${expected.length}`);
  const actual = hash.digest('hex');
  if (actual !== expected.sha256) throw new TrustError('hash-mismatch', `${path} has SHA-256 ${actual}; the signed one is ${expected.sha256}`);
}
