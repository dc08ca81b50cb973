import fc from 'fast-check';
import { encodeMessage } from './encode';
import { WireError } from './errors';
import { Framer } from './framer';
import type { Message } from './message';

const u32 = fc.nat({ max: 0xffffffff });
// size 'max': fast-check's default size keeps arrays to about ten items, too small to straddle chunks.
const bytes = (maxLength: number) => fc.uint8Array({ maxLength, size: 'max' }).map((array) => Buffer.from(array));
const hashRange = {
  piecesRoot: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((array) => Buffer.from(array)),
  baseLayer: u32,
  index: u32,
  length: u32,
  proofLayers: u32,
};
const knownIds = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 20, 21, 22, 23]);

/** Every message type, with payloads small enough to keep runs fast but big enough to straddle chunks. */
const messageArbitrary: fc.Arbitrary<Message> = fc.oneof(
  fc.constantFrom<Message>(
    { type: 'keep-alive' },
    { type: 'choke' },
    { type: 'unchoke' },
    { type: 'interested' },
    { type: 'not-interested' },
    { type: 'have-all' },
    { type: 'have-none' },
  ),
  fc.record({ type: fc.constantFrom('have' as const, 'suggest' as const, 'allowed-fast' as const), index: u32 }),
  fc.record({ type: fc.constant('bitfield' as const), bytes: bytes(64) }),
  fc.record({ type: fc.constantFrom('request' as const, 'cancel' as const, 'reject' as const), index: u32, begin: u32, length: u32 }),
  fc.record({ type: fc.constant('piece' as const), index: u32, begin: u32, block: bytes(16 * 1024) }),
  fc.record({ type: fc.constant('port' as const), port: fc.nat({ max: 0xffff }) }),
  fc.record({ type: fc.constant('extended' as const), id: fc.nat({ max: 255 }), payload: bytes(300) }),
  fc.record({ type: fc.constantFrom('hash-request' as const, 'hash-reject' as const), ...hashRange }),
  fc.record({
    type: fc.constant('hashes' as const),
    ...hashRange,
    hashes: fc.nat({ max: 8 }).chain((count) => fc.uint8Array({ minLength: count * 32, maxLength: count * 32 })).map((array) => Buffer.from(array)),
  }),
  fc.record({
    type: fc.constant('unknown' as const),
    id: fc.nat({ max: 255 }).filter((id) => !knownIds.has(id)),
    payload: bytes(100),
  }),
);

/** Splits `data` at the given cut points (any order, duplicates allowed: empty chunks are legal too). */
function split(data: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...cuts.map((cut) => cut % (data.length + 1)).sort((a, b) => a - b), data.length];
  return points.slice(1).map((end, index) => data.subarray(points[index], end));
}

function feedAll(framer: Framer, chunks: Buffer[]): Message[] {
  return chunks.flatMap((chunk) => framer.feed(chunk));
}

