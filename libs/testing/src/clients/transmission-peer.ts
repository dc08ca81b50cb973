import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTempDir, type TempDir } from '../temp-dir';
import { freePort } from './free-port';
import { httpRequest } from './json-http';
import { ManagedProcess } from './managed-process';
import type { PeerProgress, ReferencePeer, StartPeerOptions } from './peer-types';
import { waitFor } from './wait-for';

/** Transmission's tr_torrent_activity. */
const status = { stopped: 0, checkWait: 1, checking: 2, downloadWait: 3, downloading: 4, seedWait: 5, seeding: 6 } as const;

interface TorrentFields {
  readonly status: number;
  readonly haveValid: number;
  readonly sizeWhenDone: number;
  readonly leftUntilDone: number;
  readonly uploadedEver: number;
  readonly rateDownload: number;
  readonly rateUpload: number;
  readonly peersConnected: number;
  readonly error: number;
  readonly errorString: string;
}

const fields: (keyof TorrentFields)[] = ['status', 'haveValid', 'sizeWhenDone', 'leftUntilDone', 'uploadedEver', 'rateDownload', 'rateUpload', 'peersConnected', 'error', 'errorString'];

/** Hermetic: no DHT, LPD, PEX, uTP, port mapping or blocklist; no speed or ratio limits; plaintext allowed. */
function settings(rpcPort: number, peerPort: number, downloadDir: string): Record<string, unknown> {
  return {
    'rpc-enabled': true,
    'rpc-bind-address': '127.0.0.1',
    'rpc-port': rpcPort,
    'rpc-authentication-required': false,
    'rpc-whitelist-enabled': true,
    'rpc-whitelist': '127.0.0.1',
    'rpc-host-whitelist-enabled': false,
    'bind-address-ipv4': '127.0.0.1',
    'peer-port': peerPort,
    'peer-port-random-on-start': false,
    'port-forwarding-enabled': false,
    'dht-enabled': false,
    'lpd-enabled': false,
    'pex-enabled': false,
    'utp-enabled': false,
    'blocklist-enabled': false,
    encryption: 0,
    'download-dir': downloadDir,
    'incomplete-dir-enabled': false,
    'watch-dir-enabled': false,
    'start-added-torrents': true,
    'ratio-limit-enabled': false,
    'idle-seeding-limit-enabled': false,
    'speed-limit-down-enabled': false,
    'speed-limit-up-enabled': false,
    'alt-speed-enabled': false,
    'queue-stalled-enabled': false,
    'download-queue-enabled': false,
    'seed-queue-enabled': false,
    'rename-partial-files': false,
    'message-level': 1,
  };
}

class TransmissionRpc {
  private sessionId = '';

  constructor(private readonly url: string) {}

  /** Transmission answers 409 with the session id to use (its CSRF guard); retried once with it. */
  async call<T>(method: string, args: object = {}): Promise<T> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await httpRequest(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-transmission-session-id': this.sessionId },
        body: JSON.stringify({ method, arguments: args }),
      });
      if (answer.status === 409) {
        this.sessionId = String(answer.headers['x-transmission-session-id'] ?? '');
        continue;
      }
      const reply = JSON.parse(answer.body.toString('utf8')) as { result: string; arguments: T };
      if (reply.result !== 'success') throw new Error(`transmission ${method}: ${reply.result}`);
      return reply.arguments;
    }
    throw new Error(`transmission ${method}: no session id after 409`);
  }
}

class TransmissionPeer implements ReferencePeer {
  readonly client = 'transmission';
  readonly dialsLoopbackPeers = false;
  private failure: Error | undefined;

  constructor(
    private readonly process: ManagedProcess,
    private readonly rpc: TransmissionRpc,
    private readonly torrentId: number,
    readonly port: number,
    private readonly configDir: TempDir,
  ) {}

  get pid(): number {
    return this.process.pid;
  }

