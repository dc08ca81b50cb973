import { encodedLength, encodeInto, encodeMessage, encodePieceHeader, PIECE_HEADER_LENGTH } from './encode';
import type { Message } from './message';

const hex = (buffer: Buffer): string => buffer.toString('hex');

describe('encodeMessage', () => {
  // Byte layouts from BEP 3, 5, 6, 10 and 52: <length prefix><id><payload>.
  it.each<[string, Message, string]>([
    ['keep-alive', { type: 'keep-alive' }, '00000000'],
    ['choke', { type: 'choke' }, '0000000100'],
    ['unchoke', { type: 'unchoke' }, '0000000101'],
    ['interested', { type: 'interested' }, '0000000102'],
    ['not-interested', { type: 'not-interested' }, '0000000103'],
    ['have', { type: 'have', index: 0x01020304 }, '000000050401020304'],
    ['bitfield', { type: 'bitfield', bytes: Buffer.from([0xf0, 0x80]) }, '0000000305f080'],
    ['request', { type: 'request', index: 1, begin: 0x4000, length: 0x4000 }, '0000000d06000000010000400000004000'],
    ['piece', { type: 'piece', index: 2, begin: 0, block: Buffer.from('ab') }, '0000000b0700000002000000006162'],
    ['cancel', { type: 'cancel', index: 1, begin: 2, length: 3 }, '0000000d08000000010000000200000003'],
    ['port', { type: 'port', port: 6881 }, '00000003091ae1'],
    ['suggest', { type: 'suggest', index: 5 }, '000000050d00000005'],
    ['have-all', { type: 'have-all' }, '000000010e'],
    ['have-none', { type: 'have-none' }, '000000010f'],
    ['reject', { type: 'reject', index: 1, begin: 2, length: 3 }, '0000000d10000000010000000200000003'],
    ['allowed-fast', { type: 'allowed-fast', index: 6 }, '000000051100000006'],
    ['extended', { type: 'extended', id: 0, payload: Buffer.from('de') }, '000000041400' + '6465'],
    ['unknown', { type: 'unknown', id: 0xfe, payload: Buffer.from([1]) }, '00000002fe01'],
  ])('encodes %s', (_name, message, expected) => {
    expect(hex(encodeMessage(message))).toBe(expected);
    expect(encodedLength(message)).toBe(expected.length / 2);
  });

  it('encodes BEP 52 hash messages as root, base layer, index, length, proof layers, hashes', () => {
    const range = { piecesRoot: Buffer.alloc(32, 0xaa), baseLayer: 1, index: 2, length: 3, proofLayers: 4 };
    const tail = 'aa'.repeat(32) + '00000001000000020000000300000004';
    expect(hex(encodeMessage({ type: 'hash-request', ...range }))).toBe('0000003115' + tail);
    expect(hex(encodeMessage({ type: 'hash-reject', ...range }))).toBe('0000003117' + tail);
    expect(hex(encodeMessage({ type: 'hashes', ...range, hashes: Buffer.alloc(32, 0xbb) }))).toBe('0000005116' + tail + 'bb'.repeat(32));
  });

  it('writes a batch of messages into one preallocated buffer', () => {
    const messages: Message[] = [{ type: 'interested' }, { type: 'have', index: 3 }];
    const batch = Buffer.alloc(messages.reduce((total, message) => total + encodedLength(message), 0));
    const end = messages.reduce((offset, message) => encodeInto(message, batch, offset), 0);
    expect(end).toBe(batch.length);
    expect(batch).toEqual(Buffer.concat(messages.map(encodeMessage)));
  });

  it('encodes a piece header that the block follows without being copied', () => {
    const block = Buffer.from('block bytes');
    const header = encodePieceHeader(9, 32768, block.length);
    expect(header).toHaveLength(PIECE_HEADER_LENGTH);
    expect(Buffer.concat([header, block])).toEqual(encodeMessage({ type: 'piece', index: 9, begin: 32768, block }));
    const shared = Buffer.alloc(20);
    encodePieceHeader(9, 32768, block.length, shared, 7);
    expect(shared.subarray(7)).toEqual(header);
  });

  it.each<[string, Message]>([
    ['a negative index', { type: 'have', index: -1 }],
    ['an index over 32 bits', { type: 'request', index: 2 ** 32, begin: 0, length: 1 }],
    ['a fractional length', { type: 'cancel', index: 0, begin: 0, length: 1.5 }],
    ['a port over 65535', { type: 'port', port: 65536 }],
    ['an extended id over 255', { type: 'extended', id: 256, payload: Buffer.alloc(0) }],
    ['a short pieces root', { type: 'hash-request', piecesRoot: Buffer.alloc(20), baseLayer: 0, index: 0, length: 1, proofLayers: 0 }],
    ['half a hash', { type: 'hashes', piecesRoot: Buffer.alloc(32), baseLayer: 0, index: 0, length: 1, proofLayers: 0, hashes: Buffer.alloc(16) }],
  ])('refuses %s with a WireError', (_name, message) => {
    expect(() => encodeMessage(message)).toThrow(expect.objectContaining({ name: 'WireError', reason: 'bad-argument' }));
  });

  it('refuses to write past the end of the target', () => {
    expect(() => encodeInto({ type: 'have', index: 1 }, Buffer.alloc(8))).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
    expect(() => encodePieceHeader(0, 0, 1, Buffer.alloc(13), 1)).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
  });
});
