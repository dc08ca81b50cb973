import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { CliError } from '../cli-error';
import { collectFiles, sha256File } from './publish-files';

let dir: TempDir;
beforeEach(async () => {
  dir = await createTempDir('sf-publish-files-');
});
afterEach(() => dir.remove());

async function tree(files: Record<string, string>): Promise<string> {
  const root = join(dir.path, 'release');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('collectFiles', () => {
  it('lists a directory recursively with /-separated relative paths in byte order', async () => {
    const root = await tree({ 'b.txt': 'b', 'a/z.bin': 'zz', 'a/b/c.txt': 'ccc', 'B.txt': 'B' });
    expect((await collectFiles(root)).map(({ path, size }) => ({ path, size }))).toEqual([
      { path: 'B.txt', size: 1 },
      { path: 'a/b/c.txt', size: 3 },
      { path: 'a/z.bin', size: 2 },
      { path: 'b.txt', size: 1 },
    ]);
  });

  it('names a single file by its base name', async () => {
    const root = await tree({ 'app.iso': 'data' });
    expect(await collectFiles(join(root, 'app.iso'))).toEqual([{ path: 'app.iso', absolute: join(root, 'app.iso'), size: 4 }]);
  });

  it('follows symbolic links to files and directories, and refuses a loop', async () => {
    const root = await tree({ 'real/x.txt': 'x' });
    await symlink(join(root, 'real', 'x.txt'), join(root, 'link.txt'));
    await symlink(join(root, 'real'), join(root, 'alias'));
    expect((await collectFiles(root)).map((file) => file.path)).toEqual(['alias/x.txt', 'link.txt', 'real/x.txt']);
    await symlink(root, join(root, 'real', 'up'));
    await expect(collectFiles(root)).rejects.toThrow(/symbolic link loop/);
  });

  it.each([
    [{ 'a.txt': 'a', 'empty.bin': '' }, /empty files cannot be published \(a release file must have content\): empty.bin/],
    [{ 'we\\ird.txt': 'x' }, /file names with a backslash, a control character or a leading drive letter cannot be published: "we\\\\ird.txt"/],
    [{ 'tab\there.txt': 'x', 'C:evil': 'y' }, /cannot be published: "C:evil", "tab\\there.txt"/],
    [{}, /holds no files to publish/],
  ])('refuses %j up front', async (files, message) => {
    const root = await tree(files);
    await mkdir(root, { recursive: true });
    const failure = await collectFiles(root).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as Error).message).toMatch(message);
  });

  it('says when the path does not exist', async () => {
    await expect(collectFiles(join(dir.path, 'missing'))).rejects.toThrow(`cannot read '${join(dir.path, 'missing')}': no such file or directory`);
  });
});

it('sha256File hashes a file by streaming it', async () => {
  const root = await tree({ 'f.bin': 'hello' });
  expect(await sha256File(join(root, 'f.bin'))).toBe(createHash('sha256').update('hello').digest('hex'));
});
