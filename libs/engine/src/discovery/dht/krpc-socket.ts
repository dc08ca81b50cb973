import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { decodeKrpcMessage, encodeKrpcMessage, type KrpcMessage, type KrpcRejection } from './krpc-guard';

interface Node {
  host: string;
  port: number;
  id?: Buffer;
  address?: string;
}

type QueryCallback = (error: Error | null, response: KrpcMessage | null, from: RemoteInfo | Node, request?: object) => void;

interface PendingQuery {
  ticksLeft: number;
  readonly peer: Node;
  readonly message: object;
  readonly callback: QueryCallback;
}

const ticksPerTimeout = 4;

function codedError(message: string, code: string | number): Error & { code: string | number } {
  return Object.assign(new Error(message), { code });
}

/**
 * The KRPC transport under bittorrent-dht (passed as k-rpc's `krpcSocket`), replacing k-rpc-socket with the
 * same contract: `query` with 16-bit transaction ids and a timeout, `response`/`error` answers, events
 * `query`, `response`, `warning`, `error`, `update`, `postupdate`, `listening` and the `inflight` count.
 * It exists so every datagram is decoded by our strict bencode and shape-checked (krpc-guard.ts) before
 * the library sees it, and so the DHT does not depend on the npm `bencode` copy k-rpc-socket requires.
 */
export class KrpcSocket extends EventEmitter {
  readonly socket: Socket = createSocket('udp4');
  inflight = 0;
  destroyed = false;
  private readonly pending = new Map<number, PendingQuery>();
  private lastTransaction = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    timeoutMs: number,
    private readonly onRejected: (reason: KrpcRejection, from: RemoteInfo) => void,
  ) {
    super();
    this.ticker = setInterval(() => this.tick(), Math.max(1, Math.floor(timeoutMs / ticksPerTimeout))).unref();
    this.socket.on('message', (datagram: Buffer, from: RemoteInfo) => this.receive(datagram, from));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.emit(error.code === 'EACCES' || error.code === 'EADDRINUSE' ? 'error' : 'warning', error));
    this.socket.on('listening', () => this.emit('listening'));
  }

  bind(...args: unknown[]): void {
    (this.socket.bind as (...bindArgs: unknown[]) => void)(...args);
  }

  address(): ReturnType<Socket['address']> {
    return this.socket.address();
  }

  query(peer: Node, query: { q: string; a?: object }, callback: QueryCallback = () => undefined): number {
    if (this.destroyed) {
      process.nextTick(() => callback(new Error('KRPC socket is closed'), null, peer));
      return 0;
    }
    if (isIP(peer.host) === 0) {
      this.resolveAndQuery(peer, query, callback);
      return 0;
    }
    this.lastTransaction = this.lastTransaction === 0xffff ? 1 : this.lastTransaction + 1;
    const transaction = this.lastTransaction;
    const t = Buffer.alloc(2);
    t.writeUInt16BE(transaction, 0);
    const message = { t, y: 'q', q: query.q, a: query.a };
    this.pending.get(transaction)?.callback(new Error('Query was cancelled'), null, peer); // 65535 queries later
    this.pending.set(transaction, { ticksLeft: ticksPerTimeout, peer, message, callback });
    this.inflight = this.pending.size;
    this.send(peer, message);
    return transaction;
  }

  response(peer: Node, request: KrpcMessage, response: object, callback?: (error?: Error | null) => void): void {
    this.send(peer, { t: request.t, y: 'r', r: response }, callback);
  }

  error(peer: Node, request: KrpcMessage, error: unknown, callback?: (error?: Error | null) => void): void {
    const detail = error instanceof Error ? error.message : error;
    this.send(peer, { t: request.t, y: 'e', e: ([] as unknown[]).concat(detail) }, callback);
  }

  send(peer: Node, message: object, callback: (error?: Error | null) => void = () => undefined): void {
    if (this.destroyed) return process.nextTick(() => callback(new Error('KRPC socket is closed')));
    let datagram: Buffer;
    try {
      datagram = encodeKrpcMessage(message);
    } catch (error) {
      this.emit('warning', error);
      return process.nextTick(() => callback(error as Error));
    }
    this.socket.send(datagram, peer.port, peer.address ?? peer.host, callback);
  }

  cancel(transaction: number, error?: Error): void {
    this.settle(transaction, error ?? new Error('Query was cancelled'));
  }

  destroy(callback?: () => void): void {
    if (this.destroyed) return callback === undefined ? undefined : process.nextTick(callback);
    this.destroyed = true;
    clearInterval(this.ticker);
    if (callback !== undefined) this.socket.once('close', callback);
    for (const transaction of [...this.pending.keys()]) this.settle(transaction, new Error('Query was cancelled'));
    this.socket.close();
  }

  private receive(datagram: Buffer, from: RemoteInfo): void {
    if (this.destroyed || from.port === 0) return;
    const decoded = decodeKrpcMessage(datagram);
    if (decoded.rejected !== undefined) return this.onRejected(decoded.rejected, from);
    const { message } = decoded;
    const type = (message.y as Buffer).toString('latin1');
    if (type === 'q') return void this.emit('query', message, from);
    const t = message.t as Buffer;
    const transaction = t.length === 2 ? t.readUInt16BE(0) : 0;
    const request = this.pending.get(transaction);
    if (request === undefined || request.peer.host !== from.address) {
      this.emit('response', message, from);
      this.emit('warning', new Error(request === undefined ? `Unexpected transaction id: ${transaction}` : 'Out of order response'));
      return;
    }
    if (type === 'e') {
      const details = Array.isArray(message.e) ? message.e : [];
      const code = typeof details[0] === 'number' ? details[0] : 0;
      return this.settle(transaction, codedError(details.map((item) => (Buffer.isBuffer(item) ? item.toString() : String(item))).join(' ') || 'Unknown error', code), message, from);
    }
    const id = (message.r as KrpcMessage).id as Buffer;
    if (request.peer.id !== undefined && !request.peer.id.equals(id)) return this.settle(transaction, codedError('Unexpected node id', 'EUNEXPECTEDNODE'), null, from);
    this.settle(transaction, null, message, from);
    this.emit('response', message, from);
  }

  /** Completes a pending query once: callback, then the `update` events k-rpc schedules more queries on. */
  private settle(transaction: number, error: Error | null, message: KrpcMessage | null = null, from?: RemoteInfo): void {
    const request = this.pending.get(transaction);
    if (request === undefined) return;
    this.pending.delete(transaction);
    this.inflight = this.pending.size;
    request.callback(error, error !== null && message === null ? null : message, from ?? request.peer, request.message);
    this.emit('update');
    this.emit('postupdate');
  }

  private tick(): void {
    for (const [transaction, request] of this.pending) {
      if (request.ticksLeft-- > 0) continue;
      this.settle(transaction, codedError('Query timed out', 'ETIMEDOUT'));
    }
  }

  private resolveAndQuery(peer: Node, query: { q: string; a?: object }, callback: QueryCallback): void {
    lookup(peer.host, { family: 4 }, (error, address) => {
      if (error) return callback(error, null, peer);
      if (this.destroyed) return callback(new Error('KRPC socket is closed'), null, peer);
      this.query({ host: address, port: peer.port }, query, callback);
    });
  }
}
