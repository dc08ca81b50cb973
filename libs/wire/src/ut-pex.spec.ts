import fc from 'fast-check';
import { encodeCompactPeers } from './compact-peer';
import { WireError } from './errors';
import { decodePexMessage, encodePexMessage, MAX_PEX_PEERS, PexFlag } from './ut-pex';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const v4Peers = (count: number) => Array.from({ length: count }, (_, index) => ({ host: `10.0.${index >> 8}.${index & 0xff}`, port: 6881 }));

describe('ut_pex (BEP 11)', () => {
  it('round-trips IPv4 and IPv6 peers with their flags', () => {
    const host = fc.oneof(fc.ipV4(), fc.constantFrom('2001:db8::1', 'fe80::2'));
    const peer = fc.record({ host, port: fc.nat({ max: 0xffff }) });
    const added = fc.array(fc.record({ host, port: fc.nat({ max: 0xffff }), flags: fc.nat({ max: 0x1f }) }), { maxLength: 50 });
    fc.assert(
      fc.property(added, fc.array(peer, { maxLength: 50 }), (addedPeers, droppedPeers) => {
        const decoded = decodePexMessage(encodePexMessage({ added: addedPeers, dropped: droppedPeers }));
        const v4First = <T extends { host: string }>(list: T[]) => [...list.filter((p) => !p.host.includes(':')), ...list.filter((p) => p.host.includes(':'))];
        expect(decoded).toEqual({ added: v4First(addedPeers), dropped: v4First(droppedPeers) });
      }),
    );
  });

  it('encodes the BEP 11 keys', () => {
    const encoded = encodePexMessage({ added: [{ host: '10.0.0.1', port: 6881, flags: PexFlag.seed | PexFlag.reachable }], dropped: [] });
    expect(encoded).toEqual(bytes('d5:added6:\x0a\x00\x00\x01\x1a\xe17:added.f1:\x126:added60:8:added6.f0:7:dropped0:8:dropped60:e'));
  });

  it('ignores peers past the first 50 and flags it was not given', () => {
    const message = Buffer.concat([bytes(`d5:added${(MAX_PEX_PEERS + 10) * 6}:`), encodeCompactPeers(v4Peers(MAX_PEX_PEERS + 10), 'ipv4'), bytes('e')]);
    const decoded = decodePexMessage(message);
    expect(decoded.added).toEqual(v4Peers(MAX_PEX_PEERS).map((peer) => ({ ...peer, flags: 0 })));
    expect(decoded.dropped).toEqual([]);
  });

  it('refuses malformed peer lists', () => {
    expect(() => decodePexMessage(bytes('d5:added5:abcdee'))).toThrow(expect.objectContaining({ reason: 'bad-pex-message' }));
    expect(() => decodePexMessage(bytes('d7:droppedi1ee'))).toThrow(expect.objectContaining({ reason: 'bad-pex-message' }));
    expect(() => decodePexMessage(bytes('le'))).toThrow(expect.objectContaining({ reason: 'bad-pex-message' }));
  });

  it('refuses to send more peers than BEP 11 allows or flags that are not a byte', () => {
    const tooMany = v4Peers(MAX_PEX_PEERS + 1).map((peer) => ({ ...peer, flags: 0 }));
    expect(() => encodePexMessage({ added: tooMany, dropped: [] })).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
    expect(() => encodePexMessage({ added: [{ host: '1.2.3.4', port: 1, flags: 256 }], dropped: [] })).toThrow(
      expect.objectContaining({ reason: 'bad-argument' }),
    );
  });

  it('throws nothing but WireError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (payload) => {
        try {
          decodePexMessage(payload);
        } catch (error) {
          expect(error).toBeInstanceOf(WireError);
        }
      }),
    );
  });
});
