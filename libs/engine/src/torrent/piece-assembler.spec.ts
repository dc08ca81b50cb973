import { PieceAssembler, partialPieceLimit } from './piece-assembler';

const geometry = { pieceCount: 4, pieceSize: (index: number) => (index === 3 ? 20_000 : 32_768) };

it('fills a piece block by block (copying the views) and hands it over with the sender of each block', () => {
  const assembler = new PieceAssembler(geometry);
  const chunk = Buffer.alloc(16_384, 1);
  assembler.write(0, 1, 16_384, chunk, 'b');
  chunk.fill(9); // the socket's chunk is reused: the piece must hold its own copy
  assembler.write(0, 0, 0, Buffer.alloc(16_384, 2), 'a');
  expect(assembler.pieces).toBe(1);
  expect(assembler.bytes).toBe(32_768);
  const piece = assembler.take(0)!;
  expect(piece.senders).toEqual(['a', 'b']);
  expect(piece.data.subarray(0, 16_384).every((byte) => byte === 2)).toBe(true);
  expect(piece.data.subarray(16_384).every((byte) => byte === 1)).toBe(true);
  // The buffer owns its memory, so the hash pool can transfer it.
  expect(piece.data.byteLength).toBe(piece.data.buffer.byteLength);
  expect(assembler.take(0)).toBeUndefined();
  expect(assembler.pieces).toBe(0);
});

it('sizes the short last piece, drops pieces, and budgets at least two pieces', () => {
  const assembler = new PieceAssembler(geometry);
  assembler.write(3, 0, 0, Buffer.alloc(16_384), 'a');
  expect(assembler.bytes).toBe(20_000);
  assembler.drop(3);
  expect(assembler.pieces).toBe(0);
  expect(PieceAssembler.maxPieces(32 * 1024 * 1024, 1024 * 1024)).toBe(32);
  expect(PieceAssembler.maxPieces(32 * 1024 * 1024, 64 * 1024 * 1024)).toBe(2);
});

it('adopts a whole piece from one sender (a web seed) without a copy; refuses one already being assembled', () => {
  const assembler = new PieceAssembler(geometry);
  const whole = Buffer.alloc(20_000, 7);
  assembler.adopt(3, whole, 'webseed#0');
  expect(assembler.has(3)).toBe(true);
  const piece = assembler.take(3)!;
  expect(piece.data).toBe(whole);
  expect(piece.senders).toEqual(['webseed#0', 'webseed#0']);
  assembler.write(0, 0, 0, Buffer.alloc(16_384), 'peer');
  expect(() => assembler.adopt(0, Buffer.alloc(32_768), 'webseed#0')).toThrow(RangeError);
});

describe('partialPieceLimit: the assembly memory grows with the swarm', () => {
  const MiB = 1024 * 1024;
  it.each([
    // base, cap, piece length, peers -> pieces
    [8 * MiB, 48 * MiB, MiB, 0, 8],
    [8 * MiB, 48 * MiB, MiB, 1, 8],
    [8 * MiB, 48 * MiB, MiB, 7, 16],
    [8 * MiB, 48 * MiB, MiB, 15, 32],
    [8 * MiB, 48 * MiB, MiB, 100, 48],
    [8 * MiB, 48 * MiB, 16 * MiB, 100, 3],
    [8 * MiB, 48 * MiB, 64 * MiB, 100, 2],
  ])('base %d, cap %d, pieces of %d, %d peers: %d pieces', (base, cap, pieceLength, peers, expected) => {
    expect(partialPieceLimit(base, cap, pieceLength, peers)).toBe(expected);
  });
});
