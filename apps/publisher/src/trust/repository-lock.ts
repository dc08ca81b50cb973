import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export class RepositoryLockError extends Error {
  override name = 'RepositoryLockError';
}

export interface RepositoryLockOptions {
  /** How long a crashed holder blocks the others; renewed every third of it while the holder works. */
  readonly leaseMs?: number;
  readonly waitMs?: number;
  readonly onLost?: (key: string) => void;
}

/**
 * A Redis lock (SET NX PX with a random token, renewed while held, released only by its holder) around
 * writes to the TUF repository: two replicas writing at once would both publish version n+1, and the object
 * store offers no compare-and-swap to catch that.
 */
export class RepositoryLock {
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly options: RepositoryLockOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.waitMs = options.waitMs ?? 60_000;
  }

  async withLock<T>(action: () => Promise<T>): Promise<T> {
    const token = randomBytes(16).toString('base64url');
    const deadline = Date.now() + this.waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
      if ((await this.redis.set(this.key, token, 'PX', this.leaseMs, 'NX')) === 'OK') break;
      if (Date.now() > deadline) throw new RepositoryLockError(`could not lock the TUF repository (${this.key}) within ${this.waitMs} ms: another publisher replica holds it`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    const renewal = setInterval(() => {
      this.redis.eval(RENEW_SCRIPT, 1, this.key, token, String(this.leaseMs)).then(
        (renewed) => {
          if (renewed === 0) this.options.onLost?.(this.key);
        },
        () => this.options.onLost?.(this.key),
      );
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    try {
      return await action();
    } finally {
      clearInterval(renewal);
      await this.redis.eval(RELEASE_SCRIPT, 1, this.key, token).catch(() => undefined);
    }
  }
}
