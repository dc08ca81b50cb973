import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { RedisPort } from '../redis-port';
import { parseRedisUrl, type RedisEndpointAddress } from './redis-url';
import { encodeCommand, RespDecoder, RespErrorReply, type RespValue } from './resp-codec';

/** Redis answered a command with an error reply (the message is Redis's, e.g. "NOSCRIPT ..."). */
export class RedisCommandError extends Error {
  override readonly name = 'RedisCommandError';
}

/** The command was not answered: no connection, or it was lost before the reply. */
export class RedisConnectionError extends Error {
  override readonly name: string = 'RedisConnectionError';
}

/**
 * No reply within the command timeout. The connection is reset at once (and reconnects): a reply that
 * arrives late could otherwise be taken for the answer to a later command.
 */
export class RedisCommandTimeoutError extends RedisConnectionError {
  override readonly name: string = 'RedisCommandTimeoutError';
}

export interface RespConnectionOptions {
  /** Giving up on one connection attempt (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Reconnection delays double from min to max (default 50 ms to 2 s). */
  readonly retryDelayMs?: { readonly min: number; readonly max: number };
  /**
   * A command without a reply this long after it was issued fails with RedisCommandTimeoutError, and so
   * does the connection (default 2 s; 0: wait for ever). Blocking commands need a longer one than theirs.
   */
  readonly commandTimeoutMs?: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** performance.now() after which the command has timed out. */
  deadline: number;
}

/**
 * A RedisPort on one pipelined socket, for the tracker's hot path. Commands issued while the event loop
 * handles one batch of I/O go out in one write (setImmediate), and replies are matched in order, so many
 * announces in flight cost Redis and us one syscall each way instead of one per command. While the
 * connection is down, commands fail at once (the tracker answers 503) and it reconnects in the background.
 * ioredis does more (cluster, sentinel, offline queue); under S4 load its per-command work and one write
 * per command cost more than the rest of an announce, and its auto-pipelining breaks callBuffer.
 */
