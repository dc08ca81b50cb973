import { encodeCompactPeers } from '@seedfleet/wire';
import type { RemoteInfo } from 'node:dgram';
import { announce, scrape } from '../announce';
import { serveUdp } from '../testing/test-servers';
import { trackerFailure } from '../testing/expect-tracker-error';
import type { AnnounceParams, TrackerRequestOptions } from '../types';
import { UdpConnectionCache } from './connection-cache';
import { UDP_PROTOCOL_ID } from './udp-messages';

const infoHash = Buffer.alloc(20, 0xab);
const peerId = Buffer.from('-SF0001-123456789012');
const params: AnnounceParams = { infoHash, peerId, port: 6881, uploaded: 1, downloaded: 2, left: 3, event: 'completed', numwant: 10, key: 0xdeadbeef };
const connectionId = Buffer.from('0102030405060708', 'hex');

function header(action: number, transactionId: number, bodyLength = 0): Buffer {
  const packet = Buffer.alloc(8 + bodyLength);
  packet.writeUInt32BE(action, 0);
  packet.writeUInt32BE(transactionId, 4);
  return packet;
}

const connectAnswer = (request: Buffer, id = connectionId): Buffer => Buffer.concat([header(0, request.readUInt32BE(12)), id]);

function announceAnswer(request: Buffer, peers: Buffer, interval = 900): Buffer {
  const packet = header(1, request.readUInt32BE(12), 12);
  packet.writeUInt32BE(interval, 8);
  packet.writeUInt32BE(4, 12); // leechers
  packet.writeUInt32BE(5, 16); // seeders
  return Buffer.concat([packet, peers]);
}

const errorAnswer = (request: Buffer, message: string): Buffer => Buffer.concat([header(3, request.readUInt32BE(12)), Buffer.from(message)]);
const actionOf = (packet: Buffer): number => packet.readUInt32BE(8);

type Script = (packet: Buffer, reply: (answer: Buffer) => void, remote: RemoteInfo) => void;

/** A tracker that connects anyone and answers announces with `onAnnounce`. */
const connecting = (onAnnounce: Script): Script => (packet, reply, remote) => (actionOf(packet) === 0 ? reply(connectAnswer(packet)) : onAnnounce(packet, reply, remote));

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function udpTracker(script: Script, type: 'udp4' | 'udp6' = 'udp4') {
  const server = await serveUdp(script, type);
  servers.push(server);
  const host = type === 'udp4' ? '127.0.0.1' : '[::1]';
  return { ...server, url: `udp://${host}:${server.port}/announce` };
}

/** Fast retransmissions and a private connection id cache per test. */
const fast = (extra: TrackerRequestOptions = {}): TrackerRequestOptions => ({ udpRetransmitBaseMs: 25, udpMaxRetransmits: 3, udpConnections: new UdpConnectionCache(), ...extra });


