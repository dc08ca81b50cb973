import { createHash } from 'node:crypto';
import { encode } from '@seedfleet/bencode';
import { type MagnetLink, parseTorrent } from '@seedfleet/metainfo';
import { ConnectionLimits } from '../net/connection-limits';
import { Listener } from '../net/listener';
import { type DisconnectReason } from '../peer/disconnect-reason';
import { ExtensionRouter, localExtensionHandshake } from '../peer/extensions';
import { PeerConnection } from '../peer/peer-connection';
import type { PeerHandler } from '../peer/peer-handler';
import { MetadataDownload } from './metadata-download';
import { MetadataError } from './metadata-error';
import { MetadataServer } from './metadata-server';

jest.setTimeout(30_000);

const flags = { extensionProtocol: true, fastExtension: true };
const pieceCount = 2500;
/** A v1 info dict of ~50 KB (four metadata pieces): a 40 MiB file of 16 KiB pieces with made-up hashes. */
const infoRaw = encode({ length: pieceCount * 16384, name: 'big.bin', 'piece length': 16384, pieces: Buffer.alloc(pieceCount * 20, 0x5a) });
const infoHashV1 = createHash('sha1').update(infoRaw).digest();
const infoHashV2 = createHash('sha256').update(infoRaw).digest();

/** A peer serving `dict` over ut_metadata (and nothing else), on a real TCP port. */
async function metadataSeed(dict: Buffer, name: string): Promise<{ port: number; close: () => void; served: () => number }> {
  const server = new MetadataServer(dict, { clock: () => performance.now() });
  const router = new ExtensionRouter([server]);
  let served = 0;
  const connections: PeerConnection[] = [];
  const handler: PeerHandler = {
    onExtensionHandshake: (connection, handshake) => router.onExtensionHandshake(connection, handshake),
    onExtended: (connection, id, payload) => {
      served++;
      router.onExtended(connection, id, payload);
    },
    onClose: (_connection: PeerConnection, _reason: DisconnectReason) => undefined,
  };
  const limits = new ConnectionLimits<string>();
  const peerId = Buffer.from(`-XX0001-${name}`.padEnd(20, '0').slice(0, 20), 'latin1');
  const listener = new Listener<string>({
    host: '127.0.0.1',
    port: 0,
    limits,
    route: (hash) => (hash.equals(infoHashV1) ? { torrent: 't', peerId, flags } : undefined),
    onConnection: (incoming) => {
      const connection = new PeerConnection({ ...incoming, localFlags: flags, handler });
      connections.push(connection);
      connection.sendExtensionHandshake(localExtensionHandshake({ extensions: router.names, reqq: 100, metadataSize: dict.length }));
      connection.start();
    },
  });
  const { port } = await listener.listen();
  return {
    port,
    served: () => served,
    close: () => {
      listener.close();
      for (const connection of connections) connection.close({ code: 'shutdown', message: 'test over' });
    },
  };
}

function magnetFor(ports: number[], hashes: Partial<Pick<MagnetLink, 'infoHashV1' | 'infoHashV2'>> = { infoHashV1 }): MagnetLink {
  return { infoHashV1: null, infoHashV2: null, ...hashes, trackers: ['http://127.0.0.1:9/announce'], webSeeds: [], peers: ports.map((port) => `127.0.0.1:${port}`) };
}

function downloadFor(magnet: MagnetLink): MetadataDownload {
  return new MetadataDownload({ magnet, peerId: Buffer.from('-SF0001-magnettest01', 'latin1'), flags, port: () => 0, clock: () => performance.now(), random: Math.random });
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

it('fetches and verifies the info dict from two peers over TCP and builds the torrent', async () => {
  const seeds = [await metadataSeed(infoRaw, 'seedaaaa'), await metadataSeed(infoRaw, 'seedbbbb')];
  cleanups.push(...seeds.map((seed) => seed.close));
  const download = downloadFor(magnetFor(seeds.map((seed) => seed.port)));
  cleanups.push(() => download.stop());
  const fetched = await download.start();
  expect(fetched.metainfo.infoHashV1!.equals(infoHashV1)).toBe(true);
  expect(fetched.metainfo.infoRaw.equals(infoRaw)).toBe(true);
  expect(fetched.metainfo.pieceCount).toBe(pieceCount);
  expect(fetched.metainfo.announce).toEqual([['http://127.0.0.1:9/announce']]);
  expect(seeds[0].served() + seeds[1].served()).toBeGreaterThanOrEqual(4);
  expect(fetched.peers.map((peer) => peer.port).sort()).toEqual(seeds.map((seed) => seed.port).sort());
  // The .torrent file round-trips to the same info hash.
  expect(parseTorrent(fetched.torrentFile).infoHashV1!.equals(infoHashV1)).toBe(true);
});

it('a btmh-only (v2 hash) magnet verifies with SHA-256, a hybrid one with both', async () => {
  // The seed routes by the v1 hash, so the v2-only magnet here is checked by the fetcher alone.
  const seed = await metadataSeed(infoRaw, 'seedcccc');
  cleanups.push(seed.close);
  const hybrid = downloadFor(magnetFor([seed.port], { infoHashV1, infoHashV2 }));
  cleanups.push(() => hybrid.stop());
  expect((await hybrid.start()).metainfo.infoRaw.equals(infoRaw)).toBe(true);
});

it('drops a peer serving a different dict and completes from an honest one', async () => {
  const forged = encode({ length: pieceCount * 16384, name: 'big.bin', 'piece length': 16384, pieces: Buffer.alloc(pieceCount * 20, 0x66) });
  const liar = await metadataSeed(forged, 'liarliar');
  const honest = await metadataSeed(infoRaw, 'honestxx');
  cleanups.push(liar.close, honest.close);
  const disconnects: string[] = [];
  const download = new MetadataDownload({
    magnet: magnetFor([liar.port, honest.port]),
    peerId: Buffer.from('-SF0001-magnettest02', 'latin1'),
    flags,
    port: () => 0,
    clock: () => performance.now(),
    random: Math.random,
    onPeer: (event) => event.type === 'disconnected' && disconnects.push(`${event.address} ${event.reason}`),
  });
  cleanups.push(() => download.stop());
  const fetched = await download.start();
  expect(fetched.metainfo.infoRaw.equals(infoRaw)).toBe(true);
  expect(disconnects.filter((line) => line.includes(`:${honest.port} protocol`))).toEqual([]);
});

it('stop() rejects with a MetadataError and closes the connections', async () => {
  const download = downloadFor(magnetFor([]));
  const started = download.start();
  await download.stop();
  await expect(started).rejects.toBeInstanceOf(MetadataError);
});
