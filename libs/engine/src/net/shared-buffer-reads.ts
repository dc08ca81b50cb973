import { connect, type Socket } from 'node:net';
import type { ChunkConsumer, ChunkSource } from '../peer/chunk-source';

/** Node's own read size: one read returns at most this much. */
const READ_BUFFER_SIZE = 64 * 1024;

/** Bytes kept while no consumer is set before reading pauses: a paused Node socket's readable high-water mark. */
const HOLD_LIMIT = 16 * 1024;

let sharedBuffer: Buffer | undefined;

/**
 * Every socket dialled with shared reads reads into this one buffer. That is safe because libuv reads a
 * socket and runs its read callback to the end before it reads the next, on the one loop thread, and a
 * consumer never keeps a chunk past its call (ChunkSource's contract).
 */
function readBuffer(): Buffer {
  sharedBuffer ??= Buffer.allocUnsafeSlow(READ_BUFFER_SIZE);
  return sharedBuffer;
}

/**
 * The reads of a socket we dial go into one buffer shared by all of them (Node's `onread`), instead of a
 * new 64 KiB buffer per read. A downloading connection reads hundreds of MiB/s; each buffer dies at once,
 * but V8 frees it only at its next scavenge, which a small young generation runs every ~8 MiB read, and
 * one kept past two scavenges waits for a full GC: measured on a 1 GiB download, 22-29 MiB of buffers
 * held where ~12 MiB were live. Node offers `onread` only to sockets it connects, not to accepted ones.
 *
 * Bytes that arrive while no consumer is set (between the handshake and the connection's start) are
 * copied and kept for the next consumer; like a paused Node socket, reading stops once 16 KiB wait (and
 * goes on to the end of the stream if the socket is resumed with no consumer, so 'end' still comes).
 */
class SharedBufferReads implements ChunkSource {
  private consumer: ChunkConsumer | undefined;
  private held: Buffer | undefined;
  private delivering = false;

  constructor(private readonly socket: Socket) {}

  setConsumer(consumer: ChunkConsumer | undefined): void {
    this.consumer = consumer;
    // Inside a read callback its return value pauses or goes on (see arrived).
    if (this.delivering) return;
    if (!consumer) {
      this.socket.pause();
      return;
    }
    const held = this.held;
    this.held = undefined;
    if (held) this.deliver(held);
    if (this.consumer) this.socket.resume();
  }

  /** Node's onread callback: false pauses reading. */
  arrived(nread: number, buffer: Uint8Array): boolean {
    const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, nread);
    if (!this.consumer) {
      this.held = this.held ? Buffer.concat([this.held, chunk]) : Buffer.from(chunk);
      return this.held.length < HOLD_LIMIT;
    }
    this.deliver(chunk);
    return this.consumer !== undefined;
  }

  private deliver(chunk: Buffer): void {
    this.delivering = true;
    try {
      this.consumer!(chunk);
    } finally {
      this.delivering = false;
    }
  }
}

/** net.connect with reads into the shared buffer; `input` hands them out. */
export function dialWithSharedReads(host: string, port: number): { readonly socket: Socket; readonly input: ChunkSource } {
  // The callback runs only once connected, long after `reads` exists.
  const socket: Socket = connect({ host, port, onread: { buffer: readBuffer(), callback: (nread: number, buffer: Uint8Array): boolean => reads.arrived(nread, buffer) } });
  const reads: SharedBufferReads = new SharedBufferReads(socket);
  return { socket, input: reads };
}
