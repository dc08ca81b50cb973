import { allowedFastSet } from './allowed-fast';

const infoHash = Buffer.alloc(20, 0xaa);

describe('allowedFastSet', () => {
  it('matches the BEP 6 reference vector', () => {
    expect(allowedFastSet(infoHash, '80.4.4.200', 1313, 7)).toEqual([1059, 431, 808, 1217, 287, 376, 1188]);
    expect(allowedFastSet(infoHash, '80.4.4.200', 1313, 9)).toEqual([1059, 431, 808, 1217, 287, 376, 1188, 353, 508]);
  });

  it('gives every address in one /24 the same set, and IPv4-mapped IPv6 the IPv4 set', () => {
    const expected = allowedFastSet(infoHash, '80.4.4.200', 1313, 7);
    expect(allowedFastSet(infoHash, '80.4.4.1', 1313, 7)).toEqual(expected);
    expect(allowedFastSet(infoHash, '::ffff:80.4.4.9', 1313, 7)).toEqual(expected);
    expect(allowedFastSet(infoHash, '80.4.5.200', 1313, 7)).not.toEqual(expected);
  });

  it('returns every piece when the torrent has fewer pieces than the set size', () => {
    expect(allowedFastSet(infoHash, '10.0.0.1', 3, 10).sort()).toEqual([0, 1, 2]);
    expect(allowedFastSet(infoHash, '10.0.0.1', 0, 10)).toEqual([]);
  });

  it('gives every IPv6 address in one /64 the same set', () => {
    const expected = allowedFastSet(infoHash, '2001:db8:0:1::1', 1313, 7);
    expect(expected).toHaveLength(7);
    expect(allowedFastSet(infoHash, '2001:db8:0:1:ffff::9', 1313, 7)).toEqual(expected);
    expect(allowedFastSet(infoHash, '2001:db8:0:2::1', 1313, 7)).not.toEqual(expected);
  });

  it('refuses bad arguments with a WireError', () => {
    expect(() => allowedFastSet(Buffer.alloc(32), '1.2.3.4', 10, 2)).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
    expect(() => allowedFastSet(infoHash, 'not an ip', 10, 2)).toThrow(expect.objectContaining({ reason: 'bad-address' }));
    expect(() => allowedFastSet(infoHash, '1.2.3.4', -1, 2)).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
  });
});
