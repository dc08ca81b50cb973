import { join } from 'node:path';
import { createTempDir, runPythonScriptAt, type TempDir } from './tracker-server-python';
import { cleanupPrefix, startTracker, uniquePrefix, type TrackerUnderTest } from './tracker-server-fixtures';

// Two libtorrent 2.0 peers with DHT, LSD and PEX off find each other only through our tracker (HTTP,
// then UDP) and complete a download.
jest.setTimeout(120_000);

interface SwarmOutcome {
  finished: boolean;
  identical: boolean;
  infoHash: string;
  replies: { session: string; peers: number }[];
  errors: { session: string; message: string }[];
}

describe('libtorrent peers find each other through our tracker', () => {
  const prefix = uniquePrefix('tracker-libtorrent');
  let tracker: TrackerUnderTest;
  let dir: TempDir;
  beforeAll(async () => {
    tracker = await startTracker({ keyPrefix: prefix, host: '127.0.0.1', tracker: { intervalSeconds: 30, minIntervalSeconds: 0 } });
  });
  beforeEach(async () => (dir = await createTempDir('seedfleet-tracker-libtorrent-')));
  afterEach(() => dir.remove());
  afterAll(async () => {
    await tracker.stop();
    await cleanupPrefix(prefix);
  });

  const swarm = (announceUrl: string) =>
    runPythonScriptAt<SwarmOutcome>(join(__dirname, 'tracker-server-libtorrent.py'), { dir: dir.path, size: 3_000_000, pieceLength: 65_536, tracker: announceUrl, timeout: 60 }, 90_000);

  it.each([
    ['HTTP', () => tracker.urls.announce],
    ['UDP', () => tracker.urls.udp as string],
  ])('over %s', async (_, url) => {
    const outcome = await swarm(url());
    expect(outcome.errors).toEqual([]);
    // The leecher learnt of the seeder from our reply, and nothing else could have told it.
    expect(outcome.replies.some((reply) => reply.session === 'leecher' && reply.peers >= 1)).toBe(true);
    expect(outcome.finished).toBe(true);
    expect(outcome.identical).toBe(true);
  });
});