describe('UDP announce (BEP 15)', () => {
  it('connects, then announces with every field in place', async () => {
    const peers = [{ host: '10.1.2.3', port: 51413 }, { host: '127.0.0.1', port: 6882 }];
    const listed = [...peers, peers[0]];
    const tracker = await udpTracker(connecting((packet, reply) => reply(announceAnswer(packet, encodeCompactPeers(listed, 'ipv4')))));
    const result = await announce(tracker.url, params, fast());
    expect(result).toEqual({ interval: 900, peers, complete: 5, incomplete: 4 });

    const [connect, request] = tracker.received;
    expect([connect.length, connect.readBigUInt64BE(0), actionOf(connect)]).toEqual([16, UDP_PROTOCOL_ID, 0]);
    expect(request.length).toBe(98);
    expect(request.subarray(0, 8)).toEqual(connectionId);
    expect(actionOf(request)).toBe(1);
    expect(request.subarray(16, 36)).toEqual(infoHash);
    expect(request.subarray(36, 56)).toEqual(peerId);
    expect([request.readBigUInt64BE(56), request.readBigUInt64BE(64), request.readBigUInt64BE(72)]).toEqual([2n, 3n, 1n]);
    expect([request.readUInt32BE(80), request.readUInt32BE(84), request.readUInt32BE(88), request.readInt32BE(92), request.readUInt16BE(96)]).toEqual([1, 0, 0xdeadbeef, 10, 6881]);
  });

  it('asks for the default number of peers with numwant -1', async () => {
    const tracker = await udpTracker(connecting((packet, reply) => reply(announceAnswer(packet, Buffer.alloc(0)))));
    await announce(tracker.url, { ...params, numwant: undefined, event: undefined }, fast());
    expect([tracker.received[1].readInt32BE(92), tracker.received[1].readUInt32BE(80)]).toEqual([-1, 0]);
  });

  it('reads 18-byte IPv6 peers from a tracker reached over IPv6', async () => {
    const peers = [{ host: '2001:db8::7', port: 6881 }];
    const tracker = await udpTracker(connecting((packet, reply) => reply(announceAnswer(packet, encodeCompactPeers(peers, 'ipv6')))), 'udp6');
    expect((await announce(tracker.url, params, fast())).peers).toEqual(peers);
  });

  it('reuses a connection id for up to a minute, then connects again', async () => {
    let now = 0;
    const udpConnections = new UdpConnectionCache(() => now);
    const tracker = await udpTracker(connecting((packet, reply) => reply(announceAnswer(packet, Buffer.alloc(0)))));
    await announce(tracker.url, params, fast({ udpConnections }));
    now = 59_000;
    await announce(tracker.url, params, fast({ udpConnections }));
    now = 60_000;
    await announce(tracker.url, params, fast({ udpConnections }));
    expect(tracker.received.map(actionOf)).toEqual([0, 1, 1, 0, 1]);
  });

  it('reconnects when the connection id expires while retransmitting', async () => {
    let now = 0;
    const udpConnections = new UdpConnectionCache(() => now);
    let announces = 0;
    const tracker = await udpTracker(
      connecting((packet, reply) => {
        // The first announce is lost and takes a minute: its retransmission would carry a dead id.
        if (++announces === 1) now += 61_000;
        else reply(announceAnswer(packet, Buffer.alloc(0)));
      }),
    );
    await announce(tracker.url, params, fast({ udpConnections }));
    expect(tracker.received.map(actionOf)).toEqual([0, 1, 0, 1]);
  });

  it('retransmits a lost packet with the same transaction id', async () => {
    let connects = 0;
    const tracker = await udpTracker((packet, reply) => {
      if (actionOf(packet) === 0) {
        if (++connects > 1) reply(connectAnswer(packet));
      } else reply(announceAnswer(packet, Buffer.alloc(0)));
    });
    expect((await announce(tracker.url, params, fast())).interval).toBe(900);
    const [first, second] = tracker.received;
    expect(second).toEqual(first);
    expect(tracker.received.map(actionOf)).toEqual([0, 0, 1]);
  });

  it('times out after the last retransmission', async () => {
    const tracker = await udpTracker(() => undefined);
    const error = await trackerFailure(announce(tracker.url, params, fast({ udpMaxRetransmits: 2 })));
    expect(error.code).toBe('timeout');
    expect(tracker.received).toHaveLength(3);
  });

  it('is bounded by timeoutMs whatever the retransmission schedule', async () => {
    const tracker = await udpTracker(() => undefined);
    const error = await trackerFailure(announce(tracker.url, params, fast({ udpRetransmitBaseMs: 60_000, timeoutMs: 100 })));
    expect(error.code).toBe('timeout');
    expect(tracker.received).toHaveLength(1);
  });

  it('turns an error action into code "failure"', async () => {
    const tracker = await udpTracker(connecting((packet, reply) => reply(errorAnswer(packet, 'torrent not registered'))));
    const error = await trackerFailure(announce(tracker.url, params, fast()));
    expect([error.code, error.message]).toEqual(['failure', 'the tracker refused: torrent not registered']);
  });

  it('gets a fresh connection id once when a reused one is refused', async () => {
    const udpConnections = new UdpConnectionCache();
    let refuse = false;
    const tracker = await udpTracker(connecting((packet, reply) => reply(refuse ? errorAnswer(packet, 'bad connection id') : announceAnswer(packet, Buffer.alloc(0)))));
    await announce(tracker.url, params, fast({ udpConnections }));
    refuse = true;
    const error = await trackerFailure(announce(tracker.url, params, fast({ udpConnections })));
    expect(error.code).toBe('failure');
    expect(tracker.received.map(actionOf)).toEqual([0, 1, 1, 0, 1]);
  });

  it('ignores answers to other transactions and runts', async () => {
    const tracker = await udpTracker((packet, reply) => {
      reply(Buffer.from([1, 2, 3]));
      reply(connectAnswer(Buffer.concat([packet.subarray(0, 12), Buffer.from([0, 0, 0, 0])])));
    });
    expect((await trackerFailure(announce(tracker.url, params, fast({ udpMaxRetransmits: 1 })))).code).toBe('timeout');
  });

  it('ignores answers from any other address', async () => {
    const impostor = await serveUdp(() => undefined);
    servers.push(impostor);
    const tracker = await udpTracker((packet, _reply, remote) => impostor.socket.send(connectAnswer(packet), remote.port, remote.address));
    expect((await trackerFailure(announce(tracker.url, params, fast({ udpMaxRetransmits: 1 })))).code).toBe('timeout');
    expect(tracker.received).toHaveLength(2);
  });

  it.each([
    ['an announce answer cut short', (packet: Buffer) => announceAnswer(packet, Buffer.alloc(0)).subarray(0, 15)],
    ['peers of 7 bytes', (packet: Buffer) => announceAnswer(packet, Buffer.alloc(7))],
    ['a scrape answer to an announce', (packet: Buffer) => header(2, packet.readUInt32BE(12), 12)],
  ])('rejects %s as "bad-response"', async (_name, answer) => {
    const tracker = await udpTracker(connecting((packet, reply) => reply(answer(packet))));
    expect((await trackerFailure(announce(tracker.url, params, fast()))).code).toBe('bad-response');
  });

  it('rejects a short connect answer', async () => {
    const tracker = await udpTracker((packet, reply) => reply(header(0, packet.readUInt32BE(12), 4)));
    expect((await trackerFailure(announce(tracker.url, params, fast()))).code).toBe('bad-response');
  });

  it('stops when the caller aborts', async () => {
    const tracker = await udpTracker(() => undefined);
    const controller = new AbortController();
    const pending = announce(tracker.url, params, fast({ udpRetransmitBaseMs: 60_000, signal: controller.signal }));
    await new Promise((resolve) => tracker.socket.once('message', resolve));
    controller.abort();
    expect((await trackerFailure(pending)).code).toBe('aborted');
  });

  it('refuses a URL without a port', async () => {
    expect((await trackerFailure(announce('udp://127.0.0.1/announce', params, fast()))).code).toBe('unsupported-url');
  });
});