describe('Framer', () => {
  it('yields the encoded messages whatever the chunk boundaries (pipe to itself)', () => {
    fc.assert(
      fc.property(fc.array(messageArbitrary, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map(encodeMessage));
        const framer = new Framer();
        expect(feedAll(framer, split(stream, cuts))).toEqual(messages);
        expect(framer.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a stream fed one byte at a time', () => {
    const messages: Message[] = [
      { type: 'keep-alive' },
      { type: 'have', index: 7 },
      { type: 'choke' },
      { type: 'piece', index: 1, begin: 16384, block: Buffer.from('block') },
      { type: 'keep-alive' },
    ];
    const stream = Buffer.concat(messages.map(encodeMessage));
    const framer = new Framer();
    const chunks = [...stream].map((byte) => Buffer.from([byte]));
    expect(feedAll(framer, chunks)).toEqual(messages);
  });

  it('returns a piece block as a view of the chunk when the message lies inside it', () => {
    const block = Buffer.alloc(16 * 1024, 7);
    const chunk = Buffer.concat([encodeMessage({ type: 'unchoke' }), encodeMessage({ type: 'piece', index: 3, begin: 0, block })]);
    const [, piece] = new Framer().feed(chunk);
    expect(piece.type === 'piece' && piece.block.buffer === chunk.buffer).toBe(true);
    expect(piece).toEqual({ type: 'piece', index: 3, begin: 0, block });
  });

  it('accepts Uint8Array chunks that are not Buffers', () => {
    const encoded = encodeMessage({ type: 'have', index: 9 });
    expect(new Framer().feed(new Uint8Array(encoded))).toEqual([{ type: 'have', index: 9 }]);
  });

  it('refuses an oversized length prefix from its 4 bytes, before buffering any body', () => {
    const framer = new Framer({ maxMessageLength: 1024 * 1024 });
    const prefix = Buffer.from([0x00, 0x10, 0x00, 0x01]); // 1 MiB + 1
    expect(() => framer.feed(prefix.subarray(0, 3))).not.toThrow();
    expect(() => framer.feed(prefix.subarray(3))).toThrow(expect.objectContaining({ reason: 'message-too-large' }));
    expect(framer.bufferedBytes).toBeLessThanOrEqual(4);
  });

  it('refuses a piece block over the block limit from its header', () => {
    const header = Buffer.from([0, 0, 0x40, 0x0a, 7]); // 9 + 16 KiB + 1
    expect(() => new Framer().feed(header)).toThrow(expect.objectContaining({ reason: 'message-too-large' }));
    expect(() => new Framer({ maxBlockLength: 32 * 1024 }).feed(header)).not.toThrow();
  });

  it.each([
    ['a have of 6 bytes', [0, 0, 0, 6, 4]],
    ['a request of 12 bytes', [0, 0, 0, 12, 6]],
    ['a choke with a payload', [0, 0, 0, 2, 0]],
    ['a port of 2 bytes', [0, 0, 0, 2, 9]],
    ['a piece without begin', [0, 0, 0, 5, 7]],
    ['an extended without id', [0, 0, 0, 1, 20]],
    ['a hash request of 48 bytes', [0, 0, 0, 48, 21]],
    ['a hashes with half a hash', [0, 0, 0, 49 + 16, 22]],
  ])('refuses %s as bad-length from its header', (_name, header) => {
    expect(() => new Framer().feed(Buffer.from(header))).toThrow(expect.objectContaining({ reason: 'bad-length' }));
  });

  it('checks bitfield size and spare bits once the piece count is known', () => {
    const framer = new Framer();
    expect(framer.feed(encodeMessage({ type: 'bitfield', bytes: Buffer.from([0xff, 0xff]) }))).toHaveLength(1);
    framer.setPieceCount(10);
    expect(() => framer.feed(encodeMessage({ type: 'bitfield', bytes: Buffer.from([0xff, 0xff]) }))).toThrow(
      expect.objectContaining({ reason: 'bad-bitfield' }),
    );
    const sized = new Framer({ pieceCount: 10 });
    expect(sized.feed(encodeMessage({ type: 'bitfield', bytes: Buffer.from([0xff, 0xc0]) }))).toHaveLength(1);
    expect(() => new Framer({ pieceCount: 10 }).feed(encodeMessage({ type: 'bitfield', bytes: Buffer.from([0xff]) }))).toThrow(
      expect.objectContaining({ reason: 'bad-bitfield' }),
    );
  });

  it('keeps failing after an error, since the stream is out of sync', () => {
    const framer = new Framer();
    expect(() => framer.feed(Buffer.from([0, 0, 0, 6, 4]))).toThrow(WireError);
    expect(() => framer.feed(encodeMessage({ type: 'choke' }))).toThrow(expect.objectContaining({ reason: 'bad-length' }));
  });

  it('refuses limits that a well-behaved peer could not live with', () => {
    expect(() => new Framer({ maxMessageLength: 1000 })).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
    expect(() => new Framer({ maxBlockLength: -1 })).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
  });

  it('throws nothing but WireError on arbitrary bytes and never buffers more than one frame', () => {
    const maxMessageLength = 64 * 1024;
    // Valid frames mixed with random bytes reach the deeper checks that pure noise rarely gets past.
    const part = fc.oneof(messageArbitrary.map(encodeMessage), fc.uint8Array({ maxLength: 200 }).map((array) => Buffer.from(array)));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), (parts, cuts, withPieceCount) => {
        const framer = new Framer({ maxMessageLength, pieceCount: withPieceCount ? 100 : undefined });
        for (const chunk of split(Buffer.concat(parts), cuts)) {
          try {
            framer.feed(chunk);
          } catch (error) {
            expect(error).toBeInstanceOf(WireError);
            return;
          }
          expect(framer.bufferedBytes).toBeLessThanOrEqual(maxMessageLength);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('holds at most one frame while a peer drips a maximum-size message', () => {
    const maxMessageLength = 1024 * 1024;
    const framer = new Framer({ maxMessageLength });
    const frame = encodeMessage({ type: 'extended', id: 1, payload: Buffer.alloc(maxMessageLength - 2) });
    let peak = 0;
    const received: Message[] = [];
    for (let at = 0; at < frame.length; at += 1000) {
      received.push(...framer.feed(frame.subarray(at, at + 1000)));
      peak = Math.max(peak, framer.bufferedBytes);
    }
    expect(received).toHaveLength(1);
    expect(peak).toBeLessThanOrEqual(maxMessageLength);
  });
});

describe('Framer with lendBlocks', () => {
  /**
   * Feeds every chunk through one reused read buffer, as a socket reading into a shared buffer does:
   * the consumer copies each piece block before the next feed (what a lent block allows), keeps every
   * other message as it is, and the read buffer is scribbled over after each feed.
   */
  function feedThroughReusedBuffer(framer: Framer, chunks: Buffer[]): Message[] {
    const readBuffer = Buffer.alloc(Math.max(1, ...chunks.map((chunk) => chunk.length)));
    const received: Message[] = [];
    for (const chunk of chunks) {
      chunk.copy(readBuffer);
      for (const message of framer.feed(readBuffer.subarray(0, chunk.length))) {
        received.push(message.type === 'piece' ? { ...message, block: Buffer.from(message.block) } : message);
      }
      readBuffer.fill(0xaa);
    }
    return received;
  }

  it('yields the encoded messages from a reused read buffer whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(messageArbitrary, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map(encodeMessage));
        const framer = new Framer({}, { lendBlocks: true });
        expect(feedThroughReusedBuffer(framer, split(stream, cuts))).toEqual(messages);
        expect(framer.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a straddling block lent until the next feed while the next straddling block fills', () => {
    const blocks = [1, 2, 3].map((fill) => Buffer.alloc(16 * 1024, fill));
    const stream = Buffer.concat(blocks.map((block, index) => encodeMessage({ type: 'piece', index, begin: 0, block })));
    const framer = new Framer({}, { lendBlocks: true });
    // Each cut lies inside a block: every feed completes one straddling block and starts the next.
    const cuts = [1, 2].map((index) => index * (stream.length / 3) + 100);
    const received = feedThroughReusedBuffer(framer, split(stream, cuts));
    expect(received.map((message) => message.type === 'piece' && message.block.equals(blocks[message.index]))).toEqual([true, true, true]);
  });

  it('reuses two buffers for straddling blocks instead of allocating one per block', () => {
    const block = Buffer.alloc(16 * 1024, 5);
    const frame = encodeMessage({ type: 'piece', index: 0, begin: 0, block });
    const framer = new Framer({}, { lendBlocks: true });
    const memories = new Set<ArrayBufferLike>();
    for (let turn = 0; turn < 6; turn++) {
      framer.feed(frame.subarray(0, 1000));
      const [piece] = framer.feed(frame.subarray(1000));
      if (piece.type === 'piece') memories.add(piece.block.buffer);
    }
    expect(memories.size).toBe(2);
  });
});
