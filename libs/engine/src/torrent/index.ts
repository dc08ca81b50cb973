export { Torrent } from './torrent';
export type { AddTorrentOptions } from './torrent-options';
export type { PeerAddress } from './swarm';
export { type PeerEvent, type StartupCheck, TorrentError, type TorrentErrorCode, type TorrentEvents, type TorrentProgress, type TorrentState } from './torrent-types';
