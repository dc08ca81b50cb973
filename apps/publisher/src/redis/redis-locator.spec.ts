import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateRedis, RedisUnavailableError } from './redis-locator';
import { redisAnswers } from './redis-ping';

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('locateRedis', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'seedfleet-redis-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses REDIS_URL when it answers', async () => {
    const found = await locateRedis({ redisUrl: 'redis://127.0.0.1:6379/5', dataDir });
    expect(found).toMatchObject({ url: 'redis://127.0.0.1:6379/5', source: 'REDIS_URL' });
  });

  it('refuses a REDIS_URL that does not answer, hiding the password', async () => {
    const port = await unusedPort();
    const attempt = locateRedis({ redisUrl: `redis://:secret@127.0.0.1:${port}`, dataDir });
    await expect(attempt).rejects.toThrow(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/\*\*\*/);
    await expect(attempt).rejects.not.toThrow(/secret/);
  });

  it('finds the local Redis on the conventional port', async () => {
    const found = await locateRedis({ dataDir });
    expect(found).toMatchObject({ url: 'redis://127.0.0.1:6379', source: 'local' });
  });

  it('starts its own redis-server when none answers, and stops it', async () => {
    const found = await locateRedis({ dataDir, localPort: await unusedPort() });
    expect(found.source).toBe('embedded');
    const port = Number(new URL(found.url).port);
    expect(await redisAnswers('127.0.0.1', port)).toBe(true);
    await found.stop();
    expect(await redisAnswers('127.0.0.1', port)).toBe(false);
  });

  it('explains how to get Redis when there is none and no redis-server binary', async () => {
    const attempt = locateRedis({ dataDir, localPort: await unusedPort(), redisServerBinary: join(dataDir, 'no-such-redis-server') });
    await expect(attempt).rejects.toThrow(/set REDIS_URL.*apt-get install redis-server/);
  });
});
