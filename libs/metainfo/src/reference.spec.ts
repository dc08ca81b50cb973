import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytes, piecesRoot } from '../test/torrent-fixtures';
import { parseTorrent, pieceRange, pieceSize, pieceSpans, v2PieceLocation } from './index';

// Torrents written by libtorrent 2.0.8, mktorrent and transmission-create over deterministic content,
// with the info hashes and layouts libtorrent reads from them (test/reference/make.py regenerates both).
const directory = join(__dirname, '../test/reference');
const expected: Record<string, { infoHashV1: string | null; infoHashV2: string | null; pieceCount: number; pieceLength: number; files: [string, number, number][] }> =
  JSON.parse(readFileSync(join(directory, 'expected.json'), 'utf8'));
const content: Record<string, Buffer> = { 'a.bin': bytes(100000, 1), 'dir/b.bin': bytes(1000, 2), 'dir/empty': bytes(0), 'z.bin': bytes(40000, 3) };

describe.each(readdirSync(directory).filter((file) => file.endsWith('.torrent')))('reference torrent %s', (file) => {
  const metainfo = parseTorrent(readFileSync(join(directory, file)), { requirePieceLayers: true });
  const reference = expected[file];
  const data = metainfo.files.map((f) => (f.pad ? Buffer.alloc(f.length) : content[f.path.join('/')]));

  it('has the info hashes, piece count and layout libtorrent reads', () => {
    expect(metainfo.infoHashV1?.toString('hex') ?? null).toBe(reference.infoHashV1);
    expect(metainfo.infoHashV2?.toString('hex') ?? null).toBe(reference.infoHashV2);
    expect([metainfo.pieceCount, metainfo.pieceLength]).toEqual([reference.pieceCount, reference.pieceLength]);
    const layout = metainfo.files.filter((f) => !f.pad).map((f) => [`content/${f.path.join('/')}`, f.offset, f.length]);
    expect(layout).toEqual(reference.files);
  });

  it('has pieces roots matching the content', () => {
    for (const [index, f] of metainfo.files.entries()) {
      if (f.piecesRoot) expect(f.piecesRoot).toEqual(piecesRoot(data[index]));
    }
  });

  it('has piece hashes matching the bytes its piece spans point at', () => {
    for (let index = 0; index < metainfo.pieceCount; index++) {
      const piece = Buffer.alloc(pieceSize(metainfo, index));
      const { start } = pieceRange(metainfo, index);
      for (const span of pieceSpans(metainfo, index)) {
        data[span.fileIndex].copy(piece, metainfo.files[span.fileIndex].offset + span.fileOffset - start, span.fileOffset, span.fileOffset + span.length);
      }
      if (metainfo.pieces) {
        expect(createHash('sha1').update(piece).digest()).toEqual(metainfo.pieces.subarray(index * 20, index * 20 + 20));
      }
      if (metainfo.infoHashV2) {
        const { fileIndex, filePiece } = v2PieceLocation(metainfo, index);
        const owner = metainfo.files[fileIndex];
        const layer = metainfo.pieceLayers.get(owner.piecesRoot!.toString('hex'));
        const hash = layer ? layer.subarray(filePiece * 32, filePiece * 32 + 32) : owner.piecesRoot;
        const pieceData = piece.subarray(0, pieceSpans(metainfo, index)[0].length);
        expect(pieceHash(pieceData, layer ? metainfo.pieceLength : pieceData.length)).toEqual(hash);
      }
    }
  });
});

/** v2 piece hash: merkle root of the piece's 16 KiB blocks, zero-padded to `span` bytes worth of leaves. */
function pieceHash(data: Buffer, span: number): Buffer {
  const blocks = Math.max(1, Math.ceil(span / 16384));
  let width = 1;
  while (width < blocks) width *= 2;
  let level: Buffer[] = [];
  for (let i = 0; i < width; i++) {
    const block = data.subarray(i * 16384, (i + 1) * 16384);
    level.push(block.length > 0 ? createHash('sha256').update(block).digest() : Buffer.alloc(32));
  }
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(createHash('sha256').update(level[i]).update(level[i + 1]).digest());
    level = next;
  }
  return level[0];
}
