import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { FileStore, Session, type Torrent, type TorrentProgress, type TorrentState } from '@seedfleet/engine';
import { parseTorrent } from '@seedfleet/metainfo';
import type { PeerScriptArgs, PeerScriptCommand, PeerScriptEvent } from '@seedfleet/testing';

// Our engine as a peer process of its own, speaking the same JSON-line protocol as libtorrent's
// lt_peer.py (libs/testing/src/clients/peer-script-protocol.ts), so benches and interop tests drive both alike.

function emit(event: PeerScriptEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function progressLine(progress: TorrentProgress): PeerScriptEvent {
  const { state, downloaded, total, uploaded, downRate, upRate, peers } = progress;
  return { event: 'progress', state, downloaded, total, uploaded, downRate, upRate, peers };
}

/** Resolves with the first state after 'checking' (the startup check done, or failed). */
function checked(torrent: Torrent): Promise<TorrentState> {
  if (torrent.state !== 'checking') return Promise.resolve(torrent.state);
  return new Promise((resolve) => {
    const listener = (state: TorrentState): void => {
      if (state === 'checking') return;
      torrent.off('state', listener);
      resolve(state);
    };
    torrent.on('state', listener);
  });
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as PeerScriptArgs;
  const metainfo = parseTorrent(await readFile(args.torrent));
  // Shaped mode runs the peer inside a namespace host, listening on that host's address.
  const host = typeof args.settings?.listenHost === 'string' ? args.settings.listenHost : '127.0.0.1';
  const session = new Session({ port: args.listenPort ?? 0, host });
  let closing: Promise<void> | undefined;
  const shutdown = (code: number): void => {
    closing ??= session.close().finally(() => process.exit(code));
  };
  process.once('SIGTERM', () => shutdown(0));
  process.once('SIGINT', () => shutdown(0));
  const { port } = await session.listen();
  const torrent = await session.add({
    metainfo,
    store: new FileStore({ metainfo, directory: args.directory }),
    trackers: args.trackers && args.trackers.length > 0 ? [[...args.trackers]] : undefined,
    seedOnly: args.trustData ?? false,
  });
  torrent.on('error', (error) => {
    emit({ event: 'error', message: error.message });
    shutdown(1);
  });
  const state = await checked(torrent);
  if (state === 'error') return; // reported by the 'error' listener
  if (args.mode === 'seed' && state !== 'seeding') {
    const { downloaded, total } = torrent.progress();
    emit({ event: 'error', message: `seed mode but only ${downloaded} of ${total} bytes verified` });
    return shutdown(1);
  }
  emit({ event: 'ready', port, infoHash: metainfo.infoHashV1?.toString('hex') ?? '', state });
  torrent.on('progress', (progress) => emit(progressLine(progress)));
  // Peer comings and goings on stderr (kept by the driver for error messages): why a transfer stalled.
  torrent.on('peer', (peer) => process.stderr.write(`peer ${peer.type} ${peer.address} ${peer.client ?? ''}${peer.reason ? `: ${peer.reason}` : ''}\n`));
  void torrent.whenComplete().then(() => {
    // The complete line follows a progress line showing every byte, as lt_peer.py does.
    emit(progressLine(torrent.progress()));
    emit({ event: 'complete' });
  });
  for (const peer of args.peers ?? []) torrent.addPeer(peer);

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const command = JSON.parse(line) as PeerScriptCommand;
    // 'announce' has no public Torrent API; the engine announces again by itself when it has no peers.
    if (command.command === 'connect') torrent.addPeer({ host: command.host, port: command.port });
  });
  // stdin closed: the driver asks us to shut down.
  lines.on('close', () => shutdown(0));
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
