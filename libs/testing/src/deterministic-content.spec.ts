import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { deterministicBytes, writeDeterministicFile, writeFileTree } from './deterministic-content';
import { withTempDir } from './temp-dir';

describe('deterministic content', () => {
  it('gives the same bytes for the same seed and different bytes for another', () => {
    expect(deterministicBytes(1000, 'a')).toEqual(deterministicBytes(1000, 'a'));
    expect(deterministicBytes(1000, 'a')).not.toEqual(deterministicBytes(1000, 'b'));
    expect(deterministicBytes(64, 'a')).toEqual(deterministicBytes(1000, 'a').subarray(0, 64));
  });

  it('writes files whose bytes are the in-memory stream, across chunk boundaries', async () => {
    await withTempDir(async (dir) => {
      const size = 1024 * 1024 + 17;
      await writeDeterministicFile(join(dir, 'sub', 'f'), size, 'seed');
      // Buffer.equals, not toEqual: jest compares a 1 MiB buffer element by element for seconds.
      expect((await readFile(join(dir, 'sub', 'f'))).equals(deterministicBytes(size, 'seed'))).toBe(true);
    });
  });

  it('writes a tree with modes, seeding each file by its path by default', async () => {
    await withTempDir(async (dir) => {
      await writeFileTree(dir, [
        { path: 'a/b.bin', size: 10 },
        { path: 'run.sh', size: 3, mode: 0o755 },
        { path: 'empty', size: 0 },
      ]);
      expect(await readFile(join(dir, 'a', 'b.bin'))).toEqual(deterministicBytes(10, 'a/b.bin'));
      expect((await stat(join(dir, 'run.sh'))).mode & 0o777).toBe(0o755);
      expect((await stat(join(dir, 'empty'))).size).toBe(0);
    });
  });
});
