import fc from 'fast-check';
import { WireError } from './errors';
import { decodeReserved, encodeHandshake, encodeReserved, HANDSHAKE_LENGTH, parseHandshake, parseHandshakeHead } from './handshake';

const infoHash = Buffer.alloc(20, 0x11);
const peerId = Buffer.from('-SF0001-abcdefghijkl');

describe('handshake', () => {
  it('encodes pstr, reserved bytes, info hash and peer id (BEP 3)', () => {
    const handshake = encodeHandshake({ flags: {}, infoHash, peerId });
    expect(handshake).toHaveLength(HANDSHAKE_LENGTH);
    expect(handshake[0]).toBe(19);
    expect(handshake.subarray(1, 20).toString('latin1')).toBe('BitTorrent protocol');
    expect(handshake.subarray(20, 28)).toEqual(Buffer.alloc(8));
    expect(handshake.subarray(28, 48)).toEqual(infoHash);
    expect(handshake.subarray(48)).toEqual(peerId);
  });

  it('places each named reserved bit where its BEP says', () => {
    expect(encodeReserved({ extensionProtocol: true }).toString('hex')).toBe('0000000000100000');
    expect(encodeReserved({ fastExtension: true }).toString('hex')).toBe('0000000000000004');
    expect(encodeReserved({ dht: true }).toString('hex')).toBe('0000000000000001');
    expect(encodeReserved({ v2Upgrade: true }).toString('hex')).toBe('0000000000000010');
  });

  it('round-trips flags and keeps unknown reserved bits as received', () => {
    fc.assert(
      fc.property(fc.record({ extensionProtocol: fc.boolean(), fastExtension: fc.boolean(), dht: fc.boolean(), v2Upgrade: fc.boolean() }), (flags) => {
        const parsed = parseHandshake(encodeHandshake({ flags, infoHash, peerId }));
        expect(parsed).toEqual({ reserved: encodeReserved(flags), flags, infoHash, peerId });
      }),
    );
    const libtorrentReserved = Buffer.from('0000000000180005', 'hex'); // extension + LT metadata + fast + DHT
    const received = Buffer.concat([encodeHandshake({ flags: {}, infoHash, peerId }).subarray(0, 20), libtorrentReserved, infoHash, peerId]);
    const parsed = parseHandshake(received);
    expect(parsed?.reserved).toEqual(libtorrentReserved);
    expect(parsed?.flags).toEqual(decodeReserved(libtorrentReserved));
    expect(parsed?.flags).toEqual({ extensionProtocol: true, fastExtension: true, dht: true, v2Upgrade: false });
  });

  it('truncates a v2 info hash to 20 bytes (BEP 52)', () => {
    const v2 = Buffer.alloc(32, 0x22);
    v2[0] = 0x33;
    expect(parseHandshake(encodeHandshake({ flags: { v2Upgrade: true }, infoHash: v2, peerId }))?.infoHash).toEqual(v2.subarray(0, 20));
  });

  it('waits for more bytes, and gives the info hash before the peer id arrives', () => {
    const handshake = encodeHandshake({ flags: {}, infoHash, peerId });
    expect(parseHandshake(handshake.subarray(0, 10))).toBeUndefined();
    expect(parseHandshakeHead(handshake.subarray(0, 47))).toBeUndefined();
    expect(parseHandshakeHead(handshake.subarray(0, 48))?.infoHash).toEqual(infoHash);
    expect(parseHandshake(handshake.subarray(0, 67))).toBeUndefined();
    expect(parseHandshake(Buffer.alloc(0))).toBeUndefined();
  });

  it('refuses garbage from the first byte that cannot belong to a handshake', () => {
    expect(() => parseHandshake(Buffer.from('GET / HTTP/1.1'))).toThrow(expect.objectContaining({ reason: 'bad-handshake' }));
    expect(() => parseHandshake(Buffer.from('\x13BitTorrent Protocol'))).toThrow(expect.objectContaining({ reason: 'bad-handshake' }));
    expect(() => parseHandshakeHead(Buffer.from('\x13Bit'))).not.toThrow();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          parseHandshake(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(WireError);
        }
      }),
    );
  });

  it('refuses to encode ids of the wrong size', () => {
    expect(() => encodeHandshake({ flags: {}, infoHash: Buffer.alloc(19), peerId })).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
    expect(() => encodeHandshake({ flags: {}, infoHash, peerId: Buffer.alloc(8) })).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
  });
});
