import fc from 'fast-check';
import { bytes, encodeTorrent, hybridTorrent } from '../test/torrent-fixtures';
import { MetainfoError, parseMagnet, parseTorrent, toMagnet } from './index';

const V1_HEX = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
const V2_HEX = 'caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e';
// The same SHA-1 in RFC 4648 base32.
const V1_BASE32 = 'YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK';

describe('parseMagnet', () => {
  it('reads every supported parameter', () => {
    const link = parseMagnet(
      `magnet:?xt=urn:btih:${V1_HEX}&xt=urn:btmh:1220${V2_HEX}&dn=My+Release%202.0` +
        '&tr=http%3A%2F%2Ft1%2Fannounce&tr.1=udp%3A%2F%2Ft2%3A80&tr=http%3A%2F%2Ft1%2Fannounce' +
        '&ws=https%3A%2F%2Fcdn%2Ffiles%2F&xl=12345&x.pe=10.0.0.1%3A6881&x.pe=%5B%3A%3A1%5D%3A51413&x.pe=bad&so=0-3',
    );
    expect(link).toEqual({
      infoHashV1: Buffer.from(V1_HEX, 'hex'),
      infoHashV2: Buffer.from(V2_HEX, 'hex'),
      name: 'My Release 2.0',
      trackers: ['http://t1/announce', 'udp://t2:80'],
      webSeeds: ['https://cdn/files/'],
      peers: ['10.0.0.1:6881', '[::1]:51413'],
      exactLength: 12345,
    });
  });

  it.each([
    ['hex', V1_HEX],
    ['upper-case hex', V1_HEX.toUpperCase()],
    ['base32', V1_BASE32],
    ['lower-case base32', V1_BASE32.toLowerCase()],
  ])('reads btih in %s', (_kind, hash) => {
    expect(parseMagnet(`MAGNET:?xt=URN:BTIH:${hash}`).infoHashV1?.toString('hex')).toBe(V1_HEX);
  });

  it('reads a v2-only magnet', () => {
    const link = parseMagnet(`magnet:?xt=urn:btmh:1220${V2_HEX}`);
    expect([link.infoHashV1, link.infoHashV2?.toString('hex')]).toEqual([null, V2_HEX]);
  });

  it('ignores other xt namespaces next to a BitTorrent hash', () => {
    expect(parseMagnet(`magnet:?xt=urn:sha1:ABC&xt=urn:btih:${V1_HEX}`).infoHashV1?.toString('hex')).toBe(V1_HEX);
  });

  it.each([
    ['another scheme', `http://x/?xt=urn:btih:${V1_HEX}`, 'magnet', /must start with "magnet:\?"/],
    ['no query', 'magnet:', 'magnet', /must start/],
    ['no info hash', 'magnet:?dn=x', 'magnet.xt', /no urn:btih or urn:btmh/],
    ['only foreign hashes', 'magnet:?xt=urn:ed2k:abc', 'magnet.xt', /no urn:btih/],
    ['a short hex btih', `magnet:?xt=urn:btih:${V1_HEX.slice(2)}`, 'magnet.xt', /40 hex or 32 base32/],
    ['a non-hex btih', `magnet:?xt=urn:btih:${'g'.repeat(40)}`, 'magnet.xt', /40 hex or 32 base32/],
    ['bad base32', `magnet:?xt=urn:btih:${'1'.repeat(32)}`, 'magnet.xt', /40 hex or 32 base32/],
    ['a btmh with another hash function', `magnet:?xt=urn:btmh:1320${V2_HEX}`, 'magnet.xt', /sha2-256 multihash/],
    ['a short btmh', `magnet:?xt=urn:btmh:1220${V2_HEX.slice(2)}`, 'magnet.xt', /sha2-256 multihash/],
    ['conflicting btih', `magnet:?xt=urn:btih:${V1_HEX}&xt=urn:btih:${'0'.repeat(40)}`, 'magnet.xt', /two different urn:btih/],
    ['broken percent-encoding', `magnet:?xt=urn:btih:${V1_HEX}&tr=%E0%A4%A`, 'magnet.tr', /invalid percent-encoding/],
    ['a negative xl', `magnet:?xt=urn:btih:${V1_HEX}&xl=-1`, 'magnet.xl', /non-negative integer/],
    ['a huge xl', `magnet:?xt=urn:btih:${V1_HEX}&xl=99999999999999999999`, 'magnet.xl', /non-negative integer/],
  ])('rejects %s', (_name, uri, field, message) => {
    expect(() => parseMagnet(uri)).toThrow(expect.objectContaining({ name: 'MetainfoError', field, message: expect.stringMatching(message) }));
  });

  it('never throws anything but MetainfoError', () => {
    const fragments = fc.constantFrom('magnet:?', 'xt=urn:btih:', 'xt=urn:btmh:1220', V1_HEX, V1_BASE32, '&', '=', '%', '%zz', 'tr=', 'x.pe=', 'xl=', '+', '.1');
    fc.assert(
      fc.property(fc.array(fc.oneof(fragments, fc.string()), { maxLength: 12 }), (parts) => {
        try {
          parseMagnet(parts.join(''));
        } catch (error) {
          expect(error).toBeInstanceOf(MetainfoError);
        }
      }),
    );
  });
});

