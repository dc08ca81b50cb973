import { randomBytes } from 'node:crypto';
import { cleanupPrefix, compactPeers, startTracker, UdpTrackerClient, uniquePrefix, type TrackerUnderTest } from './tracker-server-fixtures';

// Conformance of our UDP tracker (BEP 15) over real sockets with the real Redis store.
jest.setTimeout(30_000);

const EVENT_NONE = 0;
const EVENT_COMPLETED = 1;
const EVENT_STARTED = 2;
const EVENT_STOPPED = 3;

describe('UDP tracker conformance (open mode, Redis)', () => {
  const prefix = uniquePrefix('tracker-udp');
  let tracker: TrackerUnderTest;
  let v4: UdpTrackerClient;
  let v6: UdpTrackerClient;
  beforeAll(async () => {
    tracker = await startTracker({ keyPrefix: prefix, tracker: { intervalSeconds: 600, minIntervalSeconds: 0, maxNumWant: 4, defaultNumWant: 2 } });
    const port = tracker.udp?.port as number;
    v4 = new UdpTrackerClient('127.0.0.1', port);
    v6 = new UdpTrackerClient('::1', port);
  });
  afterAll(async () => {
    v4.close();
    v6.close();
    await tracker.stop();
    await cleanupPrefix(prefix);
  });

  function announceReply(reply: Buffer, entryLength: 6 | 18) {
    expect(reply.readUInt32BE(0)).toBe(1);
    return { interval: reply.readUInt32BE(8), leechers: reply.readUInt32BE(12), seeders: reply.readUInt32BE(16), peers: compactPeers(reply.subarray(20), entryLength) };
  }

  it('connects, announces and returns peers of the request family', async () => {
    const infoHash = randomBytes(20);
    const id4 = await v4.connect();
    const id6 = await v6.connect();
    expect(id4).toHaveLength(8);
    await v4.request(v4.announceMessage(id4, { infoHash, peer: 1, port: 7001, left: 0n, event: EVENT_STARTED }));
    await v6.request(v6.announceMessage(id6, { infoHash, peer: 2, port: 7002, left: 5n, event: EVENT_STARTED }));
    const fromV4 = announceReply(await v4.request(v4.announceMessage(id4, { infoHash, peer: 3, port: 7003, left: 5n, event: EVENT_STARTED })), 6);
    expect(fromV4).toEqual({ interval: 600, leechers: 2, seeders: 1, peers: [{ ip: '127.0.0.1', port: 7001 }] });
    const fromV6 = announceReply(await v6.request(v6.announceMessage(id6, { infoHash, peer: 4, port: 7004, left: 5n, numWant: 10 })), 18);
    expect(fromV6.peers).toEqual([{ ip: '::1', port: 7002 }]);
    expect(fromV6.leechers).toBe(3);
  });

  it('caps num_want and applies the default for -1', async () => {
    const infoHash = randomBytes(20);
    const id = await v4.connect();
    for (let peer = 1; peer <= 7; peer++) await v4.request(v4.announceMessage(id, { infoHash, peer, port: 7000 + peer, left: 5n }));
    expect(announceReply(await v4.request(v4.announceMessage(id, { infoHash, peer: 8, port: 7008, left: 5n, numWant: 1000 })), 6).peers).toHaveLength(4);
    expect(announceReply(await v4.request(v4.announceMessage(id, { infoHash, peer: 9, port: 7009, left: 5n, numWant: -1 })), 6).peers).toHaveLength(2);
  });

  it('scrapes several torrents, counts completions, forgets stopped peers', async () => {
    const infoHash = randomBytes(20);
    const empty = randomBytes(20);
    const id = await v4.connect();
    await v4.request(v4.announceMessage(id, { infoHash, peer: 1, port: 7001, left: 5n, event: EVENT_STARTED }));
    await v4.request(v4.announceMessage(id, { infoHash, peer: 2, port: 7002, left: 5n, event: EVENT_STARTED }));
    await v4.request(v4.announceMessage(id, { infoHash, peer: 1, port: 7001, left: 0n, event: EVENT_COMPLETED }));
    await v4.request(v4.announceMessage(id, { infoHash, peer: 2, port: 7002, left: 5n, event: EVENT_STOPPED }));
    const reply = await v4.request(v4.scrapeMessage(id, [infoHash, empty]));
    expect(reply.readUInt32BE(0)).toBe(2);
    const counts = [0, 1].map((index) => [0, 4, 8].map((offset) => reply.readUInt32BE(8 + index * 12 + offset)));
    expect(counts).toEqual([
      [1, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('refuses a forged connection id with an error smaller than the request, and drops garbage', async () => {
    const message = v4.announceMessage(randomBytes(8), { infoHash: randomBytes(20), peer: 1, port: 7001, left: 5n, event: EVENT_NONE });
    const reply = await v4.request(message);
    expect(reply.readUInt32BE(0)).toBe(3);
    expect(reply.subarray(8).toString()).toMatch(/connection id/);
    expect(reply.length).toBeLessThan(message.length);
    const connect = Buffer.alloc(16);
    connect.writeBigUInt64BE(0x41727101980n, 0);
    connect.writeUInt32BE(0x5eed, 12);
    const first = await v4.firstReplyAfter(Buffer.from('hello tracker, this is no BEP 15 request'), connect);
    expect(first.readUInt32BE(4)).toBe(0x5eed);
  });

  it('refuses an id issued to another address', async () => {
    const id6 = await v6.connect();
    const reply = await v4.request(v4.announceMessage(id6, { infoHash: randomBytes(20), peer: 1, port: 7001, left: 5n }));
    expect(reply.readUInt32BE(0)).toBe(3);
  });

  it('answers an announce with port 0 with an error', async () => {
    const id = await v4.connect();
    const reply = await v4.request(v4.announceMessage(id, { infoHash: randomBytes(20), peer: 1, port: 0, left: 5n }));
    expect(reply.readUInt32BE(0)).toBe(3);
  });
});
