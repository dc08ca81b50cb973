import { createHash } from 'node:crypto';
import { BLOCK_SIZE, merkleRoot } from '../v2/merkle';
import type { CreateSourceFile } from './create-options';

/** An in-memory source yielding `chunk`-sized pieces of `bytes`. */
export function memoryFile(path: string[], bytes: Buffer, chunk = 7000, extra: Partial<CreateSourceFile> = {}): CreateSourceFile {
  return {
    path,
    length: bytes.length,
    async *open() {
      for (let offset = 0; offset < bytes.length; offset += chunk) yield bytes.subarray(offset, offset + chunk);
    },
    ...extra,
  };
}

/** Deterministic bytes, different per seed. */
export function bytesOf(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

export const sha1 = (bytes: Buffer): Buffer => createHash('sha1').update(bytes).digest();

/** Concatenated SHA-1 of each piece of `bytes`. */
export function v1Pieces(bytes: Buffer, pieceLength: number): Buffer {
  const hashes: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += pieceLength) hashes.push(sha1(bytes.subarray(offset, offset + pieceLength)));
  return Buffer.concat(hashes);
}

/** BEP 52 pieces root straight from the definition: the tree over all 16 KiB block hashes. */
export function naivePiecesRoot(bytes: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += BLOCK_SIZE) blocks.push(createHash('sha256').update(bytes.subarray(offset, offset + BLOCK_SIZE)).digest());
  return merkleRoot(blocks, 0);
}
