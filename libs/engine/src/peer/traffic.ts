import { RateEstimator } from '../policy/rate';

/** Bytes moved over one connection, payload (piece blocks) apart from protocol overhead, with payload rates. */
export class Traffic {
  bytesReceived = 0;
  payloadReceived = 0;
  bytesSent = 0;
  payloadSent = 0;
  private readonly downloadRate: RateEstimator;
  private readonly uploadRate: RateEstimator;

  constructor(now: number, windowMs: number) {
    this.downloadRate = new RateEstimator(now, { windowMs });
    this.uploadRate = new RateEstimator(now, { windowMs });
  }

  received(bytes: number, payload: number, now: number): void {
    this.bytesReceived += bytes;
    this.payloadReceived += payload;
    if (payload > 0) this.downloadRate.add(payload, now);
  }

  sent(bytes: number, payload: number, now: number): void {
    this.bytesSent += bytes;
    this.payloadSent += payload;
    if (payload > 0) this.uploadRate.add(payload, now);
  }

  /** Payload bytes per second received over the window ending at `now`. */
  downloadRateAt(now: number): number {
    return this.downloadRate.rate(now);
  }

  uploadRateAt(now: number): number {
    return this.uploadRate.rate(now);
  }

  get protocolReceived(): number {
    return this.bytesReceived - this.payloadReceived;
  }

  get protocolSent(): number {
    return this.bytesSent - this.payloadSent;
  }
}
