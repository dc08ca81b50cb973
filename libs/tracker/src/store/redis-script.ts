import { createHash } from 'node:crypto';
import type { RedisPort } from './redis-port';

/**
 * A Lua script run with EVALSHA: one round trip once Redis has cached it. After a Redis restart or
 * SCRIPT FLUSH the first call gets NOSCRIPT, loads the script and retries.
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisPort, keys: readonly (string | Buffer)[], args: readonly (string | Buffer | number)[]): Promise<unknown> {
    const command = [this.sha, keys.length, ...keys, ...args];
    try {
      return await redis.send('EVALSHA', command);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      await redis.send('SCRIPT', ['LOAD', this.source]);
      return redis.send('EVALSHA', command);
    }
  }
}
