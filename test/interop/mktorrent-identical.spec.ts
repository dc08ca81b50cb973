import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, mktorrent, writeFileTree, type TempDir } from '@seedfleet/testing';
import { createOurTorrent } from './our-torrent';

// A single-file v1 info dict without optional fields has one canonical encoding: ours must be mktorrent's.
jest.setTimeout(60_000);

let dir: TempDir;
beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-mktorrent-');
});
afterAll(() => dir.remove());

it.each([
  ['a partial last piece', 1_000_003, 32 * 1024],
  ['whole pieces only', 8 * 256 * 1024, 256 * 1024],
  ['less than one piece', 1000, 1024 * 1024],
])('single file with %s: info dict byte-identical to mktorrent', async (_label, size, pieceLength) => {
  const source = join(dir.path, `file-${size}.bin`);
  await writeFileTree(dir.path, [{ path: `file-${size}.bin`, size }]);
  const theirsPath = join(dir.path, `${size}.mktorrent.torrent`);
  await mktorrent({ path: source, output: theirsPath, pieceLength, date: false });
  const ours = await createOurTorrent(source, join(dir.path, `${size}.ours.torrent`), 'v1', pieceLength);
  const theirs = parseTorrent(await readFile(theirsPath));
  expect(ours.infoRaw.toString('latin1')).toBe(theirs.infoRaw.toString('latin1'));
});
