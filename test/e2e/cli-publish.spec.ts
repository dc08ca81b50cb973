import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTorrent } from '@seedfleet/metainfo';
import { FS_INCOMING_DIR } from '@seedfleet/storage';
import { createTempDir, deterministicBytes, freePort, type TempDir, waitFor, writeFileTree } from '@seedfleet/testing';
import { commands } from '../../apps/cli/src/commands/registry';
import type { CliIo } from '../../apps/cli/src/io';
import { run } from '../../apps/cli/src/run';
import { ADMIN_TOKEN, startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(120_000);

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface Outcome {
  code: number;
  out: string;
  err: string;
}

/** An in-process CLI run against the publisher; `onStderr` sees every stderr write (e.g. to interrupt). */
async function cli(argv: string[], options: { cwd: string; env: Record<string, string>; tty?: boolean; onStderr?: (text: string, abort: () => void) => void; steppingClock?: boolean }): Promise<Outcome> {
  const controller = new AbortController();
  let tick = 0;
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty ?? false },
    stderr: {
      write: (text: string) => {
        err += text;
        options.onStderr?.(text, () => controller.abort(new Error('interrupted')));
      },
      isTTY: options.tty ?? false,
      columns: 120,
    },
    cwd: options.cwd,
    env: options.env,
    // A clock a second ahead on every reading makes the progress line redraw on every chunk.
    now: options.steppingClock ? () => (tick += 1000) : () => performance.now(),
    signal: controller.signal,
  };
  const code = await run(argv, io, commands);
  return { code, out, err };
}