export class RespConnection implements RedisPort {
  readonly ownsReplies = true;
  private socket: Socket | undefined;
  private ready = false;
  private closed = false;
  private decoder = new RespDecoder();
  private waiting: Waiting[] = [];
  private waitingHead = 0;
  private outgoing: Buffer[] = [];
  private flushScheduled = false;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly retry: { readonly min: number; readonly max: number };
  private readonly commandTimeoutMs: number;
  /** Armed while commands wait: replies come in order, so only the oldest one's deadline matters. */
  private timeoutTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly address: RedisEndpointAddress,
    private readonly options: RespConnectionOptions,
  ) {
    this.retry = options.retryDelayMs ?? { min: 50, max: 2000 };
    this.retryDelay = this.retry.min;
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    if (!(this.commandTimeoutMs >= 0)) throw new RangeError(`commandTimeoutMs must be 0 or more, not ${options.commandTimeoutMs}`);
  }

  /** Connects (AUTH and SELECT included); rejects if the first attempt fails. */
  static async open(url: string, options: RespConnectionOptions = {}): Promise<RespConnection> {
    const connection = new RespConnection(parseRedisUrl(url), options);
    await connection.connect();
    return connection;
  }

  send(command: string, args: readonly (string | Buffer | number)[]): Promise<unknown> {
    if (!this.ready) return Promise.reject(new RedisConnectionError(this.closed ? 'Redis connection closed' : 'Redis connection lost; reconnecting'));
    return this.enqueue(encodeCommand(command, args));
  }

  /** Stops reconnecting; commands in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.ready = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.timeoutTimer);
    this.socket?.destroy();
    this.lost(new RedisConnectionError('Redis connection closed'));
  }

  private enqueue(command: Buffer): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const deadline = this.commandTimeoutMs === 0 ? Infinity : performance.now() + this.commandTimeoutMs;
      this.waiting.push({ resolve, reject, deadline });
      if (this.timeoutTimer === undefined && this.commandTimeoutMs > 0) this.armTimeout(this.commandTimeoutMs);
      this.outgoing.push(command);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * One timer for all commands, not one each (20k commands a second): when it fires, the oldest command
   * waiting has timed out, or the timer is armed again for its deadline.
   */
  private armTimeout(delayMs: number): void {
    this.timeoutTimer = setTimeout(() => {
      this.timeoutTimer = undefined;
      const oldest = this.waiting[this.waitingHead];
      if (oldest === undefined) return;
      const left = oldest.deadline - performance.now();
      if (left > 0) return this.armTimeout(left);
      // Replies still on their way belong to the commands failed here: only a new connection is safe.
      const now = performance.now();
      const expired = new RedisCommandTimeoutError(`no reply from Redis within ${this.commandTimeoutMs} ms; connection reset`);
      const behind = new RedisConnectionError('Redis connection reset: an earlier command timed out');
      this.ready = false;
      this.socket?.destroy(expired);
      this.lost((command) => (command.deadline <= now ? expired : behind));
    }, Math.ceil(delayMs));
    this.timeoutTimer.unref();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.length === 0 || !this.socket) return;
    this.socket.write(this.outgoing.length === 1 ? this.outgoing[0] : Buffer.concat(this.outgoing));
    this.outgoing = [];
  }

  private connect(): Promise<void> {
    const { host, port, tls } = this.address;
    const socket = tls ? connectTls({ host, port, servername: isIP(host) === 0 ? host : undefined }) : connectTcp({ host, port });
    socket.setNoDelay(true);
    socket.setTimeout(this.options.connectTimeoutMs ?? 5000, () => socket.destroy(new RedisConnectionError(`no connection to Redis at ${host}:${port} within ${(this.options.connectTimeoutMs ?? 5000) / 1000} s`)));
    this.socket = socket;
    this.decoder = new RespDecoder();
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    return new Promise((resolve, reject) => {
      let settled = false;
      let up = false;
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        socket.setTimeout(0);
        this.handshake().then(
          () => {
            settled = true;
            up = true;
            this.ready = true;
            this.retryDelay = this.retry.min;
            resolve();
          },
          (error: Error) => socket.destroy(error),
        );
      });
      socket.on('error', (error) => {
        if (!settled) {
          settled = true;
          reject(new RedisConnectionError(`cannot connect to Redis at ${host}:${port}: ${error.message}`, { cause: error }));
        }
      });
      socket.on('close', () => {
        if (this.socket !== socket) return;
        this.ready = false;
        this.socket = undefined;
        this.lost(new RedisConnectionError('Redis connection lost'));
        // A connection that was up reconnects; a failed attempt is its caller's to report or retry.
        if (up && !this.closed) this.scheduleReconnect();
        if (!settled) {
          settled = true;
          reject(new RedisConnectionError(`cannot connect to Redis at ${host}:${port}`));
        }
      });
    });
  }

  /** AUTH and SELECT, sent before anything else on a new connection. */
  private async handshake(): Promise<void> {
    const { username, password, db } = this.address;
    const steps: Promise<unknown>[] = [];
    if (password !== undefined) steps.push(this.enqueue(encodeCommand('AUTH', username === undefined ? [password] : [username, password])));
    if (db !== 0) steps.push(this.enqueue(encodeCommand('SELECT', [db])));
    await Promise.all(steps);
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => {
      this.connect().catch(() => {
        this.retryDelay = Math.min(this.retryDelay * 2, this.retry.max);
        if (!this.closed) this.scheduleReconnect();
      });
    }, this.retryDelay);
    this.retryTimer.unref();
  }

  private received(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.decoder.push(chunk);
    } catch (error) {
      this.socket?.destroy(error as Error);
      return;
    }
    for (const reply of replies) {
      const waiting = this.waiting[this.waitingHead++];
      if (!waiting) {
        this.socket?.destroy(new RedisConnectionError('Redis sent a reply nobody asked for'));
        return;
      }
      if (reply instanceof RespErrorReply) waiting.reject(new RedisCommandError(reply.message));
      else waiting.resolve(reply);
    }
    if (this.waitingHead === this.waiting.length) {
      this.waiting = [];
      this.waitingHead = 0;
    } else if (this.waitingHead > 1024) {
      this.waiting = this.waiting.slice(this.waitingHead);
      this.waitingHead = 0;
    }
  }

  /** Fails every command sent or queued on the connection that went away. */
  private lost(error: Error | ((command: Waiting) => Error)): void {
    const waiting = this.waiting.slice(this.waitingHead);
    this.waiting = [];
    this.waitingHead = 0;
    this.outgoing = [];
    for (const command of waiting) command.reject(typeof error === 'function' ? error(command) : error);
  }
}
