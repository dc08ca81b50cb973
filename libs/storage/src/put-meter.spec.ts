import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageError } from './object-store';
import { PROGRESS_INTERVAL_MS, PutMeter } from './put-meter';

async function drain(meter: PutMeter, chunks: Buffer[]): Promise<void> {
  await pipeline(Readable.from(chunks), meter, async (source: AsyncIterable<Buffer>) => {
    for await (const _chunk of source);
  });
}

describe('PutMeter', () => {
  it('hashes and counts what passes', async () => {
    const chunks = [Buffer.from('hello '), Buffer.from('world')];
    const meter = new PutMeter('k', {});
    await drain(meter, chunks);
    expect(meter.byteCount).toBe(11);
    expect(meter.sha256).toBe(createHash('sha256').update('hello world').digest('hex'));
  });

  it('throttles progress by time and always reports the final size', async () => {
    let now = 0;
    const reports: number[] = [];
    const meter = new PutMeter('k', { onProgress: (bytes) => reports.push(bytes) }, () => now);
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(100));
    const source = Readable.from(
      (async function* () {
        for (const chunk of chunks) {
          now += PROGRESS_INTERVAL_MS / 2;
          yield chunk;
        }
      })(),
    );
    await pipeline(source, meter, async (out: AsyncIterable<Buffer>) => {
      for await (const _chunk of out);
    });
    // Every other chunk is due (half an interval each), plus the final report.
    expect(reports).toEqual([200, 400, 600, 800, 1000, 1000]);
  });

  it('fails at the first byte past maxBytes with too-large', async () => {
    const meter = new PutMeter('big/key', { maxBytes: 150 });
    const failure = drain(meter, [Buffer.alloc(100), Buffer.alloc(100)]);
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toMatchObject({ code: 'too-large', key: 'big/key' });
    expect(meter.byteCount).toBe(100);
  });

  it('survives a throwing progress callback', async () => {
    const meter = new PutMeter('k', {
      onProgress: () => {
        throw new Error('ui bug');
      },
    });
    await drain(meter, [Buffer.alloc(10)]);
    expect(meter.byteCount).toBe(10);
  });
});
