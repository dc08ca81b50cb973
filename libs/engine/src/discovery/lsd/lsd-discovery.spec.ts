import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { PeerAddress } from '@seedfleet/wire';
import { ManualTimers } from '../../tracker/testing/manual-timers';
import type { DiscoverySource } from '../types';
import { EventLog } from '../testing/event-log';
import { loopbackTestGroup } from '../testing/test-groups';
import { LsdDiscovery, type LsdIgnoreReason } from './lsd-discovery';
import type { LsdGroup } from './lsd-group';
import { decodeLsdAnnounce, encodeLsdAnnounces } from './lsd-message';

const hashA = Buffer.alloc(20, 0xaa);
const hashB = Buffer.alloc(20, 0xbb);

interface Found {
  readonly peer: PeerAddress;
  readonly source: DiscoverySource;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function startLsd(group: LsdGroup, peerPort: number, extra: { lsdForPrivateTorrents?: boolean } = {}) {
  const timers = new ManualTimers();
  const ignored = new EventLog<{ reason: LsdIgnoreReason; from: RemoteInfo }>();
  const errors: Error[] = [];
  const lsd = await LsdDiscovery.start({
    peerPort,
    groups: [group],
    timers,
    clock: timers.clock,
    onIgnored: (reason, from) => ignored.push({ reason, from }),
    onError: (error) => errors.push(error),
    ...extra,
  });
  open.push(lsd);
  return { lsd, timers, ignored, errors };
}

function target(infoHash: Buffer, found: EventLog<Found>, isPrivate = false) {
  return { infoHash, private: isPrivate, onPeers: (peers: PeerAddress[], source: DiscoverySource) => peers.forEach((peer) => found.push({ peer, source })) };
}

/** A plain socket joined to the group: sees every announce, like another client on the LAN. */
async function listen(group: LsdGroup): Promise<{ socket: Socket; datagrams: EventLog<{ hashes: string[]; port: number }> }> {
  const datagrams = new EventLog<{ hashes: string[]; port: number }>();
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve) => socket.bind(group.port, '0.0.0.0', resolve));
  socket.addMembership(group.address, group.interface);
  socket.on('message', (datagram) => {
    const decoded = decodeLsdAnnounce(datagram);
    if (decoded.ok) datagrams.push({ hashes: decoded.announce.infoHashes, port: decoded.announce.port });
  });
  open.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return { socket, datagrams };
}

function send(socket: Socket, group: LsdGroup, datagram: Buffer): Promise<void> {
  socket.setMulticastInterface(group.interface ?? '127.0.0.1');
  return new Promise((resolve, reject) => socket.send(datagram, group.port, group.address, (error) => (error ? reject(error) : resolve())));
}

