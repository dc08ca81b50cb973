import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir, libtorrentCreate, writeFileTree, type TempDir } from '@seedfleet/testing';
import { contentCases, pieceLength, writeCase } from './fixtures';
import { createOurTorrent, hex } from './our-torrent';

// Same content, same piece length, no optional fields: a v2 or hybrid torrent is fully determined
// (BEP 52 fixes file order and padding), so our info hashes must be libtorrent's, byte for byte.
jest.setTimeout(120_000);

let dir: TempDir;
beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-hashes-');
});
afterAll(() => dir.remove());

async function compare(source: string, label: string, version: 'v2' | 'hybrid', pieces = pieceLength): Promise<void> {
  const reference = await libtorrentCreate({ path: source, output: join(dir.path, `${label}.lt-${version}.torrent`), version, pieceLength: pieces });
  const ours = await createOurTorrent(source, join(dir.path, `${label}.ours-${version}.torrent`), version, pieces);
  expect({ v1: hex(ours.infoHashV1), v2: hex(ours.infoHashV2) }).toEqual({ v1: reference.infoHashV1, v2: reference.infoHashV2 });
}

describe.each(contentCases)('info hashes equal libtorrent for: $name', (content) => {
  let source: string;
  beforeAll(async () => {
    source = await writeCase(join(dir.path, content.root.replace(/\W/g, '_')), content);
  });

  it.each(['v2', 'hybrid'] as const)('%s', (version) => compare(source, content.root, version));

  it('hybrid with 16 KiB pieces (the smallest BEP 52 allows)', () => compare(source, `${content.root}-16k`, 'hybrid', 16 * 1024));
});

describe('info hashes equal libtorrent for an executable file (BEP 47 attr x)', () => {
  it.each(['v2', 'hybrid'] as const)('%s', async (version) => {
    const source = join(dir.path, `exec-${version}`);
    await writeFileTree(source, [
      { path: 'bin/tool', size: 100_000 },
      { path: 'lib/data', size: 5000 },
    ]);
    await chmod(join(source, 'bin', 'tool'), 0o755);
    await compare(source, `exec-${version}`, version);
  });
});