  async torrent(): Promise<TorrentFields> {
    const reply = await this.rpc.call<{ torrents: TorrentFields[] }>('torrent-get', { ids: [this.torrentId], fields });
    const torrent = reply.torrents[0];
    if (!torrent) throw new Error(`transmission lost torrent ${this.torrentId}`);
    return torrent;
  }

  async progress(): Promise<PeerProgress> {
    const torrent = await this.torrent();
    const state = torrent.status === status.checking || torrent.status === status.checkWait ? 'checking' : torrent.status >= status.seedWait ? 'seeding' : torrent.status === status.stopped ? 'stopped' : 'downloading';
    return { state, downloaded: torrent.haveValid, total: torrent.sizeWhenDone, uploaded: torrent.uploadedEver, downRate: torrent.rateDownload, upRate: torrent.rateUpload, peers: torrent.peersConnected };
  }

  async whenComplete(timeoutMs: number): Promise<void> {
    await waitFor(
      'transmission to verify every byte',
      async () => {
        const torrent = await this.torrent();
        // 1 and 2 are tracker warnings and errors (retried by Transmission); 3 is local (disk, data).
        if (torrent.error === 3) this.failure = new TransmissionTorrentError(torrent.errorString);
        return torrent.leftUntilDone === 0 && torrent.haveValid === torrent.sizeWhenDone && torrent.status >= status.seedWait ? true : undefined;
      },
      // 50 ms: completion time is what benches measure; the RPC call is cheap.
      { timeoutMs, intervalMs: 50, abortIf: () => this.died() ?? this.failure },
    );
  }

  died(): Error | undefined {
    return this.process.running ? undefined : new Error(this.process.describeExit());
  }

  async stop(): Promise<void> {
    await this.process.stop();
    await this.configDir.remove();
  }
}

export class TransmissionTorrentError extends Error {
  override readonly name = 'TransmissionTorrentError';
}

/**
 * transmission-daemon 3.00 in the foreground with its own config dir, driven over its RPC (`settings`
 * overrides settings.json keys, e.g. `encryption: 2` to require encryption). It finds peers
 * only through the torrent's trackers. A seeder resolves once its data is verified and it is seeding.
 */
export async function startTransmissionPeer(options: StartPeerOptions & { readonly settings?: Record<string, unknown> }): Promise<ReferencePeer> {
  const configDir = await createTempDir('seedfleet-transmission-');
  let child: ManagedProcess | undefined;
  try {
    const [rpcPort, peerPort] = [await freePort(), await freePort()];
    const directory = resolve(options.directory);
    await writeFile(join(configDir.path, 'settings.json'), JSON.stringify({ ...settings(rpcPort, peerPort, directory), ...options.settings }, null, 2));
    child = await ManagedProcess.start('transmission-daemon', 'transmission-daemon', ['--foreground', '--config-dir', configDir.path, '--log-error']);
    const running = child;
    const rpc = new TransmissionRpc(`http://127.0.0.1:${rpcPort}/transmission/rpc`);
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const abortIf = (): Error | undefined => (running.running ? undefined : new Error(running.describeExit()));
    await waitFor('transmission-daemon RPC', () => rpc.call('session-get'), { timeoutMs, abortIf });
    const metainfo = (await readFile(options.torrentPath)).toString('base64');
    const added = await rpc.call<{ 'torrent-added'?: { id: number }; 'torrent-duplicate'?: { id: number } }>('torrent-add', { metainfo, 'download-dir': directory, paused: false });
    const id = (added['torrent-added'] ?? added['torrent-duplicate'])!.id;
    const peer = new TransmissionPeer(running, rpc, id, peerPort, configDir);
    if (options.role === 'seed') {
      // A torrent added over existing files is not verified until asked; only verified pieces are served.
      await rpc.call('torrent-verify', { ids: [id] });
      await peer.whenComplete(timeoutMs);
    }
    return peer;
  } catch (error) {
    await child?.stop();
    await configDir.remove();
    throw error;
  }
}
