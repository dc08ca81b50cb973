import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../api/api-error';
import { ADMIN_TOKEN } from './auth.tokens';

/** Admin endpoints: `Authorization: Bearer <admin token>`, compared in constant time. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(ADMIN_TOKEN) token: string) {
    this.expected = digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<IncomingMessage>().headers.authorization;
    if (header === undefined) throw new ApiError(401, 'admin token required: send "Authorization: Bearer <token>" (SEEDFLEET_ADMIN_TOKEN or DATA_DIR/admin-token)');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ApiError(401, 'Authorization header must be "Bearer <token>"');
    // Comparing fixed-length digests keeps the comparison constant-time whatever the presented length.
    if (!timingSafeEqual(digest(match[1]), this.expected)) throw new ApiError(401, 'invalid admin token');
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
