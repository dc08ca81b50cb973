import type { TorrentVersion } from '../model';
import { CreateTorrentError } from './create-error';
import type { CreateSourceFile } from './create-options';
import { TorrentLayout } from './layout';

const PIECE = 16384;
const source = (path: string, length: number): CreateSourceFile => ({ path: path.split('/'), length, async *open() {} });

/** Lays out `files` (in order) and renders each planned file as "path:length@offset", pads as "pad:length". */
function laidOut(version: TorrentVersion, files: [string, number][]): { added: string[][]; finished: string[]; pieceCount: number } {
  const layout = new TorrentLayout(version, PIECE);
  const render = (file: { path: readonly string[]; length: number; offset: number; attributes: string }): string =>
    file.attributes === 'p' ? `pad:${file.length}` : `${file.path.join('/')}:${file.length}@${file.offset}`;
  const added = files.map(([path, length]) => layout.add(source(path, length)).map(render));
  const finished = layout.finish().map(render);
  return { added, finished, pieceCount: layout.plan('t', false).pieceCount };
}

describe('TorrentLayout', () => {
  it.each<[TorrentVersion, [string, number][], string[][], string[], number]>([
    ['v1', [['a', 10], ['b', PIECE]], [['a:10@0'], [`b:${PIECE}@10`]], [], 2],
    // A hybrid's first file waits for the second: with only one file there are no pad files.
    ['hybrid', [['a', 10]], [[]], ['a:10@0'], 1],
    ['hybrid', [['a', 10], ['b', PIECE], ['c', 0], ['d', 1]], [[], ['a:10@0', `pad:${PIECE - 10}`, `b:${PIECE}@${PIECE}`], [`c:0@${2 * PIECE}`], [`d:1@${2 * PIECE}`, `pad:${PIECE - 1}`]], [], 3],
    // v2 aligns each file to a piece boundary without pad files.
    ['v2', [['a', 10], ['b', PIECE + 1], ['c', 0]], [['a:10@0'], [`b:${PIECE + 1}@${PIECE}`], [`c:0@${3 * PIECE}`]], [], 3],
  ])('%s %j', (version, files, added, finished, pieceCount) => {
    expect(laidOut(version, files)).toEqual({ added, finished, pieceCount });
  });

  it('tracks the files and bytes so far', () => {
    const layout = new TorrentLayout('v1', PIECE);
    layout.add(source('a', 5));
    layout.add(source('b', 7));
    expect(layout.totalSize).toBe(12);
    expect(layout.files.map((file) => file.path.join('/'))).toEqual(['a', 'b']);
  });

  it.each<[TorrentVersion, string, string]>([
    ['v1', 'a0', 'a/b'],
    ['v1', 'a/b', 'a.txt'],
    ['hybrid', 'a b', 'a/b'],
    ['v2', 'b', 'a'],
  ])('%s refuses %s before %s: files must come in torrent order', (version, first, second) => {
    const layout = new TorrentLayout(version, PIECE);
    layout.add(source(first, 1));
    expect(() => layout.add(source(second, 1))).toThrow(/out of torrent order/);
  });

  it('refuses a plan without files or without data', () => {
    expect(() => new TorrentLayout('v1', PIECE).plan('t', false)).toThrow(new CreateTorrentError('files', 'there must be at least one file'));
    const empty = new TorrentLayout('v1', PIECE);
    empty.add(source('a', 0));
    expect(() => empty.plan('t', false)).toThrow(/hold no data/);
  });
});
