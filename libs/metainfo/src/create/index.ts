export { CreateTorrentError } from './create-error';
export type { CreatedTorrent, CreateOptions, CreateProgress, CreateSourceFile } from './create-options';
export { createTorrent } from './create-torrent';
export { createTorrentFromPath } from './from-path';
export { choosePieceLength } from './piece-length';
