/**
 * A .torrent file or magnet link that cannot be used. `field` names where the problem is, as a dotted
 * path through the metainfo ('info.piece length', 'info.files[2].path', 'info.file tree.a/b.length',
 * 'magnet.xt'), so a person can find it in the file.
 */
export class MetainfoError extends Error {
  override readonly name = 'MetainfoError';
  readonly field: string;

  constructor(field: string, problem: string, options?: { cause?: unknown }) {
    super(`${field}: ${problem}`, options);
    this.field = field;
  }
}
