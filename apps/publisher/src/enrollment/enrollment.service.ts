import { randomBytes } from 'node:crypto';
import { HttpException, Logger } from '@nestjs/common';
import type { TrackerRegistry } from '@seedfleet/tracker';
import { ApiError } from '../api/api-error';
import type { EnrollRequest, TokenRequest } from './enrollment-input';
import type { EnrollmentStore } from './enrollment-store';

export interface CreatedToken {
  readonly token: string;
  /** ISO 8601. */
  readonly expiresAt: string;
  readonly uses: number;
  readonly zone: string;
  readonly region: string;
}

export interface Enrollment {
  readonly agentId: string;
  readonly passkey: string;
  /** The tracker's base announce URL (without passkey). */
  readonly trackerUrl: string;
  /** The announce URL this agent uses: `<trackerUrl>/<passkey>`. */
  readonly announceUrl: string;
  readonly zone: string;
  readonly region: string;
}

/**
 * An enrollment token buys an agent id and a tracker passkey registered with the token's zone and region.
 * A use is taken atomically first; if anything after it fails the use is given back.
 */
export class EnrollmentService {
  private readonly logger = new Logger('Enrollment');

  constructor(
    private readonly store: EnrollmentStore,
    private readonly registry: TrackerRegistry,
    private readonly publicUrl: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async createToken(request: TokenRequest): Promise<CreatedToken> {
    const token = `sfe_${randomBytes(32).toString('base64url')}`;
    const expiresAt = this.clock() + request.expiresInSeconds * 1000;
    await this.store.saveToken(token, { zone: request.zone, region: request.region, uses: request.uses, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString(), uses: request.uses, zone: request.zone, region: request.region };
  }

  async enroll(request: EnrollRequest): Promise<Enrollment> {
    const consumed = await this.store.consume(request.token, this.clock());
    if (consumed.outcome !== 'ok') throw refusal(consumed.outcome);
    const { zone, region } = consumed;
    const agentId = `agt_${randomBytes(16).toString('hex')}`;
    const passkey = randomBytes(24).toString('base64url');
    try {
      await this.registry.registerPasskey(passkey, { zone, region });
    } catch (error) {
      await this.giveBack(request.token);
      throw new ApiError(503, 'the tracker registry is unavailable, try again', { cause: error });
    }
    try {
      await this.store.saveAgent({ agentId, passkey, zone, region, hostname: request.hostname ?? '', enrolledAt: new Date(this.clock()).toISOString() });
    } catch (error) {
      await this.registry.revokePasskey(passkey).catch(() => undefined);
      await this.giveBack(request.token);
      throw new ApiError(503, 'the agent could not be recorded, try again', { cause: error });
    }
    this.logger.log(`agent ${agentId} enrolled${request.hostname ? ` (${request.hostname})` : ''}${zone || region ? ` in ${[region, zone].filter(Boolean).join('/')}` : ''}`);
    const trackerUrl = `${this.publicUrl}/announce`;
    return { agentId, passkey, trackerUrl, announceUrl: `${trackerUrl}/${passkey}`, zone, region };
  }

  private async giveBack(token: string): Promise<void> {
    await this.store.refund(token).catch((error: unknown) => this.logger.warn(`could not give an enrollment token use back: ${(error as Error).message}`));
  }
}

function refusal(outcome: 'unknown' | 'expired' | 'used'): Error {
  if (outcome === 'unknown') return new ApiError(401, 'unknown enrollment token: ask an admin for a new one (POST /api/enrollment-tokens)');
  if (outcome === 'expired') return new ApiError(401, 'enrollment token expired: ask an admin for a new one');
  return new HttpException('enrollment token already used up: ask an admin for a new one', 403);
}