describe('toMagnet', () => {
  it('writes a hybrid torrent as btih and btmh with name and trackers', () => {
    const { torrent } = hybridTorrent('my pack', 16384, [{ path: ['a'], data: bytes(100) }]);
    torrent['announce-list'] = [['http://t1/a'], ['udp://t2:80']];
    torrent['url-list'] = 'https://cdn/x';
    const metainfo = parseTorrent(encodeTorrent(torrent));

    const uri = toMagnet(metainfo);

    expect(uri).toBe(
      `magnet:?xt=urn:btih:${metainfo.infoHashV1?.toString('hex')}&xt=urn:btmh:1220${metainfo.infoHashV2?.toString('hex')}` +
        '&dn=my%20pack&tr=http%3A%2F%2Ft1%2Fa&tr=udp%3A%2F%2Ft2%3A80&ws=https%3A%2F%2Fcdn%2Fx',
    );
    expect(parseMagnet(uri)).toEqual({
      infoHashV1: metainfo.infoHashV1,
      infoHashV2: metainfo.infoHashV2,
      name: 'my pack',
      trackers: ['http://t1/a', 'udp://t2:80'],
      webSeeds: ['https://cdn/x'],
      peers: [],
    });
  });

  it('round-trips magnet links', () => {
    const hash = (size: number) => fc.uint8Array({ minLength: size, maxLength: size }).map((b) => Buffer.from(b));
    const link = fc.record({
      infoHashV1: fc.option(hash(20)),
      infoHashV2: fc.option(hash(32)),
      name: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
      trackers: fc.uniqueArray(fc.webUrl(), { maxLength: 3 }),
      webSeeds: fc.uniqueArray(fc.webUrl(), { maxLength: 3 }),
      peers: fc.uniqueArray(fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })).map(([ip, port]) => `${ip}:${port}`), { maxLength: 3 }),
      exactLength: fc.option(fc.nat(), { nil: undefined }),
    }).filter((l) => l.infoHashV1 !== null || l.infoHashV2 !== null);
    fc.assert(
      fc.property(link, (original) => {
        const parsed = parseMagnet(toMagnet(original));
        const expected = { ...original };
        if (expected.name === undefined) delete expected.name;
        if (expected.exactLength === undefined) delete expected.exactLength;
        expect(parsed).toEqual(expected);
      }),
    );
  });

  it('refuses a link without an info hash or with a wrong-sized one', () => {
    const empty = { infoHashV1: null, infoHashV2: null, trackers: [], webSeeds: [], peers: [] };
    expect(() => toMagnet(empty)).toThrow(MetainfoError);
    expect(() => toMagnet({ ...empty, infoHashV1: Buffer.alloc(32) })).toThrow(/must be 20 bytes/);
  });
});
