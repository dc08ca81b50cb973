import fc from 'fast-check';
import { compactAddress, memberBytes, parseCompactAddress, peerAddress } from './address';

describe('addresses', () => {
  it.each([
    ['1.2.3.4', 4, '1.2.3.4'],
    ['::ffff:1.2.3.4', 4, '1.2.3.4'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 6, '2001:db8::1'],
    ['::1', 6, '::1'],
    ['fe80::1:0:0:2', 6, 'fe80::1:0:0:2'],
    ['1:0:0:2:0:0:0:3', 6, '1:0:0:2::3'],
    ['::', 6, '::'],
  ])('normalises %s', (text, family, ip) => {
    expect(peerAddress(text, 80)).toEqual({ ip, family, port: 80 });
  });

  it('refuses names and garbage', () => {
    expect(peerAddress('example.com', 80)).toBeUndefined();
    expect(peerAddress('1.2.3.256', 80)).toBeUndefined();
  });

  it('round-trips compact forms (BEP 23, BEP 7)', () => {
    const v4 = peerAddress('192.0.2.1', 6881)!;
    const v6 = peerAddress('2001:db8::abcd', 51413)!;
    expect(compactAddress(v4)).toEqual(Buffer.from([192, 0, 2, 1, 0x1a, 0xe1]));
    expect(compactAddress(v6)).toHaveLength(18);
    expect(parseCompactAddress(compactAddress(v4))).toEqual(v4);
    expect(parseCompactAddress(compactAddress(v6))).toEqual(v6);
    expect(parseCompactAddress(Buffer.alloc(7))).toBeUndefined();
  });

  it('writes any IPv4 address in compact form, and refuses what is not one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 65535 }), (bytes, port) => {
        const address = peerAddress([...bytes].join('.'), port)!;
        expect(compactAddress(address)).toEqual(Buffer.concat([Buffer.from(bytes), Buffer.from([port >> 8, port & 255])]));
      }),
    );
    for (const ip of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '1.2.3.256', '1..3.4', '1.2.3.4 ', '']) expect(() => compactAddress({ ip, family: 4, port: 1 })).toThrow();
  });

  it('builds a member as the peer id then the compact address, for either family, and refuses a bad address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 65535 }), (id, bytes, port) => {
        const peerId = Buffer.from(id);
        const v4 = peerAddress([...bytes].join('.'), port)!;
        expect(memberBytes(peerId, v4)).toEqual(Buffer.concat([peerId, compactAddress(v4)]));
        const v6 = peerAddress(`2001:db8::${bytes[0].toString(16)}:${bytes[1].toString(16)}`, port)!;
        expect(memberBytes(peerId, v6)).toEqual(Buffer.concat([peerId, compactAddress(v6)]));
      }),
    );
    expect(() => memberBytes(Buffer.alloc(20), { ip: '1.2.3', family: 4, port: 1 })).toThrow();
  });
});
