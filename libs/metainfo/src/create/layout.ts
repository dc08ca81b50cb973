import type { TorrentVersion } from '../model';
import { CreateTorrentError } from './create-error';
import type { CreateSourceFile } from './create-options';
import { orderKey } from './file-order';
import type { CreationPlan, PlannedFile } from './plan';

/**
 * Lays the files out one at a time, in torrent order, like libtorrent 2.0 (v2, hybrid) or mktorrent
 * (v1), so a directory can be hashed while it is still being walked. For hybrids with more than one
 * file, every non-empty file is followed by a pad file up to the next piece boundary, the last one
 * included (libtorrent's canonicalize); a file ending on a boundary gets none. Whether there is more than
 * one file is only known at the second, so the first file is held back until then.
 */
export class TorrentLayout {
  private readonly laidOut: PlannedFile[] = [];
  private held: CreateSourceFile | undefined;
  private count = 0;
  private offset = 0;
  private spaceEnd = 0;
  private lastKey: string | undefined;
  private totalBytes = 0;

  constructor(
    readonly version: TorrentVersion,
    readonly pieceLength: number,
  ) {}

  /** The files laid out so far, pads included. */
  get files(): readonly PlannedFile[] {
    return this.laidOut;
  }

  /** File bytes added so far. */
  get totalSize(): number {
    return this.totalBytes;
  }

  /** Adds the next file (they must come in torrent order); returns the files, pads included, now laid out for good. */
  add(source: CreateSourceFile): PlannedFile[] {
    const key = orderKey(source.path, this.version);
    if (this.lastKey !== undefined && key <= this.lastKey) throw new Error(`internal: files reached the layout out of torrent order at ${source.path.join('/')}`);
    this.lastKey = key;
    this.count++;
    this.totalBytes += source.length;
    if (this.count === 1 && this.version === 'hybrid') {
      this.held = source;
      return [];
    }
    const placed = this.held === undefined ? [] : this.place(this.held);
    this.held = undefined;
    return placed.concat(this.place(source));
  }

  /** Call after the last add(): the files still held back. */
  finish(): PlannedFile[] {
    const placed = this.held === undefined ? [] : this.place(this.held);
    this.held = undefined;
    return placed;
  }

  /** After finish(): the whole layout. */
  plan(name: string, single: boolean): CreationPlan {
    if (this.count === 0) throw new CreateTorrentError('files', 'there must be at least one file');
    if (this.totalBytes === 0) throw new CreateTorrentError('files', 'hold no data; a torrent needs at least one non-empty file');
    if (!Number.isSafeInteger(this.totalBytes)) throw new CreateTorrentError('files', `total size ${this.totalBytes} is too large`);
    const spaceEnd = this.version === 'v2' ? this.spaceEnd : this.offset;
    return { version: this.version, name, pieceLength: this.pieceLength, single, files: this.laidOut, totalSize: this.totalBytes, pieceCount: Math.ceil(spaceEnd / this.pieceLength) };
  }

  private place(source: CreateSourceFile): PlannedFile[] {
    const attributes = (source.attributes ?? '') + (source.symlinkPath ? 'l' : '');
    const pieceLength = this.pieceLength;
    const gap = this.version === 'v1' ? 0 : (pieceLength - (source.length % pieceLength)) % pieceLength;
    const padded = this.version === 'hybrid' && this.count > 1 && source.length > 0 && gap > 0;
    const file: PlannedFile = { path: source.path, length: source.length, attributes, symlinkPath: source.symlinkPath, source, offset: this.offset, paddedToPiece: padded };
    const placed = [file];
    this.offset += source.length;
    if (padded) placed.push({ path: ['.pad', String(gap)], length: gap, attributes: 'p', offset: this.offset, paddedToPiece: false });
    // v2 files start on piece boundaries too, but the gaps are virtual: no pad file in the list.
    this.offset += gap;
    this.spaceEnd = Math.max(this.spaceEnd, file.offset + Math.ceil(file.length / pieceLength) * pieceLength);
    for (const entry of placed) this.laidOut.push(entry);
    return placed;
  }
}
