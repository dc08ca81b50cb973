import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { CONFORMANCE_PEER_TTL_MS, describeSwarmStore } from '../../testing/swarm-store-conformance';
import { RedisSwarmStore } from '../redis-swarm-store';
import { RedisCommandError, RedisCommandTimeoutError, RedisConnectionError, RespConnection } from './resp-connection';

// The local Redis every test in this repository uses; keys live under a prefix of their own.
const REDIS_URL = 'redis://127.0.0.1:6379';

async function deleteKeys(connection: RespConnection, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = (await connection.send('SCAN', [cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000])) as [Buffer, Buffer[]];
    if (keys.length > 0) await connection.send('DEL', keys);
    cursor = next.toString();
  } while (cursor !== '0');
}

/** Polls until `probe` resolves to true or the deadline passes (reconnection happens on its own time). */
async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolveTick) => setTimeout(resolveTick, 20));
  }
}

describeSwarmStore('RedisSwarmStore over RespConnection', async () => {
  const prefix = `seedfleet-test:resp:${randomBytes(6).toString('hex')}:`;
  const connection = await RespConnection.open(REDIS_URL);
  return {
    store: new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: CONFORMANCE_PEER_TTL_MS }),
    cleanup: async () => {
      await deleteKeys(connection, prefix);
      await connection.close();
    },
  };
});

