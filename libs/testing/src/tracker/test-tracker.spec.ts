import { type BDict, decode } from '@seedfleet/bencode';
import { decodeCompactPeers } from '@seedfleet/wire';
import { get } from 'node:http';
import { startTestTracker, type TestTracker } from './test-tracker';

const infoHash = Buffer.alloc(20, 0xee);
const peerIdOf = (n: number): Buffer => Buffer.from(`-TT0001-${String(n).padStart(12, '0')}`);
const escape = (bytes: Buffer): string => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

function fetchDict(url: string): Promise<BDict> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(decode(Buffer.concat(chunks)).value as BDict));
    }).on('error', reject);
  });
}

function announceAs(tracker: TestTracker, peer: number, extra = ''): Promise<BDict> {
  return fetchDict(`${tracker.url}?info_hash=${escape(infoHash)}&peer_id=${escape(peerIdOf(peer))}&port=${7000 + peer}&uploaded=0&downloaded=0&left=${peer}${extra}`);
}

describe('startTestTracker', () => {
  let tracker: TestTracker;
  beforeEach(async () => {
    tracker = await startTestTracker({ interval: 120, minInterval: 60 });
  });
  afterEach(() => tracker.close());

  it('hands each peer the others of its swarm, never itself, compact or not', async () => {
    const first = await announceAs(tracker, 1, '&compact=1&event=started');
    expect(first.get('peers')).toEqual(Buffer.alloc(0));
    expect([first.get('interval'), first.get('min interval')]).toEqual([120, 60]);

    const second = await announceAs(tracker, 2, '&compact=1');
    expect(decodeCompactPeers(second.get('peers') as Buffer, 'ipv4')).toEqual([{ host: '127.0.0.1', port: 7001 }]);

    const third = await announceAs(tracker, 0, '&compact=0');
    const dictPeers = (third.get('peers') as BDict[]).map((peer) => [String(peer.get('ip')), peer.get('port'), String(peer.get('peer id'))]);
    expect(dictPeers).toEqual([
      ['127.0.0.1', 7001, peerIdOf(1).toString()],
      ['127.0.0.1', 7002, peerIdOf(2).toString()],
    ]);
    expect([third.get('complete'), third.get('incomplete')]).toEqual([1, 2]);
  });

  it('records announces and forgets stopped peers', async () => {
    await announceAs(tracker, 1, '&compact=1&event=started&numwant=5&key=abcd');
    await announceAs(tracker, 2, '&compact=1');
    await announceAs(tracker, 1, '&compact=1&event=stopped');
    expect(tracker.announces.map((announce) => [announce.peerId.toString(), announce.event, announce.port])).toEqual([
      [peerIdOf(1).toString(), 'started', 7001],
      [peerIdOf(2).toString(), undefined, 7002],
      [peerIdOf(1).toString(), 'stopped', 7001],
    ]);
    expect(tracker.announces[0]).toMatchObject({ infoHash: infoHash.toString('hex'), numwant: 5, key: 'abcd', compact: true, address: '127.0.0.1' });
    expect(tracker.peers(infoHash.toString('hex')).map((peer) => peer.port)).toEqual([7002]);
  });

  it('waits for an announce that has not happened yet', async () => {
    const waiting = tracker.waitForAnnounce((announce) => announce.event === 'completed');
    await announceAs(tracker, 1, '&event=started');
    await announceAs(tracker, 1, '&event=completed');
    expect((await waiting).event).toBe('completed');
    await expect(tracker.waitForAnnounce((announce) => announce.port === 1, 50)).rejects.toThrow(/no matching announce/);
  });

  it('answers broken requests and refusals with a failure reason', async () => {
    const broken = await fetchDict(`${tracker.url}?info_hash=short&peer_id=${escape(peerIdOf(1))}&port=1`);
    expect(String(broken.get('failure reason'))).toBe('info_hash must be 20 bytes');
    tracker.refuse('go away');
    expect(String((await announceAs(tracker, 1)).get('failure reason'))).toBe('go away');
    expect(tracker.announces).toHaveLength(0);
  });

  it('scrapes', async () => {
    await announceAs(tracker, 0);
    await announceAs(tracker, 1);
    const files = (await fetchDict(`${tracker.url.replace('/announce', '/scrape')}?info_hash=${escape(infoHash)}`)).get('files') as BDict;
    expect(files.get(infoHash.toString('latin1'))).toEqual(new Map([['complete', 1], ['downloaded', 0], ['incomplete', 1]]));
  });

  it('serves IPv6 peers as BEP 7 peers6', async () => {
    const v6 = await startTestTracker({ host: '::1' });
    try {
      expect(v6.url).toBe(`http://[::1]:${v6.port}/announce`);
      await announceAs(v6, 1, '&compact=1');
      const answer = await announceAs(v6, 2, '&compact=1');
      expect(answer.get('peers')).toEqual(Buffer.alloc(0));
      expect(decodeCompactPeers(answer.get('peers6') as Buffer, 'ipv6')).toEqual([{ host: '::1', port: 7001 }]);
    } finally {
      await v6.close();
    }
  });
});
