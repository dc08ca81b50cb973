import { createCipheriv, createHash, type Cipher } from 'node:crypto';
import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const chunkBytes = 1024 * 1024;

/**
 * A seeded byte stream: AES-128-CTR keystream keyed by SHA-256(seed). Same seed, same bytes, on every
 * machine, and fast enough (GB/s) to generate benchmark data instead of storing it.
 */
function keystream(seed: string): Cipher {
  const digest = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-128-ctr', digest.subarray(0, 16), digest.subarray(16, 32));
}

export function deterministicBytes(size: number, seed: string): Buffer {
  return keystream(seed).update(Buffer.alloc(size));
}

export async function writeDeterministicFile(path: string, size: number, seed: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const cipher = keystream(seed);
  const zeros = Buffer.alloc(chunkBytes);
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size; written += chunkBytes) {
      const length = Math.min(chunkBytes, size - written);
      await handle.write(cipher.update(zeros.subarray(0, length)));
    }
  } finally {
    await handle.close();
  }
}

export interface FileSpec {
  /** Relative path with '/' separators. */
  readonly path: string;
  readonly size: number;
  /** Defaults to the path, so a tree is reproducible from its spec alone. */
  readonly seed?: string;
  /** e.g. 0o755 for an executable. */
  readonly mode?: number;
}

/** Writes every file of `files` below `root` (directories created as needed). */
export async function writeFileTree(root: string, files: readonly FileSpec[]): Promise<void> {
  for (const file of files) {
    const path = join(root, ...file.path.split('/'));
    await writeDeterministicFile(path, file.size, file.seed ?? file.path);
    if (file.mode !== undefined) await chmod(path, file.mode);
  }
}