describe('RespConnection', () => {
  const prefix = `seedfleet-test:resp-connection:${randomBytes(6).toString('hex')}:`;
  let connection: RespConnection;
  beforeEach(async () => (connection = await RespConnection.open(REDIS_URL)));
  afterEach(async () => {
    await deleteKeys(connection, prefix).catch(() => undefined);
    await connection.close();
  });

  it('answers many commands sent at once, each with its own reply, in order', async () => {
    const replies = await Promise.all(Array.from({ length: 500 }, (_, index) => connection.send('INCRBY', [`${prefix}counter`, index])));
    const expected = Array.from({ length: 500 }, (_, index) => (index * (index + 1)) / 2);
    expect(replies).toEqual(expected);
    expect(await connection.send('GET', [`${prefix}counter`])).toEqual(Buffer.from(String(expected.at(-1))));
  });

  it('keeps binary values intact and returns nil and nested arrays', async () => {
    const bytes = Buffer.from([0, 13, 10, 255, 36, 42]);
    await connection.send('RPUSH', [`${prefix}list`, bytes, 'x']);
    expect(await connection.send('LRANGE', [`${prefix}list`, 0, -1])).toEqual([bytes, Buffer.from('x')]);
    expect(await connection.send('GET', [`${prefix}missing`])).toBeNull();
    expect(await connection.send('EVAL', ['return {1, {2, "a"}, ARGV[1]}', 0, 'b'])).toEqual([1, [2, Buffer.from('a')], Buffer.from('b')]);
  });

  it('rejects an error reply with its message and carries on', async () => {
    await expect(connection.send('EVALSHA', ['0'.repeat(40), 0])).rejects.toThrow(new RedisCommandError('NOSCRIPT No matching script. Please use EVAL.'));
    expect(await connection.send('PING', [])).toBe('PONG');
  });

  it('fails commands at once while the connection is down and reconnects by itself', async () => {
    const id = (await connection.send('CLIENT', ['ID'])) as number;
    const admin = await RespConnection.open(REDIS_URL);
    try {
      const inFlight = connection.send('BLPOP', [`${prefix}never`, 5]);
      await admin.send('CLIENT', ['KILL', 'ID', id]);
      await expect(inFlight).rejects.toThrow(RedisConnectionError);
      await expect(connection.send('PING', [])).rejects.toThrow(/reconnecting/);
      await eventually(async () => (await connection.send('PING', [])) === 'PONG');
      expect(await connection.send('CLIENT', ['ID'])).not.toBe(id);
    } finally {
      await admin.close();
    }
  });

  it('selects the database the URL names', async () => {
    const other = await RespConnection.open(`${REDIS_URL}/5`);
    try {
      const info = String(await other.send('CLIENT', ['INFO']));
      expect(info).toMatch(/ db=5 /);
    } finally {
      await other.close();
    }
  });

  it('fails to open on a refused AUTH, a closed port, and a server that is not Redis', async () => {
    await expect(RespConnection.open('redis://:wrong-password@127.0.0.1:6379')).rejects.toThrow(RedisConnectionError);
    const unused = createServer();
    await new Promise<void>((done) => unused.listen(0, '127.0.0.1', done));
    const { port } = unused.address() as { port: number };
    await new Promise((done) => unused.close(done));
    await expect(RespConnection.open(`redis://127.0.0.1:${port}`)).rejects.toThrow(RedisConnectionError);
  });

  it('closes the connection when the server sends garbage', async () => {
    const sockets: Socket[] = [];
    const fake: Server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', () => socket.write('?garbage\r\n'));
    });
    await new Promise<void>((done) => fake.listen(0, '127.0.0.1', done));
    try {
      const { port } = fake.address() as { port: number };
      const victim = await RespConnection.open(`redis://127.0.0.1:${port}`);
      await expect(victim.send('PING', [])).rejects.toThrow(RedisConnectionError);
      await victim.close();
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((done) => fake.close(done));
    }
  });

  // A blocked BLPOP holds up only its own connection, so the shared Redis stays fast for everyone else
  // (DEBUG SLEEP or CLIENT PAUSE would stall every test using it).
  it('fails a command without a reply in time, fails the commands behind it, and resets the connection', async () => {
    const slow = await RespConnection.open(REDIS_URL, { commandTimeoutMs: 200 });
    try {
      await connection.send('SET', [`${prefix}mine`, 'mine']);
      const id = (await slow.send('CLIENT', ['ID'])) as number;
      const sentAt = performance.now();
      const blocked = slow.send('BLPOP', [`${prefix}list`, 5]);
      const behind = slow.send('GET', [`${prefix}mine`]);
      await expect(blocked).rejects.toThrow(RedisCommandTimeoutError);
      const waited = performance.now() - sentAt;
      expect(waited).toBeGreaterThanOrEqual(195);
      expect(waited).toBeLessThan(1500);
      // Issued with it, so it timed out too; above all it must not get the blocked command's reply.
      await expect(behind).rejects.toThrow(RedisConnectionError);
      // The late reply cannot reach a later command: Redis dropped the blocked client with its connection.
      await eventually(async () => (await slow.send('PING', [])) === 'PONG');
      expect(await slow.send('CLIENT', ['ID'])).not.toBe(id);
      await connection.send('RPUSH', [`${prefix}list`, 'late']);
      expect(await slow.send('GET', [`${prefix}mine`])).toEqual(Buffer.from('mine'));
      expect(await connection.send('LRANGE', [`${prefix}list`, 0, -1])).toEqual([Buffer.from('late')]);
    } finally {
      await slow.close();
    }
  });

  it('times each command from when it was issued, not from the oldest timer', async () => {
    const slow = await RespConnection.open(REDIS_URL, { commandTimeoutMs: 400 });
    try {
      // The first command arms the timer; the blocked one is issued 250 ms later and must get its full 400 ms.
      expect(await slow.send('BLPOP', [`${prefix}empty`, 0.25])).toBeNull();
      const sentAt = performance.now();
      await expect(slow.send('BLPOP', [`${prefix}empty`, 5])).rejects.toThrow(RedisCommandTimeoutError);
      expect(performance.now() - sentAt).toBeGreaterThanOrEqual(395);
    } finally {
      await slow.close();
    }
  });

  it('answers a slow command that replies within the timeout', async () => {
    const slow = await RespConnection.open(REDIS_URL, { commandTimeoutMs: 1000 });
    try {
      const blocked = slow.send('BLPOP', [`${prefix}soon`, 5]);
      await connection.send('RPUSH', [`${prefix}soon`, 'value']);
      expect(await blocked).toEqual([Buffer.from(`${prefix}soon`), Buffer.from('value')]);
      expect(await slow.send('PING', [])).toBe('PONG');
    } finally {
      await slow.close();
    }
  });

  it('drops a server that stops answering and connects again', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const { port } = silent.address() as { port: number };
      const victim = await RespConnection.open(`redis://127.0.0.1:${port}`, { commandTimeoutMs: 100, retryDelayMs: { min: 10, max: 10 } });
      const reconnected = once(silent, 'connection');
      await expect(victim.send('PING', [])).rejects.toThrow(RedisCommandTimeoutError);
      await once(sockets[0], 'close');
      await reconnected;
      await victim.close();
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((done) => silent.close(done));
    }
  });

  it('refuses a negative command timeout', async () => {
    await expect(RespConnection.open(REDIS_URL, { commandTimeoutMs: -1 })).rejects.toThrow(RangeError);
  });

  it('refuses commands once closed', async () => {
    const closing = await RespConnection.open(REDIS_URL);
    await closing.close();
    await expect(closing.send('PING', [])).rejects.toThrow(/closed/);
  });
});
