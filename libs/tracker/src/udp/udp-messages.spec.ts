import fc from 'fast-check';
import { decodeUdpRequest, PROTOCOL_ID } from './udp-messages';

function connect(transactionId: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeBigUInt64BE(PROTOCOL_ID, 0);
  out.writeUInt32BE(0, 8);
  out.writeUInt32BE(transactionId, 12);
  return out;
}

function announce(fields: { event?: number; numWant?: number; left?: bigint; extra?: number } = {}): Buffer {
  const out = Buffer.alloc(98 + (fields.extra ?? 0));
  out.fill(7, 0, 8);
  out.writeUInt32BE(1, 8);
  out.writeUInt32BE(99, 12);
  out.fill(0xaa, 16, 36);
  out.fill(0xbb, 36, 56);
  out.writeBigInt64BE(fields.left ?? 5n, 64);
  out.writeUInt32BE(fields.event ?? 2, 80);
  out.writeInt32BE(fields.numWant ?? -1, 92);
  out.writeUInt16BE(6881, 96);
  return out;
}

describe('decodeUdpRequest', () => {
  it('decodes connect only with the protocol id', () => {
    expect(decodeUdpRequest(connect(42))).toEqual({ action: 'connect', transactionId: 42 });
    const wrong = connect(42);
    wrong[0] ^= 1;
    expect(decodeUdpRequest(wrong)).toBeUndefined();
  });

  it('decodes announce fields, with BEP 41 options after them', () => {
    expect(decodeUdpRequest(announce({ extra: 10 }))).toMatchObject({ action: 'announce', transactionId: 99, event: 'started', numWant: -1, left: 5n, port: 6881, infoHash: Buffer.alloc(20, 0xaa), peerId: Buffer.alloc(20, 0xbb) });
    expect(decodeUdpRequest(announce().subarray(0, 97))).toBeUndefined();
    expect(decodeUdpRequest(announce({ event: 4 }))).toBeUndefined();
  });

  it('decodes scrape with one or more whole info hashes', () => {
    const scrape = Buffer.alloc(16 + 40);
    scrape.writeUInt32BE(2, 8);
    expect(decodeUdpRequest(scrape)).toMatchObject({ action: 'scrape', infoHashes: [Buffer.alloc(20), Buffer.alloc(20)] });
    expect(decodeUdpRequest(scrape.subarray(0, 16 + 30))).toBeUndefined();
    expect(decodeUdpRequest(scrape.subarray(0, 16))).toBeUndefined();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      decodeUdpRequest(Buffer.from(bytes));
    }));
  });
});
