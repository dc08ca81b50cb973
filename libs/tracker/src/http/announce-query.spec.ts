import fc from 'fast-check';
import { parseAnnounceQuery } from './announce-query';
import { parseRawQuery, type RawQuery } from './query-string';

const infoHash = Buffer.from('0123456789abcdef0123456789abcdef01234567', 'hex');
const encoded = [...infoHash].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const base = `info_hash=${encoded}&peer_id=-SF0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=100`;

function query(text: string): RawQuery {
  const parsed = parseRawQuery(text, 64);
  if ('failure' in parsed) throw new Error(parsed.reason);
  return parsed;
}

describe('parseRawQuery', () => {
  it('decodes percent escapes to raw bytes (a byte string) and + to a space', () => {
    const parsed = query('a=%00%ff%41&b=x+y&b=z&flag&%62=w');
    expect(parsed.get('a')).toEqual(['\x00\xffA']);
    expect(parsed.get('b')).toEqual(['x y', 'z', 'w']);
    expect(parsed.get('flag')).toEqual(['']);
  });

  it.each(['a=%', 'a=%4', 'a=%zz', '%g0=1'])('refuses malformed escapes: %s', (text) => {
    expect(parseRawQuery(text, 64)).toMatchObject({ failure: 'malformed-request' });
  });

  it('decodes any bytes, each escaped in upper or lower case hex or left bare when unreserved', () => {
    const piece = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom('lower', 'upper', 'bare'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces
          .map(([byte, style]) => {
            if (style === 'bare' && /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte))) return String.fromCharCode(byte);
            const hex = byte.toString(16).padStart(2, '0');
            return `%${style === 'upper' ? hex.toUpperCase() : hex}`;
          })
          .join('');
        expect(Buffer.from(query(`v=${text}`).get('v')?.[0] ?? '', 'latin1').toString('hex')).toBe(Buffer.from(pieces.map(([byte]) => byte)).toString('hex'));
      }),
    );
  });

  it('refuses too many parameters', () => {
    expect(parseRawQuery('a=1&'.repeat(65), 64)).toMatchObject({ failure: 'request-too-large' });
  });
});

describe('parseAnnounceQuery', () => {
  it('reads a typical announce with BEP 3/23 defaults', () => {
    expect(parseAnnounceQuery(query(base))).toEqual({
      infoHash,
      peerId: Buffer.from('-SF0001-abcdefghijkl'),
      port: 6881,
      left: 100,
      event: 'none',
      numWant: undefined,
      compact: true,
      noPeerId: false,
      ip: undefined,
    });
  });

  it('reads events, numwant, compact=0, no_peer_id and huge left values', () => {
    const parsed = parseAnnounceQuery(query(`${base.replace('left=100', 'left=99999999999999999999')}&event=completed&numwant=500&compact=0&no_peer_id=1&ip=1.2.3.4`));
    expect(parsed).toMatchObject({ event: 'completed', numWant: 500, compact: false, noPeerId: true, ip: Buffer.from('1.2.3.4'), left: Number.MAX_SAFE_INTEGER });
    expect(parseAnnounceQuery(query(`${base}&event=paused`))).toMatchObject({ event: 'none' });
  });

  const malformed: [string, string][] = [
    ['info hash too short', base.replace(encoded, '%01%02')],
    ['info hash twice', `${base}&info_hash=${encoded}`],
    ['no peer id', base.replace('peer_id=-SF0001-abcdefghijkl&', '')],
    ['port 0', base.replace('port=6881', 'port=0')],
    ['port too big', base.replace('port=6881', 'port=65536')],
    ['negative left', base.replace('left=100', 'left=-1')],
    ['no left', base.replace('&left=100', '')],
    ['left with a sign', base.replace('left=100', 'left=+1')],
    ['unknown event', `${base}&event=finished`],
    ['negative numwant', `${base}&numwant=-1`],
    ['compact=2', `${base}&compact=2`],
    ['uploaded not a number', base.replace('uploaded=0', 'uploaded=x')],
  ];
  it.each(malformed)('refuses %s', (_, text) => {
    expect(parseAnnounceQuery(query(text))).toMatchObject({ failure: 'malformed-request' });
  });
});
