import { createSocket } from 'node:dgram';
import { encode } from '@seedfleet/bencode';
import type DHT from 'bittorrent-dht';
import type { PeerAddress } from '@seedfleet/wire';
import { ManualTimers } from '../../tracker/testing/manual-timers';
import { EventLog } from '../testing/event-log';
import type { DiscoverySource } from '../types';
import { DhtDiscovery, type DhtRound } from './dht-discovery';
import { encodeDhtState, parseDhtState } from './dht-state';
import type { KrpcRejection } from './krpc-guard';
import { KrpcSocket } from './krpc-socket';
import { loadDht } from './load-dht';

const publicHash = Buffer.alloc(20, 0x11);
const privateHash = Buffer.alloc(20, 0x22);

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

/** A plain bittorrent-dht node on 127.0.0.1 that bootstraps from nobody, recording what it is asked. */
async function startBootstrapNode(): Promise<{ node: DHT; address: string; queried: EventLog<{ query: string; infoHash: string }> }> {
  const DhtNode = await loadDht();
  const node = new DhtNode({ bootstrap: false, krpcSocket: new KrpcSocket(2000, () => undefined) });
  const queried = new EventLog<{ query: string; infoHash: string }>();
  node.on('get_peers', (infoHash: Buffer) => queried.push({ query: 'get_peers', infoHash: infoHash.toString('hex') }));
  node.on('announce_peer', (infoHash: Buffer) => queried.push({ query: 'announce_peer', infoHash: infoHash.toString('hex') }));
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise<void>((resolve) => node.destroy(resolve)) });
  return { node, address: `127.0.0.1:${node.address().port}`, queried };
}

async function startDht(peerPort: number, bootstrap: string[], extra: Partial<Parameters<typeof DhtDiscovery.start>[0]> = {}) {
  const timers = new ManualTimers();
  const rounds = new EventLog<DhtRound>();
  const rejected = new EventLog<KrpcRejection>();
  const errors: Error[] = [];
  const dht = await DhtDiscovery.start({
    peerPort,
    host: '127.0.0.1',
    bootstrap,
    timers,
    clock: timers.clock,
    onRound: rounds.push,
    onRejected: (reason) => rejected.push(reason),
    onError: (error) => errors.push(error),
    ...extra,
  });
  open.push(dht);
  return { dht, timers, rounds, rejected, errors };
}

function collector(infoHash: Buffer, isPrivate = false) {
  const found = new EventLog<{ peer: PeerAddress; source: DiscoverySource }>();
  const target = { infoHash, private: isPrivate, onPeers: (peers: PeerAddress[], source: DiscoverySource) => peers.forEach((peer) => found.push({ peer, source })) };
  return { found, target };
}

const announced = (hash: Buffer) => (round: DhtRound) => round.infoHash === hash.toString('hex') && round.announcedTo > 0;

describe('DhtDiscovery over real UDP with a local bootstrap node', () => {
  it('two nodes find each other’s announced peers for an info hash', async () => {
    const bootstrap = await startBootstrapNode();
    const first = await startDht(50_001, [bootstrap.address]);
    const second = await startDht(50_002, [bootstrap.address]);
    const firstPeers = collector(publicHash);
    const secondPeers = collector(publicHash);

    first.dht.add(firstPeers.target);
    await first.rounds.waitFor(announced(publicHash), 'first node announced');
    second.dht.add(secondPeers.target);
    await expect(secondPeers.found.waitFor(({ peer }) => peer.port === 50_001, 'second finds first')).resolves.toEqual({ peer: { host: '127.0.0.1', port: 50_001 }, source: 'dht' });
    await second.rounds.waitFor(announced(publicHash), 'second node announced');

    // The first node's next round (15 min later on its clock) finds the second.
    expect(first.timers.pendingDelays()).toEqual([15 * 60_000]);
    first.timers.advance(15 * 60_000);
    await expect(firstPeers.found.waitFor(({ peer }) => peer.port === 50_002, 'first finds second')).resolves.toEqual({ peer: { host: '127.0.0.1', port: 50_002 }, source: 'dht' });
    await first.rounds.waitFor((round) => first.rounds.events.indexOf(round) === 1, 'second round of the first node');
    expect(firstPeers.found.events.map(({ peer }) => peer.port)).not.toContain(50_001);
    expect(secondPeers.found.events.map(({ peer }) => peer.port)).not.toContain(50_002);
    expect([...first.errors, ...second.errors]).toEqual([]);
  });

  it('private torrents never touch the DHT', async () => {
    const bootstrap = await startBootstrapNode();
    const { dht, timers } = await startDht(50_003, [bootstrap.address]);
    expect(dht.add(collector(privateHash, true).target)).toBeUndefined();
    expect(timers.pendingDelays()).toEqual([]);
    const membership = dht.add(collector(publicHash).target);
    membership?.announceNow();
    await bootstrap.queried.waitFor(({ query, infoHash }) => query === 'announce_peer' && infoHash === publicHash.toString('hex'), 'public torrent announced');
    expect(bootstrap.queried.events.some(({ infoHash }) => infoHash === privateHash.toString('hex'))).toBe(false);
  });

  it('drops datagrams that would crash bittorrent-dht and keeps working', async () => {
    const bootstrap = await startBootstrapNode();
    const target = await startDht(50_004, [bootstrap.address]);
    const sender = createSocket('udp4');
    open.push({ close: () => new Promise<void>((resolve) => sender.close(() => resolve())) });
    const hostile = [
      { t: 'aa', y: 'q', q: 'get_peers', a: { id: Buffer.alloc(20, 1), info_hash: 5 } },
      { t: 'ab', y: 'q', q: 'announce_peer', a: { id: Buffer.alloc(20, 1), info_hash: Buffer.alloc(20), token: 7, port: 1 } },
      { t: 'ac', y: 'q', q: 'put', a: { id: Buffer.alloc(20, 1), v: 'x', token: 'y', k: 3 } },
    ];
    for (const message of hostile) sender.send(encode(message), target.dht.port, '127.0.0.1');
    sender.send(Buffer.from('d1:y1:qe garbage'), target.dht.port, '127.0.0.1');
    await target.rejected.waitFor(() => target.rejected.events.length === 4, 'all four rejected');
    expect(target.rejected.events).toEqual(['bad-arguments', 'bad-arguments', 'unsupported-query', 'not-bencode']);

    const peers = collector(publicHash);
    const other = await startDht(50_005, [bootstrap.address]);
    other.dht.add(collector(publicHash).target);
    await other.rounds.waitFor(announced(publicHash), 'other announced');
    target.dht.add(peers.target);
    await peers.found.waitFor(({ peer }) => peer.port === 50_005, 'still finds peers');
  });

  it('restores its node id and contacts from saved state and finds peers without any bootstrap node', async () => {
    const bootstrap = await startBootstrapNode();
    const seeder = await startDht(50_006, [bootstrap.address]);
    seeder.dht.add(collector(publicHash).target);
    await seeder.rounds.waitFor(announced(publicHash), 'seeder announced');

    const saved = parseDhtState(encodeDhtState(seeder.dht.state()));
    expect(saved?.nodes).toContainEqual({ host: '127.0.0.1', port: bootstrap.node.address().port });
    const restarted = await startDht(50_007, [], { state: saved });
    expect(restarted.dht.nodeId.toString('hex')).toBe(saved?.nodeId);
    const peers = collector(publicHash);
    restarted.dht.add(peers.target);
    await peers.found.waitFor(({ peer }) => peer.port === 50_006, 'finds the seeder through restored contacts');
  });
});
