import type { Socket } from 'node:net';
import { encodeMessage, Framer, type Message } from '@seedfleet/wire';
import type { ChunkSource } from './chunk-source';
import { OutgoingBatch } from './outgoing-batch';
import { PeerConnection } from './peer-connection';
import { allFlags, handshakenPair, uniformGeometry } from './testing/loopback';
import { RecordingHandler } from './testing/recording-handler';

/** Counts what reaches the real socket's write paths. */
function countWrites(socket: Socket): { write: number; writev: number; chunksInWritev: number; writevChunks: Buffer[] } {
  const counts = { write: 0, writev: 0, chunksInWritev: 0, writevChunks: [] as Buffer[] };
  const write = socket.write.bind(socket);
  socket.write = ((...args: Parameters<Socket['write']>) => {
    counts.write++;
    return write(...args);
  }) as Socket['write'];
  const internals = socket as unknown as { _writev(chunks: { chunk: Buffer }[], callback: () => void): void };
  const writev = internals._writev.bind(socket);
  internals._writev = (chunks, callback) => {
    counts.writev++;
    counts.chunksInWritev += chunks.length;
    counts.writevChunks.push(...chunks.map((entry) => entry.chunk));
    writev(chunks, callback);
  };
  return counts;
}

async function collect(input: ChunkSource, until: (messages: Message[]) => boolean): Promise<Message[]> {
  const framer = new Framer();
  const messages: Message[] = [];
  return new Promise((resolve) => {
    // A copy: chunks are lent, and this framer's messages are views of what it is fed.
    input.setConsumer((chunk) => {
      messages.push(...framer.feed(Buffer.from(chunk)));
      if (until(messages)) resolve(messages);
    });
  });
}

describe('outgoing batching', () => {
  it('tells when the socket is done with a block: after writing it, or at once on a destroyed socket', async () => {
    const { accepted, outgoing } = await handshakenPair();
    const batch = new OutgoingBatch(accepted.socket, () => undefined);
    const block = Buffer.alloc(16384, 7);
    const arrived = collect(outgoing.input, (received) => received.length >= 1);
    const written = new Promise<void>((resolve) => batch.pushPiece(3, 0, block, resolve));
    await written;
    expect(await arrived).toEqual([{ type: 'piece', index: 3, begin: 0, block }]);
    accepted.socket.destroy();
    let late = 0;
    batch.pushPiece(4, 0, block, () => late++);
    batch.flush();
    expect(late).toBe(1);
    outgoing.socket.destroy();
  });

  it('sends 100 messages queued in one tick with one socket write, in order', async () => {
    const { accepted, outgoing } = await handshakenPair();
    const counts = countWrites(accepted.socket);
    const peer = new PeerConnection({ ...accepted, localFlags: allFlags, handler: new RecordingHandler(), geometry: uniformGeometry(200) });
    for (let index = 0; index < 100; index++) peer.have(index);
    const messages = await collect(outgoing.input, (received) => received.length >= 100);
    expect(messages).toEqual(Array.from({ length: 100 }, (_, index) => ({ type: 'have', index })));
    expect(counts.write).toBe(1);
    peer.close({ code: 'shutdown', message: 'test over' });
  });

  it('sends blocks without copying: one writev per tick carrying header and block chunks', async () => {
    const { accepted, outgoing } = await handshakenPair();
    const counts = countWrites(accepted.socket);
    const handler = new RecordingHandler();
    const peer = new PeerConnection({ ...accepted, localFlags: allFlags, handler, geometry: uniformGeometry(20) });
    peer.unchoke();
    peer.start();
    const done = collect(outgoing.input, (received) => received.filter((message) => message.type === 'piece').length === 4);
    outgoing.socket.write(Buffer.concat([0, 1, 2, 3].map((at) => encodeMessage({ type: 'request', index: 5, begin: at * 16384, length: 16384 }))));
    while (handler.count('request') < 4) await handler.upcoming('request');
    const writesBefore = counts.write;
    const blocks = [0, 1, 2, 3].map((at) => Buffer.alloc(16384, at));
    blocks.forEach((block, at) => expect(peer.sendPiece(5, at * 16384, block)).toBe(true));
    const messages = await done;
    expect(counts.writev).toBe(1);
    // Header, block, four times: the blocks themselves, not copies into a message buffer.
    expect(counts.chunksInWritev).toBe(8);
    blocks.forEach((block, at) => expect(counts.writevChunks[2 * at + 1]).toBe(block));
    expect(counts.write - writesBefore).toBe(8);
    expect(messages.filter((message) => message.type === 'piece')).toEqual(blocks.map((block, at) => ({ type: 'piece', index: 5, begin: at * 16384, block })));
    peer.close({ code: 'shutdown', message: 'test over' });
  });
});
