import fc from 'fast-check';
import { decodeCompactPeers, encodeCompactPeers } from './compact-peer';
import { WireError } from './errors';
import { decodeIp, encodeIp } from './ip-address';

describe('compact peers', () => {
  it('encodes IPv4 peers as 6 bytes and IPv6 peers as 18 (BEP 23, BEP 7)', () => {
    expect(encodeCompactPeers([{ host: '10.0.0.1', port: 6881 }], 'ipv4').toString('hex')).toBe('0a0000011ae1');
    expect(encodeCompactPeers([{ host: '2001:db8::1', port: 80 }], 'ipv6').toString('hex')).toBe('20010db8000000000000000000000001' + '0050');
  });

  it('round-trips any address in canonical text form', () => {
    const v4 = fc.ipV4().map((host) => ({ host, port: 0 }));
    const v6Bytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
    fc.assert(
      fc.property(fc.array(fc.record({ host: fc.ipV4(), port: fc.nat({ max: 0xffff }) })), (peers) => {
        expect(decodeCompactPeers(encodeCompactPeers(peers, 'ipv4'), 'ipv4')).toEqual(peers);
      }),
    );
    fc.assert(
      fc.property(v6Bytes, (bytes) => {
        const text = decodeIp(bytes);
        expect(encodeIp(text)).toEqual(Buffer.from(bytes));
      }),
    );
    fc.assert(fc.property(v4, ({ host }) => expect(decodeIp(encodeIp(host))).toBe(host)));
  });

  it('writes IPv6 text the RFC 5952 way', () => {
    expect(decodeIp(encodeIp('2001:0db8:0000:0000:0000:0000:0000:0001'))).toBe('2001:db8::1');
    expect(decodeIp(encodeIp('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(decodeIp(encodeIp('::'))).toBe('::');
    expect(decodeIp(encodeIp('1:0:2:3:4:5:6:7'))).toBe('1:0:2:3:4:5:6:7');
    expect(decodeIp(encodeIp('::ffff:1.2.3.4'))).toBe('::ffff:1.2.3.4');
  });

  it('parses every IPv6 text form fast-check produces to the same bytes as its canonical form', () => {
    fc.assert(fc.property(fc.ipV6(), (host) => expect(encodeIp(decodeIp(encodeIp(host)))).toEqual(encodeIp(host))));
  });

  it('stops at the limit without parsing the rest', () => {
    const peers = Array.from({ length: 5 }, (_, index) => ({ host: `10.0.0.${index}`, port: 1 }));
    expect(decodeCompactPeers(encodeCompactPeers(peers, 'ipv4'), 'ipv4', 2)).toEqual(peers.slice(0, 2));
  });

  it('refuses partial peers and wrong families', () => {
    expect(() => decodeCompactPeers(Buffer.alloc(7), 'ipv4')).toThrow(expect.objectContaining({ reason: 'bad-compact-peers' }));
    expect(() => decodeCompactPeers(Buffer.alloc(12), 'ipv6')).toThrow(WireError);
    expect(() => encodeCompactPeers([{ host: '::1', port: 1 }], 'ipv4')).toThrow(expect.objectContaining({ reason: 'bad-address' }));
    expect(() => encodeCompactPeers([{ host: '1.2.3.4', port: 70000 }], 'ipv4')).toThrow(expect.objectContaining({ reason: 'bad-address' }));
    expect(() => encodeIp('fe80::1%eth0')).toThrow(expect.objectContaining({ reason: 'bad-address' }));
    expect(() => decodeIp(Buffer.alloc(5))).toThrow(expect.objectContaining({ reason: 'bad-address' }));
  });
});
