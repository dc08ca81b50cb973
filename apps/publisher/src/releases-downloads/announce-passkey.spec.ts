import { createTorrent, parseTorrent } from '@seedfleet/metainfo';
import { Readable } from 'node:stream';
import { substitutePasskey, torrentWithPasskey } from './announce-passkey';

const file = (path: string[], bytes: Buffer) => ({ path, length: bytes.length, open: () => Readable.from([bytes]) });

describe('torrentWithPasskey', () => {
  it('replaces the placeholder in announce and announce-list and keeps the info dict byte for byte', async () => {
    const created = await createTorrent([file(['a.bin'], Buffer.alloc(40000, 1)), file(['b.bin'], Buffer.alloc(100, 2))], {
      name: 'app-1.0',
      trackers: [['http://pub.example/announce/{passkey}'], ['http://backup.example/announce/{passkey}?x=1']],
      webSeeds: ['http://pub.example/webseed/rel_x/'],
      private: true,
    });
    const out = torrentWithPasskey(created.torrent, 'agent-passkey_123');
    const parsed = parseTorrent(out);
    expect(parsed.announce).toEqual([['http://pub.example/announce/agent-passkey_123'], ['http://backup.example/announce/agent-passkey_123?x=1']]);
    expect(parsed.infoHashV1!.equals(created.infoHashV1!)).toBe(true);
    expect(parsed.infoHashV2!.equals(created.infoHashV2!)).toBe(true);
    expect(parsed.urlList).toEqual(['http://pub.example/webseed/rel_x/']);
    expect(parsed.private).toBe(true);
  });

  it('returns the same bytes when there is no placeholder', async () => {
    const created = await createTorrent([file([], Buffer.alloc(1000, 3))], { name: 'x', trackers: [['http://pub.example/announce']] });
    expect(torrentWithPasskey(created.torrent, 'abcdefgh')).toBe(created.torrent);
  });

  it.each(['short', 'has space in it', 'slash/inside', '{passkey}', 'x'.repeat(129)])('refuses the passkey %p', (passkey) => {
    expect(() => substitutePasskey('http://h/announce/{passkey}', passkey)).toThrow(RangeError);
  });
});
