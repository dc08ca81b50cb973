import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.tokens';

@Controller()
export class HealthController {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Liveness and readiness in one: the publisher is useless without Redis. */
  @Get('healthz')
  async health(): Promise<{ status: 'ok'; redis: 'ok' }> {
    try {
      await this.redis.ping();
    } catch (error) {
      throw new HttpException({ status: 'unavailable', redis: (error as Error).message }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', redis: 'ok' };
  }
}
