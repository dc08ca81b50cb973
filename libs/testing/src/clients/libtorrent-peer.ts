import { pythonScriptInvocation } from '../python-script';
import { peerScriptArgs, type ScriptedPeerOptions } from './peer-script-protocol';
import { ScriptedPeer } from './scripted-peer';

/**
 * A python3-libtorrent 2.0 peer (libs/testing/python/lt_peer.py) on 127.0.0.1. Resolves once it listens
 * and its torrent is checked (a seeder: once every piece is verified).
 */
export function startLibtorrentPeer(options: ScriptedPeerOptions): Promise<ScriptedPeer> {
  return ScriptedPeer.start('libtorrent', pythonScriptInvocation('lt_peer.py', peerScriptArgs(options)), options.readyTimeoutMs);
}
