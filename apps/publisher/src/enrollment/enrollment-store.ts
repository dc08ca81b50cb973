import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** An expired token's key stays this long after expiry, so its holder hears "expired", not "unknown". */
const EXPIRED_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export interface StoredToken {
  readonly zone: string;
  readonly region: string;
  readonly uses: number;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export type Consumed = { readonly outcome: 'ok'; readonly zone: string; readonly region: string } | { readonly outcome: 'unknown' | 'expired' | 'used' };

export interface AgentRecord {
  readonly agentId: string;
  readonly passkey: string;
  readonly zone: string;
  readonly region: string;
  readonly hostname: string;
  /** ISO 8601. */
  readonly enrolledAt: string;
}

/**
 * Checks expiry and remaining uses and takes one use in one step, so N concurrent enrollments with a
 * token of K uses succeed exactly min(N, K) times on any number of replicas.
 */
const CONSUME = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local token = redis.call('HMGET', KEYS[1], 'expiresAt', 'remaining', 'zone', 'region')
if tonumber(token[1]) <= tonumber(ARGV[1]) then return {'expired'} end
if tonumber(token[2]) <= 0 then return {'used'} end
redis.call('HINCRBY', KEYS[1], 'remaining', -1)
return {'ok', token[3], token[4]}
`;

/** Gives a use back when the enrollment could not complete after taking it. */
const REFUND = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'remaining', 1) end
return 1
`;

/**
 * Enrollment tokens and agent records in Redis under the publisher's key prefix. Tokens are stored by
 * their SHA-256 only: a Redis dump does not hand out enrollments.
 */
export class EnrollmentStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async saveToken(token: string, stored: StoredToken): Promise<void> {
    const key = this.tokenKey(token);
    await this.redis
      .multi()
      .hset(key, { zone: stored.zone, region: stored.region, remaining: stored.uses, uses: stored.uses, expiresAt: stored.expiresAt })
      .pexpireat(key, stored.expiresAt + EXPIRED_GRACE_MS)
      .exec()
      .then(failOnError);
  }

  async consume(token: string, now: number): Promise<Consumed> {
    const reply = (await this.redis.eval(CONSUME, 1, this.tokenKey(token), now)) as string[];
    if (reply[0] === 'ok') return { outcome: 'ok', zone: reply[1] ?? '', region: reply[2] ?? '' };
    return { outcome: reply[0] as 'unknown' | 'expired' | 'used' };
  }

  async refund(token: string): Promise<void> {
    await this.redis.eval(REFUND, 1, this.tokenKey(token));
  }

  async saveAgent(agent: AgentRecord): Promise<void> {
    await this.redis
      .multi()
      .hset(this.agentKey(agent.agentId), { ...agent })
      .sadd(`${this.prefix}agents:ids`, agent.agentId)
      .exec()
      .then(failOnError);
  }

  async agent(agentId: string): Promise<AgentRecord | undefined> {
    const fields = await this.redis.hgetall(this.agentKey(agentId));
    return fields.agentId === undefined ? undefined : (fields as unknown as AgentRecord);
  }

  private tokenKey(token: string): string {
    return `${this.prefix}enroll:token:${createHash('sha256').update(token).digest('hex')}`;
  }

  private agentKey(agentId: string): string {
    return `${this.prefix}agents:${agentId}`;
  }
}

function failOnError(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error('Redis transaction aborted');
  const failed = results.find(([error]) => error !== null);
  if (failed) throw failed[0];
}
