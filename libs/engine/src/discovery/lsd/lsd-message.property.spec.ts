import fc from 'fast-check';
import { decodeLsdAnnounce, encodeLsdAnnounces, LSD_MAX_DATAGRAM_BYTES } from './lsd-message';

const hexHash = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => Buffer.from(bytes).toString('hex'));
const lines = ['BT-SEARCH * HTTP/1.1', 'Host: 239.192.152.143:6771', 'Port: 6881', 'Port: 99999', 'Port: -1', 'Port: 0x10', 'Infohash: ', `Infohash: ${'a'.repeat(40)}`, `Infohash: ${'g'.repeat(40)}`, 'cookie: x', ':', '', 'Infohash'];

describe('LSD announce codec', () => {
  it('encodes the BEP 14 format', () => {
    const [datagram] = encodeLsdAnnounces({ host: '239.192.152.143:6771', port: 6881, infoHashes: ['ab'.repeat(20)], cookie: 'c00k1e' });
    expect(datagram.toString('latin1')).toBe(`BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: ${'ab'.repeat(20)}\r\ncookie: c00k1e\r\n\r\n\r\n`);
  });

  it('reads header names in any case, upper-case hex, LF line ends, and several Infohash headers', () => {
    const text = `BT-SEARCH * HTTP/1.1\nHOST: [ff15::efc0:988f]:6771\nport: 51413\ninfohash: ${'AB'.repeat(20)}\nInfoHash: ${'cd'.repeat(20)}\nCookie: 42\n\n`;
    expect(decodeLsdAnnounce(Buffer.from(text))).toEqual({
      ok: true,
      announce: { host: '[ff15::efc0:988f]:6771', port: 51413, infoHashes: ['ab'.repeat(20), 'cd'.repeat(20)], cookie: '42' },
    });
  });

  it.each([
    ['not BT-SEARCH', 'M-SEARCH * HTTP/1.1\r\nPort: 1\r\n\r\n', 'not-bt-search'],
    ['port out of range', `BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\nInfohash: ${'a'.repeat(40)}\r\n\r\n`, 'bad-port'],
    ['port zero', `BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: ${'a'.repeat(40)}\r\n\r\n`, 'bad-port'],
    ['no port', `BT-SEARCH * HTTP/1.1\r\nInfohash: ${'a'.repeat(40)}\r\n\r\n`, 'bad-port'],
    ['short info hash', 'BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: abcd\r\n\r\n', 'no-infohash'],
    ['too large', `BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n${'x'.repeat(9000)}`, 'too-large'],
  ])('rejects %s', (_name, text, reason) => {
    expect(decodeLsdAnnounce(Buffer.from(text, 'latin1'))).toEqual({ ok: false, reason });
  });

  it('round-trips any port, hashes and cookie, packing datagrams under 1400 bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffff }), fc.uniqueArray(hexHash, { minLength: 1, maxLength: 80 }), fc.option(fc.stringMatching(/^[0-9a-z]{1,16}$/), { nil: undefined }), (port, infoHashes, cookie) => {
        const datagrams = encodeLsdAnnounces({ host: '239.192.152.143:6771', port, infoHashes, cookie });
        const decoded = datagrams.map((datagram) => decodeLsdAnnounce(datagram));
        expect(datagrams.every((datagram) => datagram.length <= LSD_MAX_DATAGRAM_BYTES)).toBe(true);
        expect(decoded.flatMap((result) => (result.ok ? result.announce.infoHashes : []))).toEqual(infoHashes);
        for (const result of decoded) expect(result).toMatchObject({ ok: true, announce: { port, cookie } });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = decodeLsdAnnounce(bytes);
        return result.ok === false || (result.announce.port >= 1 && result.announce.infoHashes.length > 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary arrangements of plausible header lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...lines), fc.string({ maxLength: 60 })), { maxLength: 12 }), fc.constantFrom('\r\n', '\n'), (parts, eol) => {
        const result = decodeLsdAnnounce(Buffer.from(parts.join(eol), 'utf8'));
        return result.ok === false || result.announce.infoHashes.every((hash) => /^[0-9a-f]{40}$/.test(hash));
      }),
      { numRuns: 3000 },
    );
  });
});
