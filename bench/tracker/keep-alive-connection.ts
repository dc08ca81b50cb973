import { connect, type Socket } from 'node:net';

export interface HttpAnswer {
  readonly status: number;
  readonly body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('\r\nContent-Length:');
const MAX_HEAD = 16 * 1024;

/** What a request comes back with: an error (no usable answer), or the answer's status and body. */
export type AnswerCallback = (error: Error | undefined, status: number, body: Buffer | undefined) => void;

/**
 * Open connections are checked for a request past its timeout once a second by one timer, not by a timer
 * per request (creating and clearing one was a measurable part of the generator's cost), nor by adding
 * to and removing from a set of waiting connections per request.
 */
const open = new Set<KeepAliveConnection>();
let sweeper: NodeJS.Timeout | undefined;

function watch(connection: KeepAliveConnection): void {
  open.add(connection);
  sweeper ??= setInterval(() => {
    const now = performance.now();
    for (const candidate of open) candidate.expire(now);
    if (open.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  }, 1000);
}

/**
 * One keep-alive HTTP/1.1 connection on a bare socket, one request at a time: the generator's side of the
 * closed loop. node:http's client cost ~400 µs of CPU per announce here, more than the trackers it
 * measured, so on 2 shared cores it capped every tracker; this costs a write and a read per request, and
 * answers through a callback (no Promise per request).
 * Answers must carry Content-Length (node:http servers and opentracker send it); anything else is an error.
 */
export class KeepAliveConnection {
  private readonly socket: Socket;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private pending: AnswerCallback | undefined;
  private failure: Error | undefined;
  private sentAt = 0;

  constructor(
    host: string,
    port: number,
    private readonly timeoutMs: number,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed by the tracker')));
    watch(this);
  }

  get usable(): boolean {
    return this.failure === undefined;
  }

  /**
   * `request`: a whole request head, e.g. `GET /announce?... HTTP/1.1\r\nHost: h\r\n\r\n`, sent at
   * `sentAt` (performance.now()). `onAnswer` is called once, never before this returns.
   */
  request(request: string, sentAt: number, onAnswer: AnswerCallback): void {
    if (this.failure) {
      const failure = this.failure;
      process.nextTick(() => onAnswer(failure, 0, undefined));
      return;
    }
    this.pending = onAnswer;
    this.sentAt = sentAt;
    this.socket.write(request, 'latin1');
  }

  /** Fails the request in flight once it has waited longer than the timeout. */
  expire(now: number): void {
    if (this.pending && now - this.sentAt > this.timeoutMs) this.fail(new Error(`no answer within ${this.timeoutMs / 1000} s`));
  }

  close(): void {
    open.delete(this);
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    this.buffered += chunk.length;
    const data = this.chunks.length === 0 ? chunk : Buffer.concat([...this.chunks, chunk], this.buffered);
    const headEnd = data.indexOf(HEAD_END);
    if (headEnd < 0) {
      if (this.buffered > MAX_HEAD) this.fail(new Error('answer head over 16 KiB'));
      else this.chunks = [data];
      return;
    }
    const length = contentLength(data, headEnd);
    if (length === undefined) return this.fail(new Error(`answer without Content-Length: ${data.toString('latin1', 0, Math.min(headEnd, 200))}`));
    const end = headEnd + HEAD_END.length + length;
    if (data.length < end) {
      this.chunks = [data];
      return;
    }
    if (data.length > end) return this.fail(new Error('unrequested bytes after the answer'));
    if (this.chunks.length > 0) this.chunks = [];
    this.buffered = 0;
    const pending = this.pending;
    this.pending = undefined;
    // "HTTP/1.1 200 ...": the status's three digits.
    pending?.(undefined, (data[9] - 0x30) * 100 + (data[10] - 0x30) * 10 + (data[11] - 0x30), data.subarray(headEnd + HEAD_END.length));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    open.delete(this);
    this.socket.destroy();
    const pending = this.pending;
    this.pending = undefined;
    pending?.(error, 0, undefined);
  }
}

/** Content-Length of the head ending at `headEnd`: the usual spelling read in place, any other by regex. */
function contentLength(data: Buffer, headEnd: number): number | undefined {
  const at = data.indexOf(CONTENT_LENGTH);
  if (at < 0 || at > headEnd) {
    const text = /\r\ncontent-length: *(\d+)/i.exec(data.toString('latin1', 0, headEnd))?.[1];
    return text === undefined ? undefined : Number(text);
  }
  let index = at + CONTENT_LENGTH.length;
  while (data[index] === 0x20) index++;
  let value = 0;
  const first = index;
  for (; data[index] >= 0x30 && data[index] <= 0x39; index++) value = value * 10 + data[index] - 0x30;
  return index === first ? undefined : value;
}
