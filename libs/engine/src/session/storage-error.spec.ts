import { MemoryPieceStore } from '../storage/memory-store';
import { StorageError } from '../storage/piece-store';
import { makeTestTorrent, startSwarm, type SwarmHarness } from '../testing';
import { TorrentError } from '../torrent';

jest.setTimeout(30_000);

let swarm: SwarmHarness | undefined;
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
});

/** A memory store whose disk fills up after `room` pieces. */
class FillingStore extends MemoryPieceStore {
  written = 0;
  constructor(layout: ConstructorParameters<typeof MemoryPieceStore>[0], private readonly room: number) {
    super(layout);
  }

  override async writePiece(index: number, data: Buffer): Promise<void> {
    if (this.written >= this.room) throw new StorageError('no-space', 'ENOSPC: no space left on device, write', '/data/payload.bin');
    this.written++;
    return super.writePiece(index, data);
  }
}

it('a full disk puts the torrent in the error state with a clear message, without crashing', async () => {
  const torrent = await makeTestTorrent({ size: 2 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'full-disk' });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0 });
  const leecher = await swarm.addLeecher({ store: new FillingStore(torrent.metainfo, 5) });
  const errors: Error[] = [];
  leecher.torrent.on('error', (error) => errors.push(error));
  await expect(leecher.torrent.whenComplete()).rejects.toThrow(/disk is full/);
  expect(leecher.torrent.state).toBe('error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(TorrentError);
  expect((errors[0] as TorrentError).code).toBe('storage');
  const progress = leecher.torrent.progress();
  expect(progress.error).toMatch(/the disk is full: ENOSPC/);
  expect(progress.peers).toBe(0);
  expect(progress.piecesHave).toBe(5);
  // The seeder is unaffected.
  expect(swarm.seeders[0].torrent.state).toBe('seeding');
});