describe('LsdDiscovery over real multicast on loopback', () => {
  it('two instances find each other’s port for a shared info hash, and only for torrents they have', async () => {
    const group = loopbackTestGroup();
    const first = await startLsd(group, 40_001);
    const second = await startLsd(group, 40_002);
    const foundByFirst = new EventLog<Found>();
    const foundBySecond = new EventLog<Found>();
    first.lsd.add(target(hashA, foundByFirst));
    second.lsd.add(target(hashA, foundBySecond));
    second.lsd.add(target(hashB, foundBySecond));

    await expect(foundByFirst.waitFor(({ peer }) => peer.port === 40_002, 'first hears second')).resolves.toEqual({ peer: { host: '127.0.0.1', port: 40_002 }, source: 'lsd' });
    await expect(foundBySecond.waitFor(({ peer }) => peer.port === 40_001, 'second hears first')).resolves.toEqual({ peer: { host: '127.0.0.1', port: 40_001 }, source: 'lsd' });
    // second announced hashA and hashB in one datagram; first has only hashA, so one report.
    expect(foundByFirst.events).toHaveLength(1);
    expect(first.errors).toEqual([]);
  });

  it('ignores its own announces (cookie) and never reports its own port', async () => {
    const group = loopbackTestGroup();
    const only = await startLsd(group, 40_003);
    const found = new EventLog<Found>();
    only.lsd.add(target(hashA, found));
    await only.ignored.waitFor(({ reason }) => reason === 'own', 'own announce dropped');
    expect(found.events).toEqual([]);
  });

  it('announces once on add, defers announceNow inside the 1 minute floor, and re-announces every 5 minutes', async () => {
    const group = loopbackTestGroup();
    const { datagrams } = await listen(group);
    const { lsd, timers } = await startLsd(group, 40_004);
    const membership = lsd.add(target(hashA, new EventLog<Found>()));
    await datagrams.waitFor(({ hashes }) => hashes.includes(hashA.toString('hex')), 'first announce');
    for (let i = 0; i < 20; i++) membership?.announceNow();
    // A second torrent announces at once; had the burst gone out, hashA would be in this datagram or before it.
    lsd.add(target(hashB, new EventLog<Found>()));
    const sentinel = await datagrams.waitFor(({ hashes }) => hashes.includes(hashB.toString('hex')), 'second torrent announce');
    expect(sentinel.hashes).toEqual([hashB.toString('hex')]);
    expect(datagrams.events.filter(({ hashes }) => hashes.includes(hashA.toString('hex')))).toHaveLength(1);

    expect(timers.pendingDelays()[0]).toBe(60_000);
    timers.advance(60_000);
    await datagrams.waitFor((event) => event !== sentinel && datagrams.events.indexOf(event) > datagrams.events.indexOf(sentinel), 'deferred announce');
    expect(datagrams.events.map(({ hashes }) => hashes)).toEqual([[hashA.toString('hex')], [hashB.toString('hex')], [hashA.toString('hex')]]);

    timers.advance(300_000 - 60_000); // hashB's regular re-announce comes first, at 5 min
    await datagrams.waitFor(() => datagrams.events.length === 4, 'regular re-announce');
    expect(datagrams.events[3]).toEqual({ hashes: [hashB.toString('hex')], port: 40_004 });
    membership?.remove();
    timers.advance(60_000); // hashA would be due now; removed, so the only timer left is hashB's
    expect(timers.pendingDelays()).toEqual([240_000]);
  });

  it('private torrents are not announced unless the fleet config allows it', async () => {
    const group = loopbackTestGroup();
    const { datagrams } = await listen(group);
    const strict = await startLsd(group, 40_005);
    const lenient = await startLsd(group, 40_006, { lsdForPrivateTorrents: true });
    expect(strict.lsd.add(target(hashA, new EventLog<Found>(), true))).toBeUndefined();
    expect(lenient.lsd.add(target(hashB, new EventLog<Found>(), true))).toBeDefined();
    await datagrams.waitFor(({ port }) => port === 40_006, 'lenient announce');
    expect(datagrams.events.some(({ port }) => port === 40_005)).toBe(false);
    expect(strict.timers.pendingDelays()).toEqual([]);
  });

  it('survives hostile datagrams and reports each peer at most once a minute', async () => {
    const group = loopbackTestGroup();
    const { socket } = await listen(group);
    const { lsd, ignored, timers } = await startLsd(group, 40_007);
    const found = new EventLog<Found>();
    lsd.add(target(hashA, found));
    const hostile = [Buffer.alloc(0), Buffer.from('BT-SEARCH * HTTP/1.1\r\nPort: 99999\r\n\r\n'), Buffer.alloc(9000, 0x41), Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a])];
    for (const datagram of hostile) await send(socket, group, datagram);
    const valid = encodeLsdAnnounces({ host: `${group.address}:${group.port}`, port: 41_000, infoHashes: [hashA.toString('hex'), hashB.toString('hex')] })[0];
    await send(socket, group, valid);
    await found.waitFor(({ peer }) => peer.port === 41_000, 'valid announce after hostile ones');
    await send(socket, group, valid);
    await ignored.waitFor(({ reason }) => reason === 'repeated', 'repeat inside a minute ignored');
    timers.advance(60_000);
    await send(socket, group, valid);
    await found.waitFor(() => found.events.length === 2, 'reported again after a minute');
    // Unicast to the LSD port is not an announce from the LAN: bound to the group, the socket never sees it.
    const unicast = encodeLsdAnnounces({ host: `${group.address}:${group.port}`, port: 41_001, infoHashes: [hashA.toString('hex')] })[0];
    await new Promise<void>((resolve) => socket.send(unicast, group.port, '127.0.0.1', () => resolve()));
    const sentinel = encodeLsdAnnounces({ host: `${group.address}:${group.port}`, port: 41_002, infoHashes: [hashA.toString('hex')] })[0];
    await send(socket, group, sentinel);
    await found.waitFor(({ peer }) => peer.port === 41_002, 'multicast sentinel');
    expect(found.events.map(({ peer }) => peer.port)).not.toContain(41_001);
    expect(ignored.events.map(({ reason }) => reason)).toEqual(expect.arrayContaining(['not-bt-search', 'bad-port', 'too-large', 'repeated']));
  });
});
