import { resolve } from 'node:path';
import { freePort } from './free-port';
import { httpRequest } from './json-http';
import { ManagedProcess } from './managed-process';
import type { PeerProgress, ReferencePeer, StartPeerOptions } from './peer-types';
import { waitFor } from './wait-for';

/** Fixed so the download can be asked about by id without listing aria2's queues. */
const gid = '5eedf1ee7000a001';

interface Aria2Status {
  readonly status: 'active' | 'waiting' | 'paused' | 'error' | 'complete' | 'removed';
  readonly totalLength: string;
  readonly completedLength: string;
  readonly uploadLength: string;
  readonly downloadSpeed: string;
  readonly uploadSpeed: string;
  readonly connections: string;
  readonly seeder?: string;
  /** Present while the integrity check runs or is queued. */
  readonly verifiedLength?: string;
  readonly verifyIntegrityPending?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** Hermetic (no DHT, LPD, PEX, IPv6), seeding forever, no config file, no session file, quiet console. */
function aria2Args(options: StartPeerOptions, rpcPort: number, peerPort: number): string[] {
  return [
    '--no-conf=true',
    '--enable-rpc=true',
    '--rpc-listen-all=false',
    `--rpc-listen-port=${rpcPort}`,
    `--listen-port=${peerPort}`,
    `--dir=${resolve(options.directory)}`,
    `--gid=${gid}`,
    '--enable-dht=false',
    '--enable-dht6=false',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=false',
    '--disable-ipv6=true',
    '--seed-ratio=0.0',
    '--file-allocation=none',
    '--auto-save-interval=0',
    '--console-log-level=error',
    '--summary-interval=0',
    '--follow-torrent=false',
    // A seeder hashes its data first; a leecher verifies every piece as it arrives either way.
    `--check-integrity=${options.role === 'seed'}`,
    '--bt-hash-check-seed=true',
    resolve(options.torrentPath),
  ];
}

class Aria2Rpc {
  private sequence = 0;

  constructor(private readonly url: string) {}

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const answer = await httpRequest(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: String(this.sequence++), method, params }),
    });
    const reply = JSON.parse(answer.body.toString('utf8')) as { result?: T; error?: { message: string } };
    if (reply.error) throw new Error(`aria2 ${method}: ${reply.error.message}`);
    return reply.result as T;
  }
}

class Aria2Peer implements ReferencePeer {
  readonly client = 'aria2';
  readonly dialsLoopbackPeers = true;
  private failure: Error | undefined;

  constructor(
    private readonly process: ManagedProcess,
    private readonly rpc: Aria2Rpc,
    readonly port: number,
  ) {}

  get pid(): number {
    return this.process.pid;
  }

  status(): Promise<Aria2Status> {
    return this.rpc.call<Aria2Status>('aria2.tellStatus', [gid]);
  }

  async progress(): Promise<PeerProgress> {
    const status = await this.status();
    const checking = status.verifiedLength !== undefined || status.verifyIntegrityPending === 'true';
    const state = checking ? 'checking' : status.seeder === 'true' || status.status === 'complete' ? 'seeding' : status.status === 'error' ? 'error' : 'downloading';
    return {
      state,
      downloaded: Number(status.completedLength),
      total: Number(status.totalLength),
      uploaded: Number(status.uploadLength),
      downRate: Number(status.downloadSpeed),
      upRate: Number(status.uploadSpeed),
      peers: Number(status.connections),
    };
  }

  async whenComplete(timeoutMs: number): Promise<void> {
    await waitFor(
      'aria2 to verify every byte',
      async () => {
        const status = await this.status();
        if (status.status === 'error') this.failure = new Error(`aria2 error ${status.errorCode}: ${status.errorMessage}`);
        const checking = status.verifiedLength !== undefined || status.verifyIntegrityPending === 'true';
        const total = Number(status.totalLength);
        return !checking && total > 0 && Number(status.completedLength) === total ? true : undefined;
      },
      // 50 ms: completion time is what benches measure; the RPC call is cheap.
      { timeoutMs, intervalMs: 50, abortIf: () => this.failure ?? (this.process.running ? undefined : new Error(this.process.describeExit())) },
    );
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}

/**
 * aria2c 1.36 with the .torrent on its command line and JSON-RPC on a local port for status. It finds peers
 * only through the torrent's trackers. A seeder resolves once its data has passed the integrity check.
 */
export async function startAria2Peer(options: StartPeerOptions): Promise<ReferencePeer> {
  const [rpcPort, peerPort] = [await freePort(), await freePort()];
  const child = await ManagedProcess.start('aria2c', 'aria2c', aria2Args(options, rpcPort, peerPort));
  try {
    const rpc = new Aria2Rpc(`http://127.0.0.1:${rpcPort}/jsonrpc`);
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    await waitFor('aria2 RPC', () => rpc.call('aria2.getVersion'), { timeoutMs, abortIf: () => (child.running ? undefined : new Error(child.describeExit())) });
    const peer = new Aria2Peer(child, rpc, peerPort);
    if (options.role === 'seed') await peer.whenComplete(timeoutMs);
    return peer;
  } catch (error) {
    await child.stop();
    throw error;
  }
}
