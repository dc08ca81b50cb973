import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * BEP 15 connection ids without server state: HMAC(secret, time window, client IP), truncated to 8 bytes.
 * Any replica sharing the secret validates any other's ids, and nothing needs cleaning up. An id is
 * accepted in the window it was made and the next one, so it lives between one and two windows; with
 * the default 2-minute window that covers BEP 15's "accept for two minutes".
 */
export class ConnectionIds {
  constructor(
    private readonly secret: Buffer,
    private readonly windowMs = 120_000,
  ) {
    if (secret.length < 16) throw new RangeError('the connection id secret needs at least 16 bytes');
  }

  issue(ip: string, now: number): Buffer {
    return this.sign(ip, Math.floor(now / this.windowMs));
  }

  isValid(connectionId: Buffer, ip: string, now: number): boolean {
    const window = Math.floor(now / this.windowMs);
    return [window, window - 1].some((candidate) => timingSafeEqual(this.sign(ip, candidate), connectionId));
  }

  private sign(ip: string, window: number): Buffer {
    return createHmac('sha256', this.secret).update(`${window}|${ip}`).digest().subarray(0, 8);
  }
}
