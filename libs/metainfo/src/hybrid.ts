import { MetainfoError } from './errors';
import type { TorrentFile } from './model';
import { piecesFor, spaceLength } from './piece-count';

/**
 * A hybrid torrent's v1 file list and v2 file tree must describe the same files in the same order, with
 * pad files placing every non-empty file at the piece boundary where v2 puts it, so that piece i is the
 * same bytes for v1 and v2 peers (BEP 52, "Upgrade path"). Returns the v1 list with the v2 roots attached.
 */
export function mergeHybridFiles(v1Files: TorrentFile[], v2Files: TorrentFile[], pieceLength: number): TorrentFile[] {
  const realFiles = v1Files.map((file, index) => ({ file, index })).filter(({ file }) => !file.pad);
  if (realFiles.length !== v2Files.length) {
    throw new MetainfoError(
      'info.files',
      `lists ${realFiles.length} files (without pad files) but the file tree has ${v2Files.length}`,
    );
  }
  const merged = v1Files.map((file) => ({ ...file }));
  realFiles.forEach(({ file, index }, i) => {
    const treeFile = v2Files[i];
    const field = `info.files[${index}]`;
    if (!samePath(file.path, treeFile.path)) {
      throw new MetainfoError(`${field}.path`, `"${show(file.path)}" differs from the file tree's "${show(treeFile.path)}"`);
    }
    if (file.length !== treeFile.length) {
      throw new MetainfoError(`${field}.length`, `${file.length} differs from the file tree's ${treeFile.length}`);
    }
    if (flags(file.attributes) !== flags(treeFile.attributes) || !samePath(file.symlinkPath, treeFile.symlinkPath)) {
      throw new MetainfoError(`${field}.attr`, `attributes differ from the file tree's for "${show(file.path)}"`);
    }
    if (file.length > 0 && file.offset !== treeFile.offset) {
      throw new MetainfoError(
        field,
        `starts at byte ${file.offset} but v2 places it at ${treeFile.offset}: hybrid torrents need pad files aligning each file to a piece boundary`,
      );
    }
    if (treeFile.piecesRoot) merged[index].piecesRoot = treeFile.piecesRoot;
  });
  const v1Pieces = piecesFor(spaceLength(v1Files), pieceLength);
  const v2Pieces = piecesFor(spaceLength(v2Files), pieceLength);
  if (v1Pieces !== v2Pieces) {
    throw new MetainfoError('info.files', `the v1 layout has ${v1Pieces} pieces but the file tree ${v2Pieces}`);
  }
  return merged;
}

function samePath(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** The BEP 47 attributes that change what a file is; order and unknown characters do not matter. */
function flags(attributes: string): string {
  return ['x', 'h', 'l'].filter((flag) => attributes.includes(flag)).join('');
}

function show(path: string[]): string {
  return path.join('/');
}
