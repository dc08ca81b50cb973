import { connect, type Socket } from 'node:net';
import { decode, type BDict } from '@seedfleet/bencode';
import { Tracker } from '../core/tracker';
import { DEFAULT_TRACKER_OPTIONS } from '../core/tracker-options';
import { MemorySwarmStore } from '../store/memory-swarm-store';
import { DEFAULT_HTTP_SERVER_LIMITS, okAnswer, startHttpTrackerServer, type RunningServer } from './http-server';
import { HttpTracker } from './http-tracker';

const escape = (bytes: Buffer) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const announce = (peer: number) => `/announce?info_hash=${escape(Buffer.alloc(20, 1))}&peer_id=${escape(Buffer.alloc(20, peer))}&port=${6000 + peer}&left=1`;

interface Answer {
  readonly status: number;
  readonly headers: string;
  readonly body: Buffer;
}

/** A raw client: sends bytes as given, collects answers framed by Content-Length, notices the close. */
class RawClient {
  private readonly socket: Socket;
  private received = Buffer.alloc(0);
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    this.closed = new Promise((resolveClose) => this.socket.on('close', () => resolveClose()));
  }

  send(text: string): void {
    this.socket.write(Buffer.from(text, 'latin1'));
  }

  /** The next `count` answers (HEAD answers have no body: pass their count as heads). */
  async answers(count: number, heads = 0): Promise<Answer[]> {
    for (;;) {
      const parsed = this.parse(count, heads);
      if (parsed) return parsed;
      await Promise.race([new Promise((resolveData) => this.socket.once('data', resolveData)), this.closed]);
      if (this.socket.destroyed && !this.parse(count, heads)) throw new Error(`closed after ${this.received.length} bytes: ${this.received.toString('latin1', 0, 300)}`);
    }
  }

  close(): void {
    this.socket.destroy();
  }

  /** Shuts down the sending side only (FIN), still reading answers. */
  end(): void {
    this.socket.end();
  }

  private parse(count: number, heads: number): Answer[] | undefined {
    const answers: Answer[] = [];
    let offset = 0;
    while (answers.length < count) {
      const end = this.received.indexOf('\r\n\r\n', offset);
      if (end < 0) return undefined;
      const headers = this.received.toString('latin1', offset, end);
      const length = answers.length < heads ? 0 : Number(/content-length: (\d+)/i.exec(headers)?.[1]);
      if (end + 4 + length > this.received.length) return undefined;
      answers.push({ status: Number(headers.slice(9, 12)), headers, body: this.received.subarray(end + 4, end + 4 + length) });
      offset = end + 4 + length;
    }
    return answers;
  }
}

describe('okAnswer', () => {
  it('frames a body of any length as a 200 with its Content-Length', () => {
    for (const length of [0, 1, 9, 10, 99, 100, 345, 1000, 65_536]) {
      const body = Buffer.alloc(length, 0x61);
      expect(okAnswer(body)).toEqual(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n`, 'latin1'), body]));
    }
  });
});

describe('the tracker HTTP server (node:net)', () => {
  let server: RunningServer;
  beforeEach(async () => {
    const tracker = new Tracker(new MemorySwarmStore({ peerTtlMs: 60_000 }), { ...DEFAULT_TRACKER_OPTIONS, access: { kind: 'open' }, minIntervalSeconds: 0 });
    server = await startHttpTrackerServer(new HttpTracker(tracker), '127.0.0.1', 0, { ...DEFAULT_HTTP_SERVER_LIMITS, maxHeadLength: 2048, keepAliveTimeoutMs: 300 });
  });
  afterEach(() => server.close());

  it('answers pipelined requests in order on one kept-alive connection', async () => {
    const client = new RawClient(server.port);
    client.send([1, 2, 3].map((peer) => `GET ${announce(peer)} HTTP/1.1\r\nHost: t\r\n\r\n`).join(''));
    const answers = await client.answers(3);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    for (const answer of answers) expect(answer.headers).toBe(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${answer.body.length}`);
    expect(answers.map((answer) => (decode(answer.body).value as BDict).get('incomplete'))).toEqual([1, 2, 3]);
    expect(answers[0].headers).toMatch(/\r\ncontent-type: text\/plain\r\n/i);
    client.send(`GET ${announce(4)} HTTP/1.1\r\n`);
    client.send('Host: t\r\n\r\n');
    expect((await client.answers(4)).at(-1)?.status).toBe(200);
    client.close();
  });

  it('answers HEAD with the headers only, and closes after Connection: close and HTTP/1.0', async () => {
    const client = new RawClient(server.port);
    client.send(`HEAD ${announce(1)} HTTP/1.1\r\n\r\nGET ${announce(1)} HTTP/1.1\r\nConnection: close\r\n\r\nGET ${announce(2)} HTTP/1.1\r\n\r\n`);
    const [head, get] = await client.answers(2, 1);
    expect(head.status).toBe(200);
    expect(Number(/content-length: (\d+)/i.exec(head.headers)?.[1])).toBe(get.body.length);
    expect(get.headers).toMatch(/connection: close/i);
    await client.closed;
    const old = new RawClient(server.port);
    old.send(`GET ${announce(3)} HTTP/1.0\r\n\r\n`);
    expect((await old.answers(1))[0].status).toBe(200);
    await old.closed;
  });

  it.each([
    ['a POST', 'POST /announce HTTP/1.1\r\nContent-Length: 0\r\n\r\n', 405],
    ['a body', 'GET /announce HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc', 400],
    ['garbage', 'HELLO\r\n\r\n', 400],
    ['a long target', `GET /announce?${'a'.repeat(9000)} HTTP/1.1\r\n\r\n`, 414],
    ['a long head', `GET /announce HTTP/1.1\r\nA: ${'b'.repeat(3000)}\r\n\r\n`, 431],
  ])('refuses %s with a bencoded failure and closes', async (_, text, status) => {
    const client = new RawClient(server.port);
    client.send(text);
    const [answer] = await client.answers(1);
    expect(answer.status).toBe(status);
    expect(String((decode(answer.body).value as BDict).get('failure reason')).length).toBeGreaterThan(3);
    await client.closed;
  });

  it('answers tracker refusals (a 4xx from the tracker) and keeps the connection', async () => {
    const client = new RawClient(server.port);
    client.send(`GET /announce?info_hash=short HTTP/1.1\r\n\r\nGET /nowhere HTTP/1.1\r\n\r\nGET ${announce(1)} HTTP/1.1\r\n\r\n`);
    expect((await client.answers(3)).map((answer) => answer.status)).toEqual([400, 404, 200]);
    client.close();
  });

  it('answers a client that shut down its side right after sending, then closes', async () => {
    const client = new RawClient(server.port);
    client.send(`GET ${announce(1)} HTTP/1.1\r\n\r\nGET ${announce(2)} HTTP/1.1\r\n\r\n`);
    client.end();
    expect((await client.answers(2)).map((answer) => answer.status)).toEqual([200, 200]);
    await client.closed;
  });

  it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
    const client = new RawClient(server.port);
    client.send(`GET ${announce(1)} HTTP/1.1\r\n\r\n`);
    await client.answers(1);
    await client.closed;
  });
});
