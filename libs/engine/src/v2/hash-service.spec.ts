import type { Metainfo, TorrentFile } from '@seedfleet/metainfo';
import type { HashMessage } from '../peer/peer-handler';
import { peerPair } from '../peer/testing/loopback';
import type { RecordingHandler } from '../peer/testing/recording-handler';
import { makeTestTorrent } from '../testing';
import { HASH_REQUEST_TIMEOUT_MS, PieceLayerFetch } from './piece-layer-fetch';
import { type HashPeer, HashService } from './hash-service';

jest.setTimeout(30_000);

const bare = (metainfo: Metainfo): Metainfo => ({ ...metainfo, pieceLayers: new Map() });

/** The n-th (1-based) hash message a handler recorded, waiting for it. */
async function nthHashMessage(events: RecordingHandler, n: number): Promise<HashMessage> {
  while (events.count('hashMessage') < n) await events.upcoming('hashMessage');
  return events.events.filter((event) => event.name === 'hashMessage')[n - 1].args[0] as HashMessage;
}

it('serves and fetches a piece layer of 600 hashes over a real connection: two requests of 512, proven, equal to the .torrent\'s', async () => {
  const { metainfo } = await makeTestTorrent({ size: 600 * 16 * 1024 - 3, pieceLength: 16 * 1024, version: 'v2', seed: 'hash-pipe' });
  const joined = bare(metainfo);
  const { acceptor, connector, acceptorEvents, connectorEvents } = await peerPair();
  acceptor.start();
  connector.start();
  try {
    const asSeeder: HashPeer = { id: 'connector', send: (message) => acceptor.sendHashMessage(message) };
    const asLeecher: HashPeer = { id: 'acceptor', send: (message) => connector.sendHashMessage(message) };
    const layers: TorrentFile[] = [];
    const bad: string[] = [];
    const seeder = new HashService(metainfo, { clock: () => 0, onLayer: () => undefined, onBadHashes: (_peer, why) => bad.push(why) });
    const leecher = new HashService(joined, { clock: () => 0, onLayer: (file) => layers.push(file), onBadHashes: (_peer, why) => bad.push(why) });
    expect(leecher.waitingFiles).toHaveLength(1);
    leecher.ask(asLeecher);
    for (let round = 0; round < 2; round++) {
      const request = await nthHashMessage(acceptorEvents, round + 1);
      expect(request).toMatchObject({ type: 'hash-request', baseLayer: 0, index: round * 512, length: 512, proofLayers: 9 });
      seeder.onMessage(asSeeder, request);
      const answer = await nthHashMessage(connectorEvents, round + 1);
      expect(answer).toMatchObject({ type: 'hashes', index: round * 512 });
      leecher.onMessage(asLeecher, answer);
    }
    expect(bad).toEqual([]);
    expect(layers.map((file) => file.path)).toEqual([metainfo.files[0].path]);
    const [[root, layer]] = [...metainfo.pieceLayers];
    expect(joined.pieceLayers.get(root)?.equals(layer)).toBe(true);
    expect(leecher.fetching).toBe(false);

    // A peer without layers answers hash reject; a request past the tree too.
    const empty = new HashService(bare(metainfo), { clock: () => 0, onLayer: () => undefined, onBadHashes: () => undefined });
    empty.onMessage(asSeeder, { type: 'hash-request', piecesRoot: Buffer.from(root, 'hex'), baseLayer: 0, index: 0, length: 512, proofLayers: 9 });
    expect(await nthHashMessage(connectorEvents, 3)).toMatchObject({ type: 'hash-reject', length: 512 });
    seeder.onMessage(asSeeder, { type: 'hash-request', piecesRoot: Buffer.from(root, 'hex'), baseLayer: 0, index: 1024, length: 512, proofLayers: 9 });
    expect(await nthHashMessage(connectorEvents, 4)).toMatchObject({ type: 'hash-reject', index: 1024 });
    // A peer that does not read what we send gets rejects, not more answers to buffer.
    const backlogged: HashPeer = { ...asSeeder, backlogged: () => true };
    seeder.onMessage(backlogged, { type: 'hash-request', piecesRoot: Buffer.from(root, 'hex'), baseLayer: 0, index: 0, length: 512, proofLayers: 9 });
    expect(await nthHashMessage(connectorEvents, 5)).toMatchObject({ type: 'hash-reject', index: 0 });
  } finally {
    acceptor.close({ code: 'shutdown', message: 'test over' });
    connector.close({ code: 'shutdown', message: 'test over' });
  }
});

describe('PieceLayerFetch', () => {
  it('asks each chunk of one peer at a time; rejects, timeouts and departures free it for others, never the same peer again', async () => {
    const { metainfo } = await makeTestTorrent({ size: 600 * 16 * 1024, pieceLength: 16 * 1024, version: 'v2', seed: 'fetch-state' });
    const fetch = new PieceLayerFetch(bare(metainfo));
    const [first, second] = fetch.next('a', 0, 4);
    expect([first.index, second.index]).toEqual([0, 512]);
    expect(fetch.next('b', 0, 4)).toEqual([]);
    fetch.rejected('a', first);
    expect(fetch.next('a', 0, 4)).toEqual([]);
    expect(fetch.next('b', 0, 4).map((range) => range.index)).toEqual([0]);
    fetch.peerGone('b');
    expect(fetch.next('c', 1, 4).map((range) => range.index)).toEqual([0]);
    expect(fetch.next('d', HASH_REQUEST_TIMEOUT_MS, 4).map((range) => range.index)).toEqual([512]);
    // An answer from a peer that was not asked (any more) is unsolicited and ignored.
    expect(fetch.received('a', second, Buffer.alloc(513 * 32)).kind).toBe('unsolicited');
    expect(fetch.received('d', second, Buffer.alloc(513 * 32))).toEqual({ kind: 'refused', why: 'the hashes do not hash to the pieces root' });
    expect(fetch.done).toBe(false);
  });

  it('needs nothing for hybrids (SHA-1 verifies them) nor for files of one piece', async () => {
    const hybrid = await makeTestTorrent({ size: 300_000, pieceLength: 16 * 1024, version: 'hybrid', seed: 'fetch-hybrid' });
    expect(new PieceLayerFetch(bare(hybrid.metainfo)).done).toBe(true);
    const small = await makeTestTorrent({ size: 10_000, pieceLength: 16 * 1024, version: 'v2', seed: 'fetch-small' });
    expect(new PieceLayerFetch(bare(small.metainfo)).done).toBe(true);
  });
});
