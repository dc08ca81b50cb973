import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { randomBytes } from 'node:crypto';
import type { AddressFamily } from '@seedfleet/wire';
import type { RequestDeadline } from '../request-deadline';
import { TrackerError } from '../tracker-error';
import { readHeader } from './udp-messages';

export interface RetransmitPolicy {
  /** BEP 15: wait `base * 2^n` before retransmitting, n = 0, 1, ... */
  readonly baseMs: number;
  /** n stops at this; after the wait at n = max the request has timed out. */
  readonly maxRetransmits: number;
}

/** What `exchange` resolves with when `stillValid` turned false between retransmissions. */
export const EXPIRED = Symbol('expired');

/**
 * One UDP socket talking to one tracker for the length of one request. Answers are matched to the
 * outstanding transaction id and must come from the tracker's address; anything else is ignored. The retransmission counter n is
 * shared by every exchange of the request (connect, then announce), as BEP 15 describes.
 */
export class UdpTrackerSocket {
  private retransmits = 0;
  private pending?: { transactionId: number; deliver(packet: Buffer): void; fail(error: TrackerError): void };

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    readonly port: number,
    readonly family: AddressFamily,
    private readonly url: string,
    private readonly deadline: RequestDeadline,
    private readonly policy: RetransmitPolicy,
  ) {
    socket.on('message', (packet, from) => {
      // Only the tracker's own address may answer: the transaction id is not the sole defence against spoofing.
      if (from.address !== address || from.port !== port) return;
      const header = readHeader(packet);
      if (header !== undefined && header.transactionId === this.pending?.transactionId) this.pending.deliver(packet);
    });
    socket.on('error', (error) => this.pending?.fail(new TrackerError('network', url, error.message, { cause: error })));
  }

  static async open(url: string, host: string, port: number, deadline: RequestDeadline, policy: RetransmitPolicy): Promise<UdpTrackerSocket> {
    let resolved: { address: string; family: number };
    try {
      resolved = await deadline.race(lookup(host));
    } catch (error) {
      throw error instanceof TrackerError ? error : new TrackerError('network', url, `cannot resolve ${host}: ${(error as Error).message}`, { cause: error });
    }
    const socket = createSocket(resolved.family === 6 ? 'udp6' : 'udp4');
    return new UdpTrackerSocket(socket, resolved.address, port, resolved.family === 6 ? 'ipv6' : 'ipv4', url, deadline, policy);
  }

  /** The cache key for this tracker's connection ids. */
  get key(): string {
    return `${this.family === 'ipv6' ? `[${this.address}]` : this.address}:${this.port}`;
  }

  /**
   * Sends `build(transactionId)` and retransmits it until an answer with that transaction id arrives.
   * Resolves EXPIRED instead of retransmitting once `stillValid()` is false (an expired connection id).
   */
  exchange(build: (transactionId: number) => Buffer, stillValid: () => boolean = () => true): Promise<Buffer | typeof EXPIRED> {
    const transactionId = randomBytes(4).readUInt32BE(0);
    const packet = build(transactionId);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        this.pending = undefined;
        this.deadline.signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        reject(this.deadline.signal.reason as TrackerError);
      };
      const send = (): void => {
        this.socket.send(packet, this.port, this.address);
        timer = setTimeout(onSilence, this.policy.baseMs * 2 ** this.retransmits);
      };
      const onSilence = (): void => {
        if (this.retransmits >= this.policy.maxRetransmits) {
          finish();
          reject(new TrackerError('timeout', this.url, `no answer after ${this.retransmits + 1} UDP transmissions`));
          return;
        }
        this.retransmits++;
        if (!stillValid()) {
          finish();
          resolve(EXPIRED);
          return;
        }
        send();
      };
      this.pending = {
        transactionId,
        deliver: (answer) => {
          finish();
          resolve(answer);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      if (this.deadline.signal.aborted) return onAbort();
      this.deadline.signal.addEventListener('abort', onAbort, { once: true });
      send();
    });
  }

  close(): void {
    this.pending = undefined;
    this.socket.close();
  }
}
