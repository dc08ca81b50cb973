import { randomBytes } from 'node:crypto';
import type { RedisPort } from './redis-port';

/**
 * The secret UDP connection ids are signed with, shared through Redis so every replica accepts the ids
 * any other replica handed out: the first replica to boot creates it (SET NX), the others read it.
 */
export async function sharedTrackerSecret(redis: RedisPort, keyPrefix: string): Promise<Buffer> {
  const key = `${keyPrefix}udp-secret`;
  await redis.send('SET', [key, randomBytes(32).toString('hex'), 'NX']);
  const stored = await redis.send('GET', [key]);
  return Buffer.from(String(stored), 'hex');
}
