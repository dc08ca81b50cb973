import type { Socket } from 'node:net';

/** Takes one chunk of a connection's incoming bytes; the chunk is valid only during the call. */
export type ChunkConsumer = (chunk: Buffer) => void;

/**
 * Where a connection's incoming bytes come from, past and during the handshake. A chunk is lent: its
 * memory may be reused once the consumer returns, so a consumer copies what it keeps (a reader of a
 * shared buffer, net/shared-buffer-reads.ts, relies on that).
 */
export interface ChunkSource {
  /**
   * From now on chunks go to `consumer` and reading runs; `undefined` pauses reading. Also callable from
   * inside a consumer: no chunk of the current read goes to the old one after it returns.
   */
  setConsumer(consumer: ChunkConsumer | undefined): void;
}

/** A socket read the ordinary way ('data' events, a fresh buffer per read). */
export class SocketChunks implements ChunkSource {
  private consumer: ChunkConsumer | undefined;

  constructor(private readonly socket: Socket) {}

  setConsumer(consumer: ChunkConsumer | undefined): void {
    if (this.consumer) this.socket.off('data', this.consumer);
    this.consumer = consumer;
    if (consumer) {
      this.socket.on('data', consumer);
      this.socket.resume();
    } else {
      this.socket.pause();
    }
  }
}
