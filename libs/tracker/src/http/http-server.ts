import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { encodeFailure } from './encode-replies';
import { type HttpTracker, TRACKER_CONTENT_TYPE } from './http-tracker';
import { type HeadLimits, parseRequestHead, type RequestHead } from './request-head';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface HttpServerLimits extends HeadLimits {
  /** An idle keep-alive connection is closed after this long (node:http's default is 5 s). */
  readonly keepAliveTimeoutMs: number;
  /** A request head must arrive whole within this long of its first byte (slow-loris guard). */
  readonly headTimeoutMs: number;
}

export const DEFAULT_HTTP_SERVER_LIMITS: HttpServerLimits = {
  maxTargetLength: 8192,
  // node:http's default header limit.
  maxHeadLength: 16 * 1024,
  maxHeaders: 100,
  keepAliveTimeoutMs: 5000,
  headTimeoutMs: 10_000,
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};

/**
 * The HTTP tracker on node:net with an HTTP/1.1 server of its own, for `seedfleet tracker` and tests (the
 * publisher serves it through Nest). It speaks only what trackers need: GET and HEAD without bodies,
 * keep-alive, pipelining (answered in order, one at a time), strict limits; every answer, refusals
 * included, is a bencoded dict with Content-Length, written in one piece. Under S4 load node:http's
 * request and response objects were ~40 % of the tracker's CPU.
 */
export async function startHttpTrackerServer(tracker: HttpTracker, host: string, port: number, limits: HttpServerLimits = DEFAULT_HTTP_SERVER_LIMITS): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  // Half-open: a client may send its request and shut down its side at once; it still gets its answer.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    new TrackerConnection(socket, tracker, limits).start();
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  return { host, port: address.port, close: () => closeServer(server, sockets) };
}

/** Unparsed input beyond this (pipelined requests waiting their turn) pauses reading. */
const MAX_BUFFERED_INPUT = 64 * 1024;

/** One client connection: reads heads, answers them in order, one at a time. */
class TrackerConnection {
  private input: Buffer = Buffer.alloc(0);
  private busy = false;
  private closing = false;
  /** The client sent FIN: answer what is complete, then end our side too. */
  private clientEnded = false;
  private headTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly tracker: HttpTracker,
    private readonly limits: HttpServerLimits,
  ) {}

  start(): void {
    this.socket.setTimeout(this.limits.keepAliveTimeoutMs, () => {
      if (!this.busy) this.socket.destroy();
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
      if (this.input.length > MAX_BUFFERED_INPUT) this.socket.pause();
      this.next();
    });
    this.socket.on('end', () => {
      this.clientEnded = true;
      this.next();
    });
    this.socket.on('error', () => this.socket.destroy());
    this.socket.on('close', () => clearTimeout(this.headTimer));
  }

  /** Answers the next complete request, if any and if none is being answered. */
  private next(): void {
    if (this.busy || this.closing) return;
    const head = this.input.length === 0 ? ({ kind: 'incomplete' } as const) : parseRequestHead(this.input, this.limits);
    if (head.kind === 'incomplete') {
      if (this.clientEnded) {
        this.closing = true;
        this.socket.end();
      } else if (this.input.length > 0) {
        this.headTimer ??= setTimeout(() => this.socket.destroy(), this.limits.headTimeoutMs);
      }
      return;
    }
    clearTimeout(this.headTimer);
    this.headTimer = undefined;
    if (head.kind === 'refused') {
      // The rest of the stream cannot be framed reliably: answer and close.
      this.respond(head.status, encodeFailure({ failure: 'malformed-request', reason: head.reason }), false, false);
      return;
    }
    this.input = this.input.length === head.length ? Buffer.alloc(0) : this.input.subarray(head.length);
    if (this.socket.isPaused() && this.input.length <= MAX_BUFFERED_INPUT) this.socket.resume();
    this.busy = true;
    void this.answer(head);
  }

  private async answer(head: RequestHead): Promise<void> {
    let status = 503;
    let body: Buffer;
    try {
      ({ status, body } = await this.tracker.handle({ url: head.target, socketAddress: this.socket.remoteAddress, forwardedFor: head.forwardedFor }));
    } catch {
      body = encodeFailure({ failure: 'unavailable', reason: 'tracker temporarily unavailable, retry later' });
    }
    this.busy = false;
    if (this.socket.destroyed) return;
    const flushed = this.respond(status, body, head.method === 'HEAD', head.keepAlive);
    if (!head.keepAlive) return;
    // A client pipelining faster than it reads its answers waits for them to drain.
    if (flushed) this.next();
    else this.socket.once('drain', () => this.next());
  }

  /** Writes one answer in one piece; returns false when the socket's buffer is full. */
  private respond(status: number, body: Buffer, headOnly: boolean, keepAlive: boolean): boolean {
    if (status === 200 && keepAlive && !headOnly) return this.socket.write(okAnswer(body));
    const head = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: ${TRACKER_CONTENT_TYPE}\r\nContent-Length: ${body.length}\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`;
    const headLength = Buffer.byteLength(head, 'latin1');
    const out = Buffer.allocUnsafe(headLength + (headOnly ? 0 : body.length));
    out.write(head, 0, 'latin1');
    if (!headOnly) body.copy(out, headLength);
    if (keepAlive) return this.socket.write(out);
    this.closing = true;
    this.socket.end(out);
    return true;
  }
}

const OK_HEAD = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${TRACKER_CONTENT_TYPE}\r\nContent-Length: `, 'latin1');

/**
 * The common answer (200, keep-alive, with its body) from bytes prepared once: no head text to build,
 * measure and encode per answer.
 */
export function okAnswer(body: Buffer): Buffer {
  const length = body.length;
  let digits = 1;
  for (let rest = length; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  const out = Buffer.allocUnsafe(OK_HEAD.length + digits + 4 + length);
  out.set(OK_HEAD, 0);
  let offset = OK_HEAD.length + digits;
  for (let rest = length, at = offset - 1; at >= OK_HEAD.length; at--, rest = Math.floor(rest / 10)) out[at] = 0x30 + (rest % 10);
  out[offset++] = 0x0d;
  out[offset++] = 0x0a;
  out[offset++] = 0x0d;
  out[offset++] = 0x0a;
  out.set(body, offset);
  return out;
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    for (const socket of sockets) socket.destroy();
  });
}