describe('UDP scrape', () => {
  it('reads counts per info hash', async () => {
    const other = Buffer.alloc(20, 1);
    const tracker = await udpTracker(
      connecting((packet, reply) => {
        const answer = header(2, packet.readUInt32BE(12), 24);
        [5, 50, 2, 1, 10, 0].forEach((value, index) => answer.writeUInt32BE(value, 8 + 4 * index));
        reply(answer);
      }),
    );
    const result = await scrape(tracker.url, [infoHash, other], fast());
    expect(tracker.received[1].subarray(16)).toEqual(Buffer.concat([infoHash, other]));
    expect(result).toEqual(
      new Map([
        [infoHash.toString('hex'), { complete: 5, downloaded: 50, incomplete: 2 }],
        [other.toString('hex'), { complete: 1, downloaded: 10, incomplete: 0 }],
      ]),
    );
  });

  it('rejects a short scrape answer and too many hashes', async () => {
    const tracker = await udpTracker(connecting((packet, reply) => reply(header(2, packet.readUInt32BE(12), 11))));
    expect((await trackerFailure(scrape(tracker.url, [infoHash], fast()))).code).toBe('bad-response');
    expect((await trackerFailure(scrape(tracker.url, Array(75).fill(infoHash), fast()))).code).toBe('bad-params');
  });
});
