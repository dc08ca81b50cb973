import { readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import { filePieceRange } from '@seedfleet/metainfo';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { Bitfield } from '@seedfleet/wire';
import { FileStore } from './file-store';
import { loadVerifiedPieces, recheck } from './load-verified';
import { MemoryPieceStore } from './memory-store';
import { PieceVerifier } from './piece-verifier';
import { saveResumeData } from './resume-file';
import { type TorrentOnDisk, type TorrentSpec, torrentOnDisk } from './testing/torrent-on-disk';

let pool: HashPool;
let dir: TempDir;
beforeAll(() => (pool = new HashPool({ size: 2 })));
afterAll(() => pool.close());
beforeEach(async () => (dir = await createTempDir('seedfleet-resume-')));
afterEach(() => dir.remove());

// v1 with pieces shared between files: a change to one file must recheck the shared pieces too.
const spec: TorrentSpec = {
  name: 'game',
  version: 'v1',
  pieceLength: 16384,
  files: [
    { path: 'a.pak', size: 50_000 },
    { path: 'b.pak', size: 30_000 },
    { path: 'c.pak', size: 60_000 },
  ],
};

/** A real PieceVerifier that counts the pieces it is asked to hash. */
class CountingVerifier {
  calls = 0;
  constructor(private readonly inner: PieceVerifier) {}
  verify(index: number, data: Buffer): Promise<boolean> {
    this.calls++;
    return this.inner.verify(index, data);
  }
  verifyAndKeep(index: number, data: Buffer): Promise<{ ok: boolean; data: Buffer }> {
    this.calls++;
    return this.inner.verifyAndKeep(index, data);
  }
}

interface Seeded {
  torrent: TorrentOnDisk;
  store: FileStore;
  verifier: CountingVerifier;
  resumePath: string;
  path(file: string): string;
}

async function seeded(preallocate: 'sparse' | 'none' = 'sparse'): Promise<Seeded> {
  const torrent = await torrentOnDisk(dir.path, spec, pool);
  const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory, preallocate });
  const verifier = new CountingVerifier(new PieceVerifier(torrent.metainfo, pool));
  return { torrent, store, verifier, resumePath: join(dir.path, 'state', 'game.resume'), path: (file) => join(torrent.directory, 'game', file) };
}

const setBits = (have: Bitfield): number[] => Array.from({ length: have.size }, (_, i) => i).filter((i) => have.has(i));
const range = (first: number, end: number): number[] => Array.from({ length: end - first }, (_, i) => first + i);
const allPieces = (torrent: TorrentOnDisk): number[] => range(0, torrent.metainfo.pieceCount);

/** Saves resume data for a complete, verified seed and returns a fresh verifier count. */
async function saveComplete(s: Seeded): Promise<void> {
  await s.store.open();
  const checked = await recheck({ metainfo: s.torrent.metainfo, store: s.store, verifier: s.verifier });
  expect(checked.have.isFull).toBe(true);
  await saveResumeData(s.resumePath, { metainfo: s.torrent.metainfo, have: checked.have, store: s.store });
  await s.store.close();
  s.verifier.calls = 0;
}

async function load(s: Seeded, extra: { onProgress?(checked: number, total: number): void; signal?: AbortSignal } = {}) {
  await s.store.open();
  try {
    return await loadVerifiedPieces({ metainfo: s.torrent.metainfo, store: s.store, verifier: s.verifier, resumePath: s.resumePath, ...extra });
  } finally {
    await s.store.close();
  }
}

