import { createSocket } from 'node:dgram';
import { type BEncodable, encode } from '@seedfleet/bencode';
import fc from 'fast-check';
import { EventLog } from '../testing/event-log';
import { DhtDiscovery } from './dht-discovery';
import { decodeKrpcMessage, encodeKrpcMessage } from './krpc-guard';

// KRPC-shaped values: the field names bittorrent-dht reads, with values of every type.
const fieldNames = ['t', 'y', 'q', 'a', 'r', 'e', 'id', 'target', 'info_hash', 'token', 'port', 'implied_port', 'nodes', 'values', 'v', 'k', 'seq', '__proto__'];
const leaf = fc.oneof(
  fc.integer({ min: -5, max: 70_000 }),
  fc.constantFrom('q', 'r', 'e', 'ping', 'find_node', 'get_peers', 'announce_peer', 'get', 'put'),
  fc.uint8Array({ maxLength: 26 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.alloc(20, 7)),
);
const krpcValue: fc.Arbitrary<BEncodable> = fc.letrec<{ value: BEncodable }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...fieldNames), tie('value'), { maxKeys: 6 })),
})).value;
const krpcMessage = fc.record(
  { t: leaf, y: fc.constantFrom('q', 'r', 'e'), q: leaf, a: krpcValue, r: krpcValue, e: krpcValue },
  { requiredKeys: ['y'] },
) as fc.Arbitrary<BEncodable>;

describe('KRPC guard', () => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeKrpcMessage(bytes);
        return result.rejected !== undefined || typeof result.message === 'object';
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts well-formed BEP 5 queries and answers, and re-encodes them byte for byte', () => {
    const id = Buffer.alloc(20, 1);
    const messages = [
      { t: 'aa', y: 'q', q: 'ping', a: { id } },
      { t: 'aa', y: 'q', q: 'announce_peer', a: { id, info_hash: id, port: 6881, token: 'tok', implied_port: 0 } },
      { t: 'aa', y: 'r', r: { id, nodes: Buffer.alloc(26), token: 'x', values: [Buffer.alloc(6)] } },
      { t: 'aa', y: 'e', e: [201, 'A Generic Error Ocurred'] },
    ];
    for (const message of messages) {
      const bytes = encode(message);
      const decoded = decodeKrpcMessage(bytes);
      expect(decoded.rejected).toBeUndefined();
      expect(encodeKrpcMessage(decoded.message ?? {})).toEqual(bytes);
    }
  });

  it('a real node survives arbitrary KRPC-shaped datagrams and still answers pings', async () => {
    const rejected = new EventLog<string>();
    const node = await DhtDiscovery.start({ peerPort: 1, host: '127.0.0.1', bootstrap: [], onRejected: rejected.push });
    const sender = createSocket('udp4');
    const pongs = new EventLog<string>();
    sender.on('message', (datagram) => {
      const answer = decodeKrpcMessage(datagram).message;
      const id = (answer?.r as { id?: Buffer } | undefined)?.id;
      if (answer !== undefined && id?.equals(node.nodeId)) pongs.push((answer.t as Buffer).toString());
    });
    await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
    const send = (message: BEncodable) => new Promise<void>((resolve) => sender.send(encode(message), node.port, '127.0.0.1', () => resolve()));
    try {
      const messages = fc.sample(krpcMessage, 1500);
      // Batches small enough for the socket buffer; a ping after each proves the node is still alive.
      for (let batch = 0; batch * 100 < messages.length; batch++) {
        for (const message of messages.slice(batch * 100, (batch + 1) * 100)) await send(message);
        await send({ t: `p${batch}`, y: 'q', q: 'ping', a: { id: Buffer.alloc(20, 9) } });
        await pongs.waitFor((t) => t === `p${batch}`, `pong ${batch}`);
      }
      expect(rejected.events.length).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => sender.close(() => resolve()));
      await node.close();
    }
  });
});