describe('seedfleet publish / releases against a publisher (real Redis, fs storage)', () => {
  let publisher: PublisherUnderTest;
  let dir: TempDir;
  let env: Record<string, string>;
  const seedfleet = (argv: string[], extra: { tty?: boolean; env?: Record<string, string>; onStderr?: (text: string, abort: () => void) => void; steppingClock?: boolean } = {}) =>
    cli(argv, { cwd: dir.path, env: extra.env ?? env, ...extra });

  beforeAll(async () => {
    dir = await createTempDir('sf-cli-publish-');
    publisher = await startPublisher();
    env = { SEEDFLEET_SERVER: publisher.base, SEEDFLEET_TOKEN: ADMIN_TOKEN };
    await writeFileTree(dir.path, [
      { path: 'app/bin/app', size: 200_000 },
      { path: 'app/lib/libx.so', size: 70_001 },
      { path: 'app/README', size: 321 },
      { path: 'single.iso', size: 50_000 },
    ]);
  });

  afterAll(async () => {
    await publisher?.close();
    await dir?.remove();
  });

  it('publishes a directory (--create-product, --json): the torrent from torrentUrl has the printed info hashes', async () => {
    const result = await seedfleet(['publish', 'app', '--product', 'cli-app', '--version', '1.0.0', '--channel', 'beta', '--create-product', '--json']);
    expect(result.code).toBe(0);
    expect(result.err).toBe('created product cli-app (channels stable, beta)\n');
    const published = JSON.parse(result.out) as Record<string, unknown>;
    expect(published).toMatchObject({ product: 'cli-app', version: '1.0.0', channel: 'beta', public: false, status: 'ready', resumed: false, totalSize: 270_322 });
    for (const key of ['releaseId', 'infoHashV1', 'infoHashV2', 'magnet', 'torrentUrl', 'manifestUrl']) expect(typeof published[key]).toBe('string');
    const files = published.files as Array<{ path: string; size: number; sha256: string }>;
    expect(files.map((file) => file.path)).toEqual(['README', 'bin/app', 'lib/libx.so']);
    for (const file of files) expect(file.sha256).toBe(sha256(deterministicOf(file.path)));

    const torrent = Buffer.from(await (await fetch(published.torrentUrl as string)).arrayBuffer());
    const metainfo = parseTorrent(torrent);
    expect(metainfo.infoHashV1?.toString('hex')).toBe(published.infoHashV1);
    expect(metainfo.infoHashV2?.toString('hex')).toBe(published.infoHashV2);
    expect(metainfo.private).toBe(true);
    expect(published.magnet).toContain(`urn:btih:${published.infoHashV1}`);
    const manifest = (await (await fetch(published.manifestUrl as string)).json()) as Record<string, unknown>;
    expect(manifest).toMatchObject({ product: 'cli-app', version: '1.0.0', infoHashV1: published.infoHashV1, infoHashV2: published.infoHashV2 });
  });

  it('publishes a single file as a public release and prints a summary', async () => {
    const result = await seedfleet(['publish', 'single.iso', '--product', 'cli-app', '--version', '1.1.0', '--public']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const [release] = (await publisher.api('GET', '/api/releases?product=cli-app')).json.items as Array<Record<string, string>>;
    expect(release.version).toBe('1.1.0');
    expect(result.out).toContain(`published cli-app 1.1.0: release ${release.id}, 1 file(s), 48.83 KiB\n`);
    expect(result.out).toContain(`  info hash v1 ${release.infoHashV1}\n`);
    expect(result.out).toContain(`  info hash v2 ${release.infoHashV2}\n`);
    expect(result.out).toContain(`  torrent      ${publisher.base}/api/releases/${release.id}/torrent\n`);
    expect(result.out).toContain('  magnet       magnet:?');
    expect(parseTorrent(Buffer.from(await (await fetch(release.torrentUrl)).arrayBuffer())).private).toBe(false);
  });

  it('publishes names with spaces and non-ASCII characters (percent-encoded on the wire)', async () => {
    await writeFileTree(dir.path, [
      { path: 'odd/read me.txt', size: 100 },
      { path: 'odd/données/ü#1?.bin', size: 2000 },
    ]);
    const result = await seedfleet(['publish', 'odd', '--product', 'cli-app', '--version', '1.2.0', '--json']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const published = JSON.parse(result.out) as { files: Array<{ path: string; size: number }> };
    expect(published.files.map(({ path, size }) => ({ path, size }))).toEqual([
      { path: 'données/ü#1?.bin', size: 2000 },
      { path: 'read me.txt', size: 100 },
    ]);
  });

  it('refuses an unknown product without --create-product and an existing version, with the reason', async () => {
    const unknown = await seedfleet(['publish', 'app', '--product', 'nope', '--version', '1.0.0']);
    expect(unknown).toEqual({ code: 1, out: '', err: `seedfleet: error: product nope does not exist on ${publisher.base}; pass --create-product to create it\n` });
    const duplicate = await seedfleet(['publish', 'app', '--product', 'cli-app', '--version', '1.0.0']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toMatch(/^seedfleet: error: product cli-app already has version 1\.0\.0 \(release rel_\w+\); versions are immutable, publish a new one \(HTTP 409 from http:\/\/127\.0\.0\.1:\d+\)\n$/);
  });

  it('lists, shows and retires releases', async () => {
    const listed = await seedfleet(['releases', 'list', '--product', 'cli-app', '--json']);
    expect(listed.code).toBe(0);
    const items = (JSON.parse(listed.out) as { items: Array<{ id: string; version: string; status: string }> }).items;
    expect(items.map((item) => item.version)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    const [, newest, oldest] = items;

    const table = await seedfleet(['releases', 'list', '--product', 'cli-app'], { tty: true });
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+PRODUCT\s+VERSION\s+CHANNEL\s+STATUS\s+CREATED$/);
    expect(lines[2]).toMatch(new RegExp(`^${newest.id}\\s+cli-app\\s+1\\.1\\.0\\s+stable\\s+ready\\s+\\d{4}-`));
    const plain = await seedfleet(['releases', 'list', '--channel', 'beta']);
    expect(plain.out.split('\t').slice(0, 5)).toEqual([oldest.id, 'cli-app', '1.0.0', 'beta', 'ready']);
    expect((await seedfleet(['releases', 'list', '--status', 'retired'])).out).toBe('');

    const shown = await seedfleet(['releases', 'show', oldest.id, '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id: oldest.id, releaseId: oldest.id, status: 'ready', channel: 'beta', totalSize: 270_322 });
    const text = await seedfleet(['releases', 'show', oldest.id]);
    expect(text.out).toContain(`  status       ready\n`);
    expect(text.out).toContain(`${sha256(deterministicOf('bin/app'))}        200000  bin/app\n`);

    const retired = await seedfleet(['releases', 'retire', oldest.id, '--json']);
    expect(retired.code).toBe(0);
    expect(JSON.parse(retired.out)).toMatchObject({ id: oldest.id, status: 'retired' });
    expect(await seedfleet(['releases', 'retire', oldest.id])).toEqual({ code: 0, out: `retired release ${oldest.id} (cli-app 1.0.0, channel beta)\n`, err: '' });
    expect((await seedfleet(['releases', 'list', '--status', 'retired'])).out.startsWith(`${oldest.id}\t`)).toBe(true);
  });

  it('shows the server message for a wrong token and an unknown release (exit 1)', async () => {
    const wrong = await seedfleet(['releases', 'list'], { env: { ...env, SEEDFLEET_TOKEN: 'not-the-token-at-all' } });
    expect(wrong).toEqual({ code: 1, out: '', err: `seedfleet: error: invalid admin token (HTTP 401 from ${publisher.base})\n` });
    const viaOption = await seedfleet(['publish', 'app', '--product', 'cli-app', '--version', '9.9.9', '--token', 'wrong-token-value'], { env: { SEEDFLEET_SERVER: publisher.base } });
    expect(viaOption.err).toBe(`seedfleet: error: invalid admin token (HTTP 401 from ${publisher.base})\n`);
    const missing = await seedfleet(['releases', 'show', 'rel_0000000000000000000000000a']);
    expect(missing).toEqual({ code: 1, out: '', err: `seedfleet: error: release "rel_0000000000000000000000000a" does not exist (HTTP 404 from ${publisher.base})\n` });
  });

  it('says clearly when no publisher answers', async () => {
    const port = await freePort();
    const result = await seedfleet(['releases', 'list', '--server', `http://127.0.0.1:${port}`]);
    expect(result).toEqual({ code: 1, out: '', err: `seedfleet: error: cannot reach the publisher at http://127.0.0.1:${port}: connection refused (is the publisher running there?) (set --server or SEEDFLEET_SERVER)\n` });
    const notPublisher = await seedfleet(['releases', 'list', '--server', `${publisher.base}/nothing-here`]);
    expect(notPublisher.code).toBe(1);
    expect(notPublisher.err).toContain('(HTTP 404 from');
  });

  it.each([
    [['publish', 'app', '--version', '1.0.0'], '--product NAME is required'],
    [['publish', 'app', '--product', 'Bad Name', '--version', '1'], "'Bad Name' is not a valid product name"],
    [['releases', 'show', 'nope'], "'nope' is not a release id"],
    [['releases', 'list', '--status', 'done'], "'done' is not a release status"],
    [['releases', 'list', '--server', 'ftp://x'], 'expected an http or https URL'],
  ])('usage errors exit 2: %j', async (argv, message) => {
    const result = await seedfleet(argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('needs a server and a token', async () => {
    expect((await seedfleet(['releases', 'list'], { env: {} })).err).toContain('no publisher given: pass --server URL or set SEEDFLEET_SERVER');
    expect((await seedfleet(['releases', 'list'], { env: { SEEDFLEET_SERVER: publisher.base } })).err).toContain('no admin token given');
  });

  it('Ctrl-C during the upload exits 130 leaving nothing half-written; the same command resumes', async () => {
    await writeFileTree(dir.path, [
      { path: 'big/a.txt', size: 1000 },
      { path: 'big/data.bin', size: 6 * 1024 * 1024 },
    ]);
    const argv = ['publish', 'big', '--product', 'cli-app', '--version', '2.0.0'];
    let interrupted = false;
    const stopped = await seedfleet(argv, {
      tty: true,
      steppingClock: true,
      onStderr: (text, abort) => {
        // The first redraw past a.txt (1000 bytes, uploaded whole) is inside data.bin.
        if (!interrupted && text.includes('uploading') && !text.includes(' 1000 B / ')) {
          interrupted = true;
          abort();
        }
      },
    });
    expect(stopped.code).toBe(130);
    expect(stopped.err).toMatch(/interrupted while uploading .*; release rel_\w+ is still open for uploads: run the same command again to resume\n$/);
    const [open] = (await publisher.api('GET', '/api/releases?product=cli-app&status=uploading')).json.items as Array<{ id: string; files: unknown[] }>;
    expect(open.files).toEqual([{ path: 'a.txt', size: 1000, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    // The publisher notices the reset connection on its own schedule.
    await waitFor('no partial upload left', async () => ((await readdir(join(publisher.config.dataDir, 'objects', FS_INCOMING_DIR)).catch(() => [])).length === 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 50 });

    const resumed = await seedfleet(argv);
    expect(resumed).toMatchObject({ code: 0, err: '' });
    expect(resumed.out).toContain(`published cli-app 2.0.0: resumed release ${open.id} (1 file(s) already uploaded), 2 file(s), 6.00 MiB\n`);
    const again = await seedfleet(['releases', 'show', open.id, '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ status: 'ready', totalSize: 6 * 1024 * 1024 + 1000 });
  });
});

/** writeFileTree's content for a path below app/ (deterministicBytes keyed by the tree path). */
function deterministicOf(path: string): Buffer {
  const sizes: Record<string, number> = { 'bin/app': 200_000, 'lib/libx.so': 70_001, README: 321 };
  return deterministicBytes(sizes[path], `app/${path}`);
}

describe('seedfleet publish waiting for a build nobody runs (BUILD_WORKER=off)', () => {
  let publisher: PublisherUnderTest;
  let dir: TempDir;

  beforeAll(async () => {
    dir = await createTempDir('sf-cli-queued-');
    publisher = await startPublisher({ BUILD_WORKER: 'off', ORIGIN_SEEDER: 'off' });
    await writeFileTree(dir.path, [{ path: 'pkg/app.bin', size: 10_000 }]);
  });

  afterAll(async () => {
    await publisher?.close();
    await dir?.remove();
  });

  it('says the release is queued without a worker; Ctrl-C stops waiting (130), --no-wait returns at once', async () => {
    const env = { SEEDFLEET_SERVER: publisher.base, SEEDFLEET_TOKEN: ADMIN_TOKEN };
    const waiting = await cli(['publish', 'pkg', '--product', 'idle-app', '--version', '1', '--create-product'], {
      cwd: dir.path,
      env,
      onStderr: (text, abort) => {
        if (text.includes('no build worker has taken it yet')) abort();
      },
    });
    expect(waiting.code).toBe(130);
    expect(waiting.err).toMatch(/release (rel_\w+) is queued and no build worker has taken it yet \(publishers with BUILD_WORKER=off need worker processes\); still waiting, Ctrl-C stops waiting\n/);
    expect(waiting.err).toMatch(/seedfleet: error: interrupted while waiting; the build of release rel_\w+ goes on \(see 'seedfleet releases show rel_\w+'\)\n$/);

    const queued = await cli(['publish', 'pkg', '--product', 'idle-app', '--version', '2', '--no-wait', '--json'], { cwd: dir.path, env });
    expect(queued.code).toBe(0);
    expect(JSON.parse(queued.out)).toMatchObject({ version: '2', status: 'queued', infoHashV1: null, infoHashV2: null, magnet: null, resumed: false });
  });
});