describe('loadVerifiedPieces', () => {
  it('without resume data hashes every piece, reporting progress up to the total', async () => {
    const s = await seeded();
    const progress: [number, number][] = [];
    const result = await load(s, { onProgress: (checked, total) => progress.push([checked, total]) });
    expect(result).toMatchObject({ checkedPieces: s.torrent.metainfo.pieceCount, trustedPieces: 0, resumeIgnored: 'no resume file' });
    expect(result.have.isFull).toBe(true);
    expect(s.verifier.calls).toBe(s.torrent.metainfo.pieceCount);
    expect(progress[0]).toEqual([0, 9]);
    expect(progress.at(-1)).toEqual([9, 9]);
    expect(progress.map(([checked]) => checked)).toEqual(range(0, 10));
  });

  it('trusts a valid resume file: no piece hashed', async () => {
    const s = await seeded();
    await saveComplete(s);
    const result = await load(s);
    expect(result).toMatchObject({ checkedPieces: 0, trustedPieces: 9, resumeIgnored: undefined });
    expect(result.have.isFull).toBe(true);
    expect(s.verifier.calls).toBe(0);
  });

  it('a file whose mtime changed gets only its pieces (shared ones included) rechecked', async () => {
    const s = await seeded();
    await saveComplete(s);
    await utimes(s.path('b.pak'), new Date(), new Date(Date.now() + 5000));
    const result = await load(s);
    const { first, end } = filePieceRange(s.torrent.metainfo, 1);
    expect([first, end]).toEqual([3, 5]); // b.pak is bytes 50,000-80,000: pieces 3 and 4, both shared
    expect(result).toMatchObject({ checkedPieces: 2, trustedPieces: 7 });
    expect(s.verifier.calls).toBe(2);
    expect(result.have.isFull).toBe(true);
  });

  it.each(['sparse', 'none'] as const)('a truncated file is detected (preallocate %s): only the pieces it still holds remain', async (preallocate) => {
    const s = await seeded(preallocate);
    await saveComplete(s);
    await truncate(s.path('c.pak'), 20_000);
    const result = await load(s);
    // c.pak is bytes 80,000-140,000 (pieces 4-8); 100,000 bytes survive: pieces 0-5 hold only surviving bytes.
    expect(setBits(result.have)).toEqual(range(0, 6));
    expect(result.trustedPieces).toBe(4);
    expect(result.checkedPieces).toBeLessThanOrEqual(5);
  });

  it('a modified file is detected: the changed piece is absent, the rest kept', async () => {
    const s = await seeded();
    await saveComplete(s);
    const bytes = await readFile(s.path('a.pak'));
    bytes[20_000] ^= 0xff; // piece 1
    await writeFile(s.path('a.pak'), bytes);
    const result = await load(s);
    expect(setBits(result.have)).toEqual(allPieces(s.torrent).filter((i) => i !== 1));
    expect(result.checkedPieces).toBe(4); // a.pak: pieces 0-3
  });

  it.each(['emptied', 'deleted'])('a file %s: its pieces are absent, not an error', async (how) => {
    const s = await seeded('none');
    await saveComplete(s);
    await (how === 'deleted' ? rm(s.path('b.pak')) : writeFile(s.path('b.pak'), ''));
    const result = await load(s);
    expect(setBits(result.have)).toEqual([0, 1, 2, 5, 6, 7, 8]);
  });

  it('recheck ignores resume data: it finds a change whose mtime was put back', async () => {
    const s = await seeded();
    await saveComplete(s);
    const before = await stat(s.path('c.pak'));
    const bytes = await readFile(s.path('c.pak'));
    bytes[59_999] ^= 1; // the last piece
    await writeFile(s.path('c.pak'), bytes);
    await utimes(s.path('c.pak'), before.atime, before.mtime);
    await s.store.open();
    const result = await recheck({ metainfo: s.torrent.metainfo, store: s.store, verifier: s.verifier });
    await s.store.close();
    expect(setBits(result.have)).toEqual(range(0, 8));
    expect(result.checkedPieces).toBe(9);
  });

  it('refuses resume data of another torrent, with the reason, and hashes everything', async () => {
    const s = await seeded();
    await saveComplete(s);
    const other = await torrentOnDisk(join(dir.path, 'other'), { ...spec, files: [{ path: 'x', size: 1000 }] }, pool);
    const store = new FileStore({ metainfo: other.metainfo, directory: other.directory });
    await store.open();
    const result = await loadVerifiedPieces({ metainfo: other.metainfo, store, verifier: new PieceVerifier(other.metainfo, pool), resumePath: s.resumePath });
    await store.close();
    expect(result.resumeIgnored).toMatch(/^it is for info hash [0-9a-f]{40}, not [0-9a-f]{40}$/);
    expect(result).toMatchObject({ checkedPieces: 1, trustedPieces: 0 });
  });

  it.each([
    ['garbage', () => Buffer.from('\x00\x01 not json'), /^not JSON/],
    ['empty', () => Buffer.alloc(0), /^not JSON/],
    ['another format', () => Buffer.from('{"format":"x"}'), /not a seedfleet resume file/],
    ['a newer version', () => Buffer.from('{"format":"seedfleet-resume","version":2}'), /version 2/],
    ['a damaged bitfield', (saved: Buffer) => Buffer.from(saved.toString().replace(/"have":"(.)/, (_m, c: string) => `"have":"${c === 'A' ? 'B' : 'A'}`)), /checksum mismatch/],
    ['a truncated file', (saved: Buffer) => saved.subarray(0, saved.length >> 1), /^not JSON/],
  ])('ignores %s resume data with a reason and hashes everything', async (_case, damage, reason) => {
    const s = await seeded();
    await saveComplete(s);
    await writeFile(s.resumePath, damage(await readFile(s.resumePath)));
    const result = await load(s);
    expect(result.resumeIgnored).toMatch(reason);
    expect(result).toMatchObject({ checkedPieces: 9, trustedPieces: 0 });
    expect(result.have.isFull).toBe(true);
  });

  it('a fresh download hashes nothing: files open() just created hold no data', async () => {
    const s = await seeded();
    const store = new FileStore({ metainfo: s.torrent.metainfo, directory: join(dir.path, 'fresh') });
    await store.open();
    const result = await loadVerifiedPieces({ metainfo: s.torrent.metainfo, store, verifier: s.verifier, resumePath: join(dir.path, 'fresh.resume') });
    await store.close();
    expect(result).toMatchObject({ checkedPieces: 0, trustedPieces: 0 });
    expect(result.have.isEmpty).toBe(true);
    expect(s.verifier.calls).toBe(0);
  });

  it('restart after a crash: saved pieces trusted, pieces written after the save found by rechecking changed files', async () => {
    const s = await seeded();
    const metainfo = s.torrent.metainfo;
    const directory = join(dir.path, 'download');
    const first = new FileStore({ metainfo, directory });
    await first.open();
    const have = new Bitfield(metainfo.pieceCount);
    for (const index of [0, 1, 2, 3]) {
      await first.writePiece(index, Buffer.from(s.torrent.pieces[index]));
      have.set(index);
    }
    await saveResumeData(s.resumePath, { metainfo, have, store: first });
    await first.writePiece(7, Buffer.from(s.torrent.pieces[7])); // after the save, then the process dies
    await first.close();

    const second = new FileStore({ metainfo, directory });
    await second.open();
    const result = await loadVerifiedPieces({ metainfo, store: second, verifier: s.verifier, resumePath: s.resumePath });
    await second.close();
    expect(setBits(result.have)).toEqual([0, 1, 2, 3, 7]);
    // Only c.pak changed after the save: its pieces 4-8 are hashed, a.pak's 0-3 trusted.
    expect(result).toMatchObject({ trustedPieces: 4, checkedPieces: 5 });
  });

  it('saves atomically: no temporary file left, and a second save replaces the first', async () => {
    const s = await seeded();
    await saveComplete(s);
    await s.store.open();
    await saveResumeData(s.resumePath, { metainfo: s.torrent.metainfo, have: new Bitfield(9), store: s.store });
    await s.store.close();
    expect(await readdir(join(dir.path, 'state'))).toEqual(['game.resume']);
    const result = await load(s);
    expect(result).toMatchObject({ checkedPieces: 0, trustedPieces: 0 });
  });

  it('stops when aborted, with the signal reason', async () => {
    const s = await seeded();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    await s.store.open();
    const loading = loadVerifiedPieces({
      metainfo: s.torrent.metainfo,
      store: s.store,
      verifier: s.verifier,
      maxBytesInFlight: 16384, // two pieces in flight
      onProgress: (checked) => checked === 2 && controller.abort(reason),
      signal: controller.signal,
    });
    await expect(loading).rejects.toBe(reason);
    await s.store.close();
    // The two workers stop at their next step: at most the piece each had in hand gets hashed.
    expect(s.verifier.calls).toBeLessThanOrEqual(4);
  });

  it('gives the same answer with a verifier that cannot hand buffers back (no buffer reuse)', async () => {
    const s = await seeded();
    const bytes = await readFile(s.path('b.pak'));
    bytes[0] ^= 1; // piece 3, shared by a.pak and b.pak
    await writeFile(s.path('b.pak'), bytes);
    const inner = new PieceVerifier(s.torrent.metainfo, pool);
    await s.store.open();
    const result = await recheck({ metainfo: s.torrent.metainfo, store: s.store, verifier: { verify: (index, data) => inner.verify(index, data) } });
    await s.store.close();
    expect(setBits(result.have)).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
  });

  it.each(['v2', 'hybrid'] as const)('%s layout: recheck finds every piece, then exactly the one a changed byte spoils', async (version) => {
    const torrent = await torrentOnDisk(dir.path, { ...spec, version }, pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    const verifier = new PieceVerifier(torrent.metainfo, pool);
    await store.open();
    const clean = await recheck({ metainfo: torrent.metainfo, store, verifier });
    expect(clean.have.isFull).toBe(true);
    const path = join(torrent.directory, 'game', 'c.pak');
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 1; // c.pak's last, short piece
    await writeFile(path, bytes);
    const spoiled = await recheck({ metainfo: torrent.metainfo, store, verifier });
    await store.close();
    expect(setBits(spoiled.have)).toEqual(allPieces(torrent).slice(0, -1));
  });

  it('over a memory store (no file states) hashes everything and finds corrupt and dropped pieces', async () => {
    const s = await seeded();
    const store = new MemoryPieceStore(s.torrent.metainfo, Buffer.concat(s.torrent.pieces));
    store.corrupt(2);
    store.drop(5);
    await saveResumeData(s.resumePath, { metainfo: s.torrent.metainfo, have: Bitfield.full(9), store });
    const result = await loadVerifiedPieces({ metainfo: s.torrent.metainfo, store, verifier: s.verifier, resumePath: s.resumePath });
    expect(result.resumeIgnored).toBe('the store cannot report file sizes and mtimes');
    expect(setBits(result.have)).toEqual([0, 1, 3, 4, 6, 7, 8]);
    expect(result.checkedPieces).toBe(8);
  });
});
