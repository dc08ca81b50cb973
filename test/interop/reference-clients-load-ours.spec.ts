import { join } from 'node:path';
import { createTempDir, libtorrentInspect, transmissionShow, type TempDir } from '@seedfleet/testing';
import { contentCases, expectedFiles, pieceLength, writeCase, type ContentCase } from './fixtures';
import { createOurTorrent, hex } from './our-torrent';

// libtorrent must load every torrent we create and see what we see; Transmission 3.00 our v1 torrents.
jest.setTimeout(120_000);

const trackers = [['http://a.example/announce', 'udp://b.example:6969/announce'], ['https://c.example/announce']];
const webSeeds = ['https://mirror.example/pub/'];

let dir: TempDir;
beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-load-');
});
afterAll(() => dir.remove());

/** Reference tools print paths with the torrent name in front for multi-file torrents. */
function relative(content: ContentCase, path: string): string {
  return content.single ? path : path.split('/').slice(1).join('/');
}

const sortedByPath = <T extends { path: string }>(files: T[]): T[] => files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));

describe.each(contentCases)('our torrents of: $name', (content) => {
  let source: string;
  beforeAll(async () => {
    source = await writeCase(join(dir.path, content.root.replace(/\W/g, '_')), content);
  });

  it.each(['v1', 'v2', 'hybrid'] as const)('%s loads in libtorrent with the same hashes, pieces and files', async (version) => {
    const output = join(dir.path, `${content.root}.ours-${version}.torrent`);
    const ours = await createOurTorrent(source, output, version, pieceLength, { trackers, webSeeds });
    const seen = await libtorrentInspect(output);
    expect({ v1: seen.infoHashV1, v2: seen.infoHashV2 }).toEqual({ v1: hex(ours.infoHashV1), v2: hex(ours.infoHashV2) });
    expect(seen.name).toBe(ours.name);
    expect(seen.pieceLength).toBe(pieceLength);
    expect(seen.numPieces).toBe(ours.pieceCount);
    const real = seen.files.filter((file) => !file.pad).map((file) => ({ path: relative(content, file.path), size: file.size }));
    expect(sortedByPath(real)).toEqual(expectedFiles(content));
    expect(seen.trackers.map((tracker) => [tracker.tier, tracker.url]).sort()).toEqual(trackers.flatMap((tier, index) => tier.map((url) => [index, url])).sort());
    expect(seen.webSeeds).toEqual(webSeeds);
    expect(seen.private).toBe(false);
  });

  it('v1 loads in transmission-show with the same hash, files and tiers', async () => {
    const output = join(dir.path, `${content.root}.ours-v1-private.torrent`);
    const ours = await createOurTorrent(source, output, 'v1', pieceLength, { trackers, private: true });
    const shown = await transmissionShow(output);
    expect(shown.hash).toBe(hex(ours.infoHashV1));
    expect(shown.name).toBe(ours.name);
    expect(shown.pieceCount).toBe(ours.pieceCount);
    expect(shown.privateTorrent).toBe(true);
    expect(shown.trackers).toEqual(trackers);
    expect(shown.files.map((path) => relative(content, path)).sort()).toEqual(expectedFiles(content).map((file) => file.path).sort());
  });
});
