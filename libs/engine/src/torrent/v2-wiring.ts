import { filePieceRange, type Metainfo, type TorrentFile } from '@seedfleet/metainfo';
import { DEFAULT_PRIORITY } from '../policy';
import type { HashPeer } from '../v2/hash-service';
import type { TorrentCore } from './torrent-core';
import type { SessionLink } from './torrent-options';
import type { TorrentPeer } from './torrent-peer';
import { TorrentError } from './torrent-types';

/**
 * What BEP 52 changes in a torrent's wiring. The 20 bytes peers and trackers know it by: the v1 info hash,
 * or for a v2-only torrent the SHA-256 one truncated. A hybrid also announces the truncated v2 hash (its
 * v2 peers are in that swarm). Torrents with a v2 info dict set the upgrade bit (reserved byte 7, 0x10) so
 * v2 peers send us hash requests. Pieces of a file whose piece layer is being fetched are not wanted
 * until it is proven: they could not be verified.
 */
export function v2Wiring<Owner>(metainfo: Metainfo, session: SessionLink<Owner>) {
  const { infoHashV1, infoHashV2 } = metainfo;
  const v2Short = infoHashV2?.subarray(0, 20);
  const infoHash = infoHashV1 ?? v2Short;
  if (!infoHash) throw new TorrentError('unsupported', `torrent "${metainfo.name}" has neither a v1 nor a v2 info hash`);
  const hashPeers = new WeakMap<TorrentPeer, HashPeer>();
  return {
    infoHash,
    alsoInfoHashes: infoHashV1 && v2Short ? [v2Short] : [],
    session: v2Short ? { ...session, flags: { ...session.flags, v2Upgrade: true } } : session,

    hashPeer(peer: TorrentPeer): HashPeer {
      let hashPeer = hashPeers.get(peer);
      if (!hashPeer) {
        hashPeer = { id: peer.peerIdHex, send: (message) => peer.connection.sendHashMessage(message), backlogged: () => !peer.connection.canSendMore };
        hashPeers.set(peer, hashPeer);
      }
      return hashPeer;
    },

    holdWaitingFiles(core: TorrentCore, files: readonly TorrentFile[]): void {
      for (const file of files) setFilePriority(core, file, 0);
    },

    layerArrived(core: TorrentCore, file: TorrentFile, then: () => void): void {
      for (const each of metainfo.files) if (each.piecesRoot?.equals(file.piecesRoot!)) setFilePriority(core, each, DEFAULT_PRIORITY);
      then();
    },
  };
}

function setFilePriority(core: TorrentCore, file: TorrentFile, priority: number): void {
  const { first, end } = filePieceRange(core.metainfo, core.metainfo.files.indexOf(file));
  for (let index = first; index < end; index++) if (!core.have.has(index)) core.picker.setPriority(index, priority);
}
