import fc from 'fast-check';
import { encodeMessage, encodePieceHeader } from './encode';
import { decodeExtensionHandshake, encodeExtensionHandshake } from './extension-handshake';
import { Framer } from './framer';
import { encodeHandshake, HANDSHAKE_LENGTH, parseHandshake } from './handshake';
import type { Message } from './message';
import { decodeMetadataMessage, encodeMetadataMessage } from './ut-metadata';
import { decodePexMessage, encodePexMessage } from './ut-pex';

const infoHash = Buffer.alloc(20, 0x5a);
const peerId = Buffer.from('-SF0001-000000000001');
const block = Buffer.alloc(16 * 1024, 0x42);
const metadata = Buffer.alloc(100, 0x64);
const pex = { added: [{ host: '10.1.2.3', port: 51413, flags: 0x12 }, { host: '2001:db8::9', port: 6881, flags: 0 }], dropped: [] };

/** What one side of a connection writes, in order, the piece block as its own write (writev). */
function conversation(): Buffer[] {
  return [
    encodeHandshake({ flags: { extensionProtocol: true, fastExtension: true, dht: true }, infoHash, peerId }),
    encodeMessage({
      type: 'extended',
      id: 0,
      payload: encodeExtensionHandshake({ m: new Map([['ut_metadata', 3], ['ut_pex', 1]]), metadataSize: metadata.length, reqq: 250, unknown: new Map() }),
    }),
    encodeMessage({ type: 'have-all' }),
    encodeMessage({ type: 'allowed-fast', index: 4 }),
    encodeMessage({ type: 'extended', id: 3, payload: encodeMetadataMessage({ type: 'data', piece: 0, totalSize: metadata.length, data: metadata }) }),
    encodeMessage({ type: 'extended', id: 1, payload: encodePexMessage(pex) }),
    encodeMessage({ type: 'unchoke' }),
    encodePieceHeader(4, 16384, block.length),
    block,
    encodeMessage({ type: 'keep-alive' }),
  ];
}

/** The receiving side: handshake first, then the framer, then the extension payloads. */
function receive(chunks: Buffer[]): { handshake: ReturnType<typeof parseHandshake>; messages: Message[] } {
  let pending = Buffer.alloc(0);
  let handshake: ReturnType<typeof parseHandshake>;
  const framer = new Framer({ pieceCount: 10 });
  const messages: Message[] = [];
  for (const chunk of chunks) {
    if (handshake === undefined) {
      pending = Buffer.concat([pending, chunk]);
      handshake = parseHandshake(pending);
      if (handshake !== undefined) messages.push(...framer.feed(pending.subarray(HANDSHAKE_LENGTH)));
    } else {
      messages.push(...framer.feed(chunk));
    }
  }
  return { handshake, messages };
}

describe('a connection piped to itself', () => {
  it('delivers the handshake, messages and extension payloads whatever the TCP segmentation', () => {
    const stream = Buffer.concat(conversation());
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 30, size: 'max' }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const { handshake, messages } = receive(points.slice(1).map((end, index) => stream.subarray(points[index], end)));
        expect(handshake).toMatchObject({ infoHash, peerId, flags: { extensionProtocol: true, fastExtension: true, dht: true, v2Upgrade: false } });
        expect(messages.map((message) => message.type)).toEqual([
          'extended', 'have-all', 'allowed-fast', 'extended', 'extended', 'unchoke', 'piece', 'keep-alive',
        ]);
        const [extensions, , , metadataMessage, pexMessage, , piece] = messages;
        if (extensions.type !== 'extended' || metadataMessage.type !== 'extended' || pexMessage.type !== 'extended') throw new Error('not extended');
        expect(decodeExtensionHandshake(extensions.payload)).toMatchObject({ m: new Map([['ut_metadata', 3], ['ut_pex', 1]]), metadataSize: 100, reqq: 250 });
        expect(decodeMetadataMessage(metadataMessage.payload)).toEqual({ type: 'data', piece: 0, totalSize: 100, data: metadata });
        expect(decodePexMessage(pexMessage.payload)).toEqual(pex);
        expect(piece).toEqual({ type: 'piece', index: 4, begin: 16384, block });
      }),
      { numRuns: 200 },
    );
  });
});
