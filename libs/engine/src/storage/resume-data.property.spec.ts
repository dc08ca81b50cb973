import fc from 'fast-check';
import { HashPool } from '@seedfleet/hashing';
import type { Metainfo } from '@seedfleet/metainfo';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { Bitfield } from '@seedfleet/wire';
import { decodeResumeData, encodeResumeData } from './resume-data';
import { torrentOnDisk } from './testing/torrent-on-disk';

let pool: HashPool;
let dir: TempDir;
let metainfo: Metainfo;
beforeAll(async () => {
  pool = new HashPool({ size: 1 });
  dir = await createTempDir('seedfleet-resume-data-');
  ({ metainfo } = await torrentOnDisk(dir.path, { name: 'r', version: 'hybrid', pieceLength: 16384, files: [{ path: 'a', size: 100_000 }, { path: 'b', size: 3 }] }, pool));
});
afterAll(async () => {
  await dir.remove();
  await pool.close();
});

const files = [
  { fileIndex: 0, path: 'r/a', exists: true, size: 100_000, mtimeMs: 1_763_700_000_123.4567 },
  { fileIndex: 2, path: 'r/b', exists: true, size: 3, mtimeMs: 1_763_700_000_999.0001 },
];

describe('resume data encoding', () => {
  it('round-trips the bitfield and exact file sizes and mtimes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: metainfo.pieceCount - 1 })), (set) => {
        const have = new Bitfield(metainfo.pieceCount);
        for (const index of set) have.set(index);
        const decoded = decodeResumeData(encodeResumeData(metainfo, have, files), metainfo);
        if (!decoded.ok) throw new Error(decoded.reason);
        expect(decoded.data.have.toWire()).toEqual(have.toWire());
        expect([...decoded.data.files]).toEqual(files.map(({ path, size, mtimeMs }) => [path, { size, mtimeMs }]));
      }),
    );
  });

  it('arbitrary bytes are refused with a reason, never thrown', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(decodeResumeData(Buffer.from(bytes), metainfo)).toMatchObject({ ok: false, reason: expect.any(String) });
      }),
    );
  });

  it('any single changed byte of a valid file is refused', () => {
    const valid = encodeResumeData(metainfo, Bitfield.full(metainfo.pieceCount), files);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 2 }), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const damaged = Buffer.from(valid);
        damaged[at] = (damaged[at] + delta) & 0xff;
        expect(decodeResumeData(damaged, metainfo).ok).toBe(false);
      }),
    );
  });

  it('arbitrary JSON values are refused with a reason, never thrown', () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        expect(decodeResumeData(Buffer.from(json), metainfo).ok).toBe(false);
      }),
    );
  });
});
