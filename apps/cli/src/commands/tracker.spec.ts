import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, type BDict } from '@seedfleet/bencode';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../../../publisher/src/tracker/ioredis-port';
import { run } from '../run';
import { captureIo, type CapturedIo } from '../test-support/capture-io';
import { parseAllowList, trackerCommand } from './tracker';

const REDIS_URL = 'redis://127.0.0.1:6379';
const commands = [trackerCommand];

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolveTick) => setTimeout(resolveTick, 20));
  }
}

function announceUrl(base: string, infoHash: Buffer): string {
  const escape = (bytes: Buffer) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  return `${base}?info_hash=${escape(infoHash)}&peer_id=${escape(Buffer.alloc(20, 1))}&port=6881&uploaded=0&downloaded=0&left=5&compact=1`;
}

describe('seedfleet tracker', () => {
  let dir: string;
  let redis: Redis;
  const prefix = `seedfleet-test:cli-tracker:${randomBytes(6).toString('hex')}:`;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedfleet-cli-tracker-'));
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(extra: string[]): Promise<{ io: CapturedIo; controller: AbortController; exit: Promise<number>; urls: Record<string, string> }> {
    const controller = new AbortController();
    const io = captureIo({ signal: controller.signal, cwd: dir });
    const exit = run(['tracker', '--host', '127.0.0.1', '--port', '0', '--udp-port', '0', '--redis', REDIS_URL, '--key-prefix', prefix, ...extra], io, commands);
    let finished = false;
    void exit.finally(() => (finished = true));
    await waitFor(() => finished || io.out().includes('udp '));
    if (finished) throw new Error(`tracker exited early: ${io.err()}`);
    const urls = Object.fromEntries([...io.out().matchAll(/^ {2}(\w+) +(\S+)$/gm)].map((match) => [match[1], match[2]]));
    return { io, controller, exit, urls };
  }

  it('prints its URLs, answers announces, and stops on abort with exit code 0', async () => {
    const { io, controller, exit, urls } = await start(['--open']);
    expect(io.out()).toMatch(/open; Redis redis:\/\/127\.0\.0\.1:6379; key prefix /);
    expect(urls.announce).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/announce$/);
    expect(urls.scrape).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scrape$/);
    expect(urls.udp).toMatch(/^udp:\/\/127\.0\.0\.1:\d+\/announce$/);
    const response = await fetch(announceUrl(urls.announce, Buffer.alloc(20, 9)));
    expect(response.status).toBe(200);
    const body = decode(Buffer.from(await response.arrayBuffer())).value as BDict;
    expect(body.get('incomplete')).toBe(1);
    controller.abort();
    expect(await exit).toBe(0);
    await expect(fetch(urls.announce)).rejects.toThrow();
  });

  it('serves only allow-listed info hashes with --allow', async () => {
    const listed = Buffer.alloc(20, 3);
    await writeFile(join(dir, 'allow.txt'), `# mirrors\n${listed.toString('hex').toUpperCase()}\n\n`);
    const { controller, exit, urls, io } = await start(['--allow', 'allow.txt']);
    expect(io.out()).toContain('allow list of 1');
    const refused = decode(Buffer.from(await (await fetch(announceUrl(urls.announce, Buffer.alloc(20, 4)))).arrayBuffer())).value as BDict;
    expect(String(refused.get('failure reason'))).toMatch(/allow list/);
    const accepted = decode(Buffer.from(await (await fetch(announceUrl(urls.announce, listed))).arrayBuffer())).value as BDict;
    expect(accepted.get('failure reason')).toBeUndefined();
    controller.abort();
    expect(await exit).toBe(0);
  });

  it('needs --open or --allow, not both', async () => {
    const io = captureIo();
    expect(await run(['tracker', '--port', '0'], io, commands)).toBe(2);
    expect(io.err()).toMatch(/choose --open .* or --allow FILE/);
    expect(await run(['tracker', '--open', '--allow', 'x'], captureIo(), commands)).toBe(2);
  });

  it.each([
    [['--redis', 'localhost:6379'], /expected a redis:\/\/ or rediss:\/\/ URL/],
    [['--trusted-proxy', 'lb.internal'], /not an IP address/],
    [['--interval', '0'], /intervalSeconds must be a positive integer/],
  ])('refuses bad option values: %j', async (extra, message) => {
    const io = captureIo();
    expect(await run(['tracker', '--open', ...extra], io, commands)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('reports an unreadable allow list and a Redis that does not answer', async () => {
    const missing = captureIo({ cwd: dir });
    expect(await run(['tracker', '--allow', 'nope.txt'], missing, commands)).toBe(1);
    expect(missing.err()).toMatch(/cannot read 'nope.txt': no such file or directory/);
    const noRedis = captureIo({ cwd: dir });
    expect(await run(['tracker', '--open', '--port', '0', '--redis', 'redis://127.0.0.1:1'], noRedis, commands)).toBe(1);
    expect(noRedis.err()).toMatch(/does not answer/);
  });
});

describe('parseAllowList', () => {
  it('reads v1 and v2 hashes, comments and blank lines', () => {
    const v2 = 'ab'.repeat(32);
    expect([...parseAllowList(`${'CD'.repeat(20)} # one\n\n${v2}\r\n`, 'f')]).toEqual(['cd'.repeat(20), 'ab'.repeat(20)]);
  });

  it('names the bad line', () => {
    expect(() => parseAllowList('# ok\nnot-a-hash\n', 'allow.txt')).toThrow("allow.txt:2: 'not-a-hash' is not a hex info hash (40 or 64 digits)");
  });
});
