import { mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { DirectoryMetadataStore, generateEd25519Signer, loadSignerFromEnv, TufRepository } from '@seedfleet/trust';
import { run } from '../run';
import { captureIo } from '../test-support/capture-io';
import { commands } from './registry';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seedfleet-cli-keys-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await run(argv, io, commands);
  return { code, out: io.out(), err: io.err() };
}

async function root(path: string) {
  return Metadata.fromJSON(MetadataKind.Root, JSON.parse(await readFile(path, 'utf8')));
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('seedfleet keys init', () => {
  it('writes 0600 key files and a signed repository, and reports them as JSON', async () => {
    const { code, out, err } = await cli('keys', 'init', '--dir', 'keys', '--threshold', '2', '--root-keys', '3', '--json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const keysDir = join(dir, 'keys');
    expect(await readdir(keysDir)).toEqual(['metadata', 'root-1.pem', 'root-2.pem', 'root-3.pem', 'snapshot.pem', 'targets.pem', 'timestamp.pem']);
    for (const name of ['root-1.pem', 'root-2.pem', 'root-3.pem', 'snapshot.pem', 'targets.pem', 'timestamp.pem']) expect(await mode(join(keysDir, name))).toBe(0o600);
    expect(await mode(keysDir)).toBe(0o700);
    expect(await readdir(join(keysDir, 'metadata'))).toEqual(['1.root.json', '1.snapshot.json', '1.targets.json', 'root.json', 'timestamp.json']);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ keysDir, metadataDir: join(keysDir, 'metadata'), root: { version: 1, expires: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) } });
    expect(report.roles.root.threshold).toBe(2);
    expect(report.roles.root.keys.map((key: { file: string }) => key.file)).toEqual([1, 2, 3].map((index) => join(keysDir, `root-${index}.pem`)));
    expect(report.roles.timestamp.keys).toEqual([{ keyId: expect.stringMatching(/^[0-9a-f]{64}$/), file: join(keysDir, 'timestamp.pem') }]);
    const v1 = await root(join(keysDir, 'metadata', 'root.json'));
    v1.verifyDelegate('root', v1);
    expect(v1.signed.roles.root).toMatchObject({ threshold: 2, keyIDs: report.roles.root.keys.map((key: { keyId: string }) => key.keyId) });
  });

  it('prints a readable summary, and refuses to run twice or overwrite keys', async () => {
    const first = await cli('keys', 'init', '--dir', 'keys', '--metadata', 'repo');
    expect(first.code).toBe(0);
    expect(first.out).toContain(`wrote 1 root key(s) (threshold 1) and the targets, snapshot and timestamp keys to ${join(dir, 'keys')}\n`);
    expect(first.out).toContain(`agents ship ${join(dir, 'repo', 'root.json')} as their trusted root`);
    const pem = await readFile(join(dir, 'keys', 'root-1.pem'), 'utf8');
    expect(await cli('keys', 'init', '--dir', 'keys', '--metadata', 'repo')).toEqual({ code: 1, out: '', err: `seedfleet: error: '${join(dir, 'repo')}' already holds root metadata; use 'seedfleet keys rotate-root' to change root keys\n` });
    expect(await cli('keys', 'init', '--dir', 'keys', '--metadata', 'other')).toEqual({ code: 1, out: '', err: `seedfleet: error: '${join(dir, 'keys')}' already has root-1.pem, targets.pem, snapshot.pem, timestamp.pem; refusing to overwrite keys\n` });
    expect(await readFile(join(dir, 'keys', 'root-1.pem'), 'utf8')).toBe(pem);
  });

  it.each([
    [['keys', 'init'], '--dir DIR is required'],
    [['keys', 'init', '--dir', 'k', '--threshold', '3', '--root-keys', '2'], '--threshold 3 is more than the 2 root key(s)'],
    [['keys', 'init', '--dir', 'k', '--threshold', '0'], "'0' is not a threshold from 1 to 16"],
    [['keys', 'rotate-root', '--dir', 'k'], '--metadata DIR is required'],
  ])('exits 2 on usage errors: %j', async (argv, message) => {
    const { code, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe('seedfleet keys rotate-root', () => {
  it('signs root v2 with the old and newly generated root keys, which v1 and v2 both accept', async () => {
    expect((await cli('keys', 'init', '--dir', 'keys', '--threshold', '2', '--root-keys', '2')).code).toBe(0);
    const { code, out, err } = await cli('keys', 'rotate-root', '--dir', 'keys', '--metadata', 'keys/metadata', '--json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const report = JSON.parse(out);
    const metadataDir = join(dir, 'keys', 'metadata');
    expect(report).toMatchObject({ version: 2, file: join(metadataDir, '2.root.json'), newKeyFiles: [join(dir, 'keys', 'root-3.pem'), join(dir, 'keys', 'root-4.pem')], root: { threshold: 2 } });
    expect(report.signedBy).toHaveLength(4);
    expect(await mode(join(dir, 'keys', 'root-3.pem'))).toBe(0o600);
    const [v1, v2] = [await root(join(metadataDir, '1.root.json')), await root(join(metadataDir, '2.root.json'))];
    v1.verifyDelegate('root', v2);
    v2.verifyDelegate('root', v2);
    expect(v2.signed.roles.root.keyIDs).toEqual(report.root.keyIds);
    expect(v2.signed.roles.timestamp).toEqual(v1.signed.roles.timestamp);
    expect(await readFile(join(metadataDir, 'root.json'), 'utf8')).toBe(await readFile(join(metadataDir, '2.root.json'), 'utf8'));

    // The publisher keeps working on the rotated repository with its online keys from the environment.
    const env = Object.fromEntries(await Promise.all(['targets', 'snapshot', 'timestamp'].map(async (role) => [role, Buffer.from(await readFile(join(dir, 'keys', `${role}.pem`))).toString('base64')])));
    const signer = (role: string) => [loadSignerFromEnv(env, role)!];
    const repository = await TufRepository.open({ store: new DirectoryMetadataStore(metadataDir), signers: { targets: signer('targets'), snapshot: signer('snapshot'), timestamp: signer('timestamp') } });
    expect(await repository.addTargets([{ name: 'a.txt', bytes: Buffer.from('a') }])).toMatchObject({ root: { version: 2 }, targets: { version: 2 } });

    // Rotating again uses the new keys (root-3, root-4) as the old ones.
    const third = await cli('keys', 'rotate-root', '--dir', 'keys', '--metadata', 'keys/metadata');
    expect(third.code).toBe(0);
    expect(third.out).toContain(`wrote root v3 to ${join(metadataDir, '3.root.json')}`);
  });

  it('takes the new root key from --new-root-key and lowers the threshold to fit', async () => {
    expect((await cli('keys', 'init', '--dir', 'keys', '--threshold', '2', '--root-keys', '2')).code).toBe(0);
    const offline = generateEd25519Signer();
    await writeFile(join(dir, 'hsm-root.pem'), offline.toPem(), { mode: 0o600 });
    const { code, out } = await cli('keys', 'rotate-root', '--dir', 'keys', '--metadata', 'keys/metadata', '--new-root-key', 'hsm-root.pem', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ root: { threshold: 1, keyIds: [offline.publicKey.keyId] }, newKeyFiles: [] });
    expect((await cli('keys', 'rotate-root', '--dir', 'keys', '--metadata', 'keys/metadata', '--new-root-key', 'hsm-root.pem', '--threshold', '2')).code).toBe(2);
  });

  it('fails clearly without enough old root keys, without metadata, or with a bad key file', async () => {
    expect((await cli('keys', 'init', '--dir', 'keys', '--threshold', '2', '--root-keys', '2')).code).toBe(0);
    await unlink(join(dir, 'keys', 'root-2.pem'));
    expect(await cli('keys', 'rotate-root', '--dir', 'keys', '--metadata', 'keys/metadata')).toEqual({ code: 1, out: '', err: `seedfleet: error: root v1 needs 2 of its root keys to sign; found 1 in '${join(dir, 'keys')}'\n` });
    expect(await readdir(join(dir, 'keys', 'metadata'))).not.toContain('2.root.json');
    expect((await cli('keys', 'rotate-root', '--dir', 'keys', '--metadata', 'empty')).err).toBe(`seedfleet: error: '${join(dir, 'empty')}' holds no root metadata (root.json or 1.root.json)\n`);
    await writeFile(join(dir, 'junk.pem'), 'junk');
    const bad = await cli('keys', 'rotate-root', '--dir', 'keys', '--metadata', 'keys/metadata', '--new-root-key', 'junk.pem');
    expect(bad.code).toBe(1);
  });
});
