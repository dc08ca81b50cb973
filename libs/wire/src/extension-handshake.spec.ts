import type { BValue } from '@seedfleet/bencode';
import fc from 'fast-check';
import { WireError } from './errors';
import { decodeExtensionHandshake, encodeExtensionHandshake, type ExtensionHandshake } from './extension-handshake';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('extension handshake (BEP 10)', () => {
  it('reads the keys a libtorrent handshake carries', () => {
    const payload = bytes(
      'd12:complete_agoi-1e1:md11:lt_donthavei7e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e' +
        '1:pi6881e4:reqqi500e11:upload_onlyi1e1:v16:libtorrent 2.0.8' +
        '6:yourip4:\x0a\x00\x00\x02e',
    );
    expect(decodeExtensionHandshake(payload)).toEqual({
      m: new Map([['lt_donthave', 7], ['ut_metadata', 2], ['ut_pex', 1]]),
      v: 'libtorrent 2.0.8',
      p: 6881,
      reqq: 500,
      yourip: '10.0.0.2',
      ipv4: undefined,
      ipv6: undefined,
      metadataSize: 31235,
      uploadOnly: true,
      completeAgo: undefined,
      unknown: new Map(),
    });
  });

  it('drops values of the wrong type or out of range instead of failing the connection', () => {
    const payload = bytes(
      'd1:md1:ai256e1:bi-1e1:c1:x1:di0e1:ei255ee13:metadata_sizei-5e1:pi0e4:reqqi0e1:vi3e6:yourip3:abce',
    );
    const handshake = decodeExtensionHandshake(payload);
    expect(handshake.m).toEqual(new Map([['d', 0], ['e', 255]]));
    expect([handshake.metadataSize, handshake.p, handshake.reqq, handshake.v, handshake.yourip]).toEqual([
      undefined, undefined, undefined, undefined, undefined,
    ]);
    expect(decodeExtensionHandshake(bytes('d1:m3:abce')).m).toEqual(new Map());
  });

  it('round-trips typed fields and keys it does not know', () => {
    const handshake = fc.record<ExtensionHandshake>({
      m: fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.nat({ max: 255 }))).map((entries) => new Map(entries)),
      v: fc.option(fc.string(), { nil: undefined }),
      p: fc.option(fc.integer({ min: 1, max: 0xffff }), { nil: undefined }),
      reqq: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
      yourip: fc.option(fc.oneof(fc.ipV4(), fc.constant('2001:db8::7')), { nil: undefined }),
      ipv4: fc.option(fc.ipV4(), { nil: undefined }),
      ipv6: fc.option(fc.constant('fe80::1'), { nil: undefined }),
      metadataSize: fc.option(fc.nat(), { nil: undefined }),
      uploadOnly: fc.option(fc.boolean(), { nil: undefined }),
      completeAgo: fc.option(fc.nat(), { nil: undefined }),
      unknown: fc.constant(new Map<string, BValue>([['lt_extra', Buffer.from('kept')], ['x', 5]])),
    });
    fc.assert(fc.property(handshake, (value) => expect(decodeExtensionHandshake(encodeExtensionHandshake(value))).toEqual(value)));
  });

  it('refuses a payload that is not a bencoded dictionary', () => {
    expect(() => decodeExtensionHandshake(bytes('li1ee'))).toThrow(expect.objectContaining({ reason: 'bad-extension-handshake' }));
    expect(() => decodeExtensionHandshake(bytes('d1:m'))).toThrow(expect.objectContaining({ reason: 'bad-extension-handshake' }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (payload) => {
        try {
          decodeExtensionHandshake(payload);
        } catch (error) {
          expect(error).toBeInstanceOf(WireError);
        }
      }),
    );
  });
});
