import { makeTestTorrent, startSwarm, type SwarmHarness } from '../testing';
import { Session } from './session';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  await swarm?.close();
  swarm = session = undefined;
});

it('refuses a second copy of a torrent (v1, and v2-only by its truncated v2 hash) with typed errors', async () => {
  const v1 = await makeTestTorrent({ size: 100_000, pieceLength: 16_384, seed: 'twice' });
  const v2 = await makeTestTorrent({ size: 100_000, pieceLength: 16_384, seed: 'v2', version: 'v2' });
  session = new Session({ host: '127.0.0.1' });
  await session.listen();
  const first = await session.add({ metainfo: v1.metainfo, store: v1.seederStore(), seedOnly: true });
  await expect(session.add({ metainfo: v1.metainfo, store: v1.emptyStore() })).rejects.toThrow(/already in the session/);
  const second = await session.add({ metainfo: v2.metainfo, store: v2.seederStore(), seedOnly: true });
  await expect(session.add({ metainfo: v2.metainfo, store: v2.emptyStore() })).rejects.toThrow(/already in the session/);
  expect(session.list()).toEqual([first, second]);
  expect(session.get(v1.metainfo.infoHashV1!)).toBe(first);
  expect(session.get(v2.metainfo.infoHashV2!.subarray(0, 20))).toBe(second);
  await first.whenComplete();
  await first.stop();
  await second.stop();
  expect(first.state).toBe('stopped');
  expect(session.list()).toEqual([]);
  await expect(first.whenComplete()).resolves.toBeUndefined();
});

it('a torrent connection limit holds, and leechers past it complete through the others', async () => {
  const torrent = await makeTestTorrent({ size: 2 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'limit' });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0, seederOptions: { maxConnections: 2 } });
  const seeder = swarm.seeders[0].torrent;
  let connected = 0;
  let most = 0;
  seeder.on('peer', (event) => {
    connected += event.type === 'connected' ? 1 : -1;
    most = Math.max(most, connected);
  });
  for (let count = 0; count < 4; count++) await swarm.addLeecher();
  await swarm.allComplete(45_000);
  expect(most).toBeGreaterThan(0);
  expect(most).toBeLessThanOrEqual(2);
});

it('stop() while checking ends the check: stopped, no error, whenComplete rejects', async () => {
  const torrent = await makeTestTorrent({ size: 8 * 1024 * 1024, pieceLength: 16 * 1024, seed: 'stop-checking' });
  session = new Session({ host: '127.0.0.1' });
  await session.listen();
  const checking = await session.add({ metainfo: torrent.metainfo, store: torrent.seederStore() });
  const errors: Error[] = [];
  checking.on('error', (error) => errors.push(error));
  expect(checking.state).toBe('checking');
  await checking.stop();
  expect(checking.state).toBe('stopped');
  await expect(checking.whenComplete()).rejects.toMatchObject({ code: 'stopped' });
  expect(checking.startupCheck).toBeUndefined();
  expect(errors).toEqual([]);
  expect(session.list()).toEqual([]);
});
