import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { FileStore } from '../storage/file-store';
import type { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, startSwarm, storeContent, type SwarmHarness } from '../testing';
import { Session } from './session';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
let restarted: Session | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await restarted?.close();
  await swarm?.close();
  await dir?.remove();
  swarm = restarted = dir = undefined;
});

it('a torrent stopped mid-download and added again with the same store fetches only the missing pieces', async () => {
  const torrent = await makeTestTorrent({ size: 4 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'resume' });
  const pieceCount = torrent.metainfo.pieceCount;
  // Slow enough to stop half way: 1 MiB/s for 4 MiB.
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0 });
  const first = await swarm.addLeecher({ maxDownRate: 1024 * 1024 });
  swarm.leechers.splice(0);
  await new Promise<void>((resolve) => first.torrent.on('piece', () => first.torrent.progress().piecesHave >= pieceCount / 4 && resolve()));
  await first.session.close();
  const kept = first.torrent.progress();
  expect(kept.state).toBe('stopped');
  expect(kept.piecesHave).toBeGreaterThanOrEqual(pieceCount / 4);
  expect(kept.piecesHave).toBeLessThan(pieceCount);

  restarted = new Session({ host: '127.0.0.1', hashPool: swarm.hashPool });
  await restarted.listen();
  const again = await restarted.add({ metainfo: torrent.metainfo, store: first.store, peers: [{ host: '127.0.0.1', port: swarm.seeders[0].port }] });
  const states: string[] = [again.state];
  again.on('state', (state) => states.push(state));
  const checking: unknown[] = [];
  again.on('progress', (progress) => progress.state === 'checking' && checking.push(progress.checked));
  await again.whenComplete();
  // The check reports its progress, ending with every piece checked.
  expect(checking.at(-1)).toEqual({ done: pieceCount, total: pieceCount });
  expect(states.slice(0, 3)).toEqual(['checking', 'downloading', 'seeding']);
  expect((await storeContent(first.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  // Only the missing pieces came over the wire (endgame may duplicate a few blocks).
  const missingBytes = torrent.content.length - kept.downloaded;
  expect(again.bytesReceived).toBeGreaterThanOrEqual(missingBytes);
  expect(again.bytesReceived).toBeLessThan(missingBytes + 4 * torrent.metainfo.pieceLength);
});

it('with a FileStore and resume data, a restart trusts the saved pieces and fetches only the rest', async () => {
  const torrent = await makeTestTorrent({ size: 4 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'resume-files' });
  const { metainfo } = torrent;
  dir = await createTempDir('seedfleet-resume-');
  const resumePath = join(dir.path, 'payload.resume');
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0 });
  const first = await swarm.addLeecher({ store: new FileStore({ metainfo, directory: dir.path }), resumePath, maxDownRate: 1024 * 1024 });
  swarm.leechers.splice(0);
  await new Promise<void>((resolve) => first.torrent.on('piece', () => first.torrent.progress().piecesHave >= metainfo.pieceCount / 4 && resolve()));
  await first.session.close();
  const kept = first.torrent.progress();
  expect(kept.piecesHave).toBeLessThan(metainfo.pieceCount);

  restarted = new Session({ host: '127.0.0.1', hashPool: swarm.hashPool });
  await restarted.listen();
  const again = await restarted.add({
    metainfo,
    store: new FileStore({ metainfo, directory: dir.path }),
    resumePath,
    peers: [{ host: '127.0.0.1', port: swarm.seeders[0].port }],
  });
  await again.whenComplete();
  expect(again.startupCheck).toEqual({ checkedPieces: 0, trustedPieces: kept.piecesHave, resumeIgnored: undefined });
  expect((await readFile(join(dir.path, metainfo.name))).equals(torrent.content)).toBe(true);
  const missingBytes = torrent.content.length - kept.downloaded;
  expect(again.bytesReceived).toBeGreaterThanOrEqual(missingBytes);
  expect(again.bytesReceived).toBeLessThan(missingBytes + 4 * metainfo.pieceLength);
  await restarted.close();
  // Completion and stop saved resume data again: a third start finds everything without a peer.
  const third = new Session({ host: '127.0.0.1', hashPool: swarm.hashPool });
  restarted = third;
  const seeding = await third.add({ metainfo, store: new FileStore({ metainfo, directory: dir.path }), resumePath });
  await seeding.whenComplete();
  expect(seeding.progress()).toMatchObject({ state: 'seeding', piecesHave: metainfo.pieceCount });
  expect(seeding.startupCheck).toMatchObject({ checkedPieces: 0, trustedPieces: metainfo.pieceCount });
});
