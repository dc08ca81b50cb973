import type { PeerAddress } from '@seedfleet/wire';
import { ManualTimers } from '../tracker/testing/manual-timers';
import { DhtDiscovery } from './dht/dht-discovery';
import { LsdDiscovery } from './lsd/lsd-discovery';
import { EventLog } from './testing/event-log';
import { loopbackTestGroup } from './testing/test-groups';
import { TorrentDiscovery } from './torrent-discovery';
import type { DiscoverySource } from './types';

const infoHash = Buffer.alloc(20, 0x5a);

describe('TorrentDiscovery', () => {
  it('uses every source a public torrent may use, only LSD (when allowed) for a private one, and stops cleanly', async () => {
    const group = loopbackTestGroup();
    const timers = new ManualTimers();
    const dht = await DhtDiscovery.start({ peerPort: 51_000, host: '127.0.0.1', bootstrap: [], timers, clock: timers.clock });
    const lsd = await LsdDiscovery.start({ peerPort: 51_000, groups: [group], lsdForPrivateTorrents: true, timers, clock: timers.clock });
    const other = await LsdDiscovery.start({ peerPort: 51_001, groups: [group] });
    try {
      const found = new EventLog<{ peer: PeerAddress; source: DiscoverySource }>();
      const onPeers = (peers: PeerAddress[], source: DiscoverySource) => peers.forEach((peer) => found.push({ peer, source }));
      const publicTorrent = new TorrentDiscovery([dht, lsd], { infoHash, private: false, onPeers });
      const privateTorrent = new TorrentDiscovery([dht, lsd], { infoHash: Buffer.alloc(20, 0x5b), private: true, onPeers });
      publicTorrent.start();
      privateTorrent.start();
      expect(publicTorrent.sources).toEqual(['dht', 'lsd']);
      expect(privateTorrent.sources).toEqual(['lsd']);

      other.add({ infoHash, private: false, onPeers: () => undefined });
      await expect(found.waitFor(({ source }) => source === 'lsd', 'LSD peer')).resolves.toEqual({ peer: { host: '127.0.0.1', port: 51_001 }, source: 'lsd' });

      publicTorrent.stop();
      privateTorrent.stop();
      expect(publicTorrent.sources).toEqual([]);
      timers.advance(60 * 60_000);
      expect(timers.pendingDelays()).toEqual([]); // nothing left to announce
    } finally {
      await Promise.all([dht.close(), lsd.close(), other.close()]);
    }
  });
});
