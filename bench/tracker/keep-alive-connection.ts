import { connect, type Socket } from 'node:net';

export interface HttpAnswer {
  readonly status: number;
  readonly body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 16 * 1024;

/**
 * One keep-alive HTTP/1.1 connection on a bare socket, one request at a time: the generator's side of the
 * closed loop. node:http's client cost ~400 µs of CPU per announce here, more than the trackers it
 * measured, so on 2 shared cores it capped every tracker; this costs a write and a read per request.
 * Answers must carry Content-Length (node:http servers and opentracker send it); anything else is an error.
 */
export class KeepAliveConnection {
  private readonly socket: Socket;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private pending: { resolve(answer: HttpAnswer): void; reject(error: Error): void } | undefined;
  private failure: Error | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: string,
    port: number,
    private readonly timeoutMs: number,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed by the tracker')));
  }

  get usable(): boolean {
    return this.failure === undefined;
  }

  request(path: string): Promise<HttpAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.timer = setTimeout(() => this.fail(new Error(`no answer within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${this.host}\r\n\r\n`, 'latin1');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const data = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.buffered);
    const headEnd = data.indexOf(HEAD_END);
    if (headEnd < 0) {
      if (this.buffered > MAX_HEAD) this.fail(new Error('answer head over 16 KiB'));
      return;
    }
    const head = data.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (length === undefined) return this.fail(new Error(`answer without Content-Length: ${head.slice(0, 200)}`));
    const end = headEnd + HEAD_END.length + Number(length);
    if (data.length < end) {
      this.chunks = [data];
      return;
    }
    if (data.length > end) return this.fail(new Error('unrequested bytes after the answer'));
    this.chunks = [];
    this.buffered = 0;
    clearTimeout(this.timer);
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ status: Number(head.slice(9, 12)), body: data.subarray(headEnd + HEAD_END.length) });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    clearTimeout(this.timer);
    this.socket.destroy();
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
