import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTorrent, type Metainfo } from '@seedfleet/metainfo';
import { createTempDir, libtorrentCreate, libtorrentInspect, mktorrent, transmissionCreate, transmissionShow, type TempDir } from '@seedfleet/testing';
import { contentCases, expectedFiles, pieceLength, writeCase } from './fixtures';

// Torrents made by the reference creators must parse, with the info hashes those tools report.
jest.setTimeout(120_000);

let dir: TempDir;
beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-parse-');
});
afterAll(() => dir.remove());

function realFiles(metainfo: Metainfo): { path: string; size: number }[] {
  return metainfo.files
    .filter((file) => !file.pad)
    .map((file) => ({ path: file.path.join('/'), size: file.length }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

describe.each(contentCases)('torrents made by reference tools from: $name', (content) => {
  let source: string;
  beforeAll(async () => {
    source = await writeCase(join(dir.path, content.root.replace(/\W/g, '_')), content);
  });

  it.each(['v1', 'v2', 'hybrid'] as const)('libtorrent %s', async (version) => {
    const output = join(dir.path, `${content.root}.lt-${version}.torrent`);
    const created = await libtorrentCreate({ path: source, output, version, pieceLength });
    const metainfo = parseTorrent(await readFile(output), { requirePieceLayers: version !== 'v1' });
    expect(metainfo.version).toBe(version);
    expect(metainfo.infoHashV1?.toString('hex') ?? null).toBe(created.infoHashV1);
    expect(metainfo.infoHashV2?.toString('hex') ?? null).toBe(created.infoHashV2);
    expect(metainfo.pieceCount).toBe(created.numPieces);
    expect(realFiles(metainfo)).toEqual(expectedFiles(content));
  });

  it('mktorrent', async () => {
    const output = join(dir.path, `${content.root}.mktorrent.torrent`);
    await mktorrent({ path: source, output, pieceLength, trackers: [['http://a.example/announce', 'udp://b.example:6969'], ['http://c.example/announce']] });
    const reported = await libtorrentInspect(output);
    const metainfo = parseTorrent(await readFile(output));
    expect(metainfo.infoHashV1?.toString('hex')).toBe(reported.infoHashV1);
    expect(metainfo.announce).toEqual([['http://a.example/announce', 'udp://b.example:6969'], ['http://c.example/announce']]);
    expect(realFiles(metainfo)).toEqual(expectedFiles(content));
  });

  it('transmission-create', async () => {
    const output = join(dir.path, `${content.root}.transmission.torrent`);
    await transmissionCreate({ path: source, output, pieceLength, trackers: ['http://a.example/announce'], private: true });
    const shown = await transmissionShow(output);
    const metainfo = parseTorrent(await readFile(output));
    expect(metainfo.infoHashV1?.toString('hex')).toBe(shown.hash);
    expect(metainfo.private).toBe(true);
    expect(metainfo.pieceCount).toBe(shown.pieceCount);
    // Transmission 3.00 leaves empty files and dotfiles out of the torrents it creates.
    const kept = expectedFiles(content).filter((file) => file.size > 0 && !file.path.split('/').some((part) => part.startsWith('.')));
    expect(realFiles(metainfo)).toEqual(kept);
  });
});
