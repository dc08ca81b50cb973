import { encode } from '@seedfleet/bencode';
import fc from 'fast-check';
import { compactAddress } from '../core/address';
import type { AnnounceReply } from '../core/tracker';
import type { PeerAddress, SwarmPeer } from '../core/types';
import { encodeAnnounceReply } from './encode-replies';

const address = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })).map(([ip, port]): PeerAddress => ({ ip, family: 4, port })),
  fc.constantFrom('2001:db8::1', '::1', 'fe80::1:2:3:4').chain((ip) => fc.integer({ min: 1, max: 65535 }).map((port): PeerAddress => ({ ip, family: 6, port }))),
);
/** The member somewhere inside a larger buffer, as a packed Redis reply holds it. */
function inBuffer(member: Buffer): { bytes: Buffer; start: number; end: number } {
  return { bytes: Buffer.concat([Buffer.alloc(7, 0xee), member, Buffer.alloc(5, 0xdd)]), start: 7, end: 7 + member.length };
}

// Peers as the memory store gives them (address only), with a compact form, or as stored members.
const peer = fc.tuple(address, fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean(), fc.constantFrom('address', 'compact', 'member')).map(
  ([peerAddress, peerId, seeder, form]): SwarmPeer => ({
    peerId: Buffer.from(peerId),
    address: peerAddress,
    compact: form === 'compact' ? compactAddress(peerAddress) : undefined,
    member: form === 'member' ? inBuffer(Buffer.concat([Buffer.from(peerId), compactAddress(peerAddress)])) : undefined,
    seeder,
    locality: { zone: '', region: '' },
  }),
);
const count = fc.nat({ max: 2 ** 31 });
const reply = fc.record({
  complete: count,
  incomplete: count,
  downloaded: count,
  intervalSeconds: count,
  minIntervalSeconds: count,
  trackerId: fc.string({ unit: 'grapheme', maxLength: 20 }),
  peers: fc.array(peer, { maxLength: 60 }),
});

describe('encodeAnnounceReply', () => {
  it('writes the same compact bytes as the generic bencode encoder', () => {
    fc.assert(
      fc.property(reply, (value: AnnounceReply) => {
        const v4 = value.peers.filter((item) => item.address.family === 4).map((item) => compactAddress(item.address));
        const v6 = value.peers.filter((item) => item.address.family === 6).map((item) => compactAddress(item.address));
        const expected = encode({
          complete: value.complete,
          incomplete: value.incomplete,
          downloaded: value.downloaded,
          interval: value.intervalSeconds,
          'min interval': value.minIntervalSeconds,
          'tracker id': value.trackerId,
          peers: Buffer.concat(v4),
          peers6: Buffer.concat(v6),
        });
        expect(encodeAnnounceReply(value, { compact: true, noPeerId: false }).equals(expected)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
