import { createHash } from 'node:crypto';

/** The info hashes a magnet names: SHA-1 (btih) and/or SHA-256 (btmh, BEP 52). */
export interface ExpectedInfoHashes {
  readonly infoHashV1: Buffer | null;
  readonly infoHashV2: Buffer | null;
}

/**
 * Whether `infoRaw` is the dict the magnet names: every hash the magnet gives must match (a hybrid magnet
 * with both is checked against both, so a dict matching only one is refused).
 */
export function infoMatches(infoRaw: Buffer, expected: ExpectedInfoHashes): boolean {
  if (!expected.infoHashV1 && !expected.infoHashV2) return false;
  if (expected.infoHashV1 && !createHash('sha1').update(infoRaw).digest().equals(expected.infoHashV1)) return false;
  if (expected.infoHashV2 && !createHash('sha256').update(infoRaw).digest().equals(expected.infoHashV2)) return false;
  return true;
}

/** The 20 bytes peers greet this torrent with: the v1 hash, else the v2 one truncated (BEP 52). */
export function wireInfoHash(expected: ExpectedInfoHashes): Buffer {
  const hash = expected.infoHashV1 ?? expected.infoHashV2;
  if (!hash) throw new RangeError('a magnet needs a v1 or v2 info hash');
  return hash.subarray(0, 20);
}
