import type { PeerConnection } from '../peer-connection';
import type { PeerHandler } from '../peer-handler';

type EventName<Method> = Method extends `on${infer Name}` ? Uncapitalize<Name> : never;
export type PeerEventName = EventName<keyof PeerHandler>;

export interface RecordedEvent {
  readonly name: PeerEventName;
  /** The arguments after the connection. */
  readonly args: unknown[];
}

type Reaction = (peer: PeerConnection, ...args: never[]) => void;

/**
 * A PeerHandler for tests that records every event and lets a test wait for one (no sleeps), and
 * optionally reacts to events (e.g. answer requests).
 */
export class RecordingHandler implements PeerHandler {
  readonly events: RecordedEvent[] = [];
  private waiters: { name: PeerEventName; resolve: (event: RecordedEvent) => void; from: number }[] = [];
  readonly reactions: Partial<Record<PeerEventName, Reaction>> = {};

  /** Resolves with the first `name` event recorded at or after position `from` (default: any). */
  next(name: PeerEventName, from = 0): Promise<RecordedEvent> {
    const found = this.events.slice(from).find((event) => event.name === name);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ name, resolve, from }));
  }

  /** Like next, but only for events after the current ones. */
  upcoming(name: PeerEventName): Promise<RecordedEvent> {
    return this.next(name, this.events.length);
  }

  count(name: PeerEventName): number {
    return this.events.filter((event) => event.name === name).length;
  }

  names(): PeerEventName[] {
    return this.events.map((event) => event.name);
  }

  onBitfield = this.recorder('bitfield');
  onHave = this.recorder('have');
  onChoke = this.recorder('choke');
  onUnchoke = this.recorder('unchoke');
  onInterested = this.recorder('interested');
  onNotInterested = this.recorder('notInterested');
  onRequest = this.recorder('request');
  onCancel = this.recorder('cancel');
  onPiece = this.recorder('piece');
  onReject = this.recorder('reject');
  onSuggest = this.recorder('suggest');
  onAllowedFast = this.recorder('allowedFast');
  onExtensionHandshake = this.recorder('extensionHandshake');
  onExtended = this.recorder('extended');
  onHashMessage = this.recorder('hashMessage');
  onPort = this.recorder('port');
  onDrain = this.recorder('drain');
  onClose = this.recorder('close');

  private recorder(name: PeerEventName): (peer: PeerConnection, ...args: unknown[]) => void {
    return (peer, ...args) => {
      // Blocks are views of socket chunks; keep copies.
      const event = { name, args: args.map((arg) => (Buffer.isBuffer(arg) ? Buffer.from(arg) : arg)) };
      this.events.push(event);
      const position = this.events.length - 1;
      const ready = this.waiters.filter((waiter) => waiter.name === name && waiter.from <= position);
      this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
      for (const waiter of ready) waiter.resolve(event);
      (this.reactions[name] as ((peer: PeerConnection, ...args: unknown[]) => void) | undefined)?.(peer, ...args);
    };
  }
}
