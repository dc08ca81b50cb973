import { encode } from '@seedfleet/bencode';
import { encodeFileList } from './info-dict';
import type { PlannedFile } from './plan';

/** What the generic encoder writes for a v1 file list (the reference the fast path must equal). */
function generic(files: readonly PlannedFile[]): Buffer {
  return encode(
    files.map((file) => ({
      ...(file.attributes === '' ? {} : { attr: file.attributes }),
      length: file.length,
      path: [...file.path],
      ...(file.symlinkPath === undefined ? {} : { 'symlink path': [...file.symlinkPath] }),
    })),
  );
}

function planned(path: string[], length: number, attributes = '', symlinkPath?: string[]): PlannedFile {
  return { path, length, attributes, symlinkPath, offset: 0, paddedToPiece: false };
}

describe('encodeFileList', () => {
  it('writes what the generic encoder writes: directories shared and not, attributes, pads, non-ASCII names', () => {
    const files = [
      planned(['a.txt'], 0),
      planned(['dir', 'x.bin'], 12_345, 'x'),
      planned(['.pad', '16371'], 16_371, 'p'),
      planned(['dir', 'y'], 1),
      planned(['dir', 'sub', 'é 日本.bin'], 2 ** 40, 'xh'),
      planned(['dir', 'sub', '😀'], 7),
      planned(['dirz', 'sub', 'a'], 3),
      planned(['e'], 9_007_199_254_740_991),
    ];
    expect(encodeFileList(files).bytes).toEqual(generic(files));
  });

  it('leaves symlinks to the generic encoder', () => {
    const files = [planned(['a'], 5), planned(['link'], 0, 'l', ['target', 'é'])];
    expect(encodeFileList(files).bytes).toEqual(generic(files));
  });

  it('refuses a name with a lone surrogate as the generic encoder does', () => {
    const files = [planned(['ok'], 1), planned(['dir', 'bad\uD800'], 1)];
    expect(() => generic(files)).toThrow(/lone surrogate/);
    expect(() => encodeFileList(files)).toThrow(/lone surrogate/);
  });
});
