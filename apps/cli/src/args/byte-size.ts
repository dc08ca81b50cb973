const multipliers: Readonly<Record<string, number>> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

/**
 * Byte counts as people type them: `262144`, `256K`, `1M`, `16MiB`, `1.5M`. Suffixes are binary
 * (K = 1024) as in mktorrent and Transmission, whatever their spelling; the result must be a whole number.
 */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const multiplier = match ? multipliers[match[2].toLowerCase()] : undefined;
  if (!match || multiplier === undefined) throw new Error(`'${text}' is not a size (examples: 262144, 256K, 1M, 16MiB)`);
  const bytes = Number(match[1]) * multiplier;
  if (!Number.isSafeInteger(bytes)) throw new Error(`'${text}' is not a whole number of bytes`);
  return bytes;
}

/** BEP 52 (and every common client) wants a power of two of at least 16 KiB; libtorrent caps it at 256 MiB. */
export function parsePieceLength(text: string): number {
  const bytes = parseByteSize(text);
  if (bytes < 16 * 1024 || (bytes & (bytes - 1)) !== 0 || bytes > 256 * 1024 * 1024) {
    throw new Error(`${bytes} bytes: the piece length must be a power of two from 16K to 256M`);
  }
  return bytes;
}
