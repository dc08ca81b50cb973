import { join } from 'node:path';
import { type ManagedProcess, peerScriptArgs, pythonScriptInvocation, ScriptedPeer, type TestNetwork } from '@seedfleet/testing';
import { repoRoot } from '../lib/repo-root';
import { onJsonLines } from './line-process';

/** One process of a swarm run: an agent (downloads) or the origin's seeder, inside a namespace host. */
export interface Member {
  readonly host: string;
  readonly pid: number;
  /** performance.now() when every byte was verified (agents). */
  readonly completedAt: number | undefined;
  readonly failure: string | undefined;
  /** Payload bytes uploaded to peers, as the client last reported. */
  uploaded(): number;
  /** Bytes the client says came from web seeds (ours only; undefined when not reported). */
  webSeedDownloaded(): number | undefined;
  /** [performance.now(), verified bytes, uploaded bytes] about every TIMELINE_STEP_MS (empty for curl). */
  readonly timeline: readonly TimelineSample[];
  /** Resolves when complete or failed (never rejects). */
  readonly done: Promise<void>;
  /** Resolves once it seeds (rejects if it exits first): the origin is ready to serve. */
  readonly seeding: Promise<void>;
  stop(): Promise<void>;
}

export type TimelineSample = readonly [at: number, downloaded: number, uploaded: number];

/** Spacing of timeline samples: enough to see where upload capacity went unused, small in swarm.json. */
const TIMELINE_STEP_MS = 2000;

/** Appends a sample unless the last one is recent. */
function sample(timeline: TimelineSample[], downloaded: number, uploaded: number): void {
  const now = performance.now();
  const last = timeline.at(-1);
  if (last === undefined || now - last[0] >= TIMELINE_STEP_MS) timeline.push([now, downloaded, uploaded]);
}

export interface LaunchOptions {
  readonly network: TestNetwork;
  readonly host: string;
  readonly torrentPath: string;
  readonly directory: string;
  readonly role: 'seed' | 'download';
  readonly port: number;
}

/** Flags of `seedfleet get` that only some builds have (other issues add them); probed once from --help. */
export interface CliFeatures {
  readonly origin: boolean;
  readonly noDht: boolean;
  readonly noLsd: boolean;
  /** `seedfleet seed --super-seed` (BEP 16): the origin reveals pieces one at a time. */
  readonly superSeed: boolean;
  /** `--choking cooperative`: agents of a fleet take turns instead of tit-for-tat (the bench torrent is public). */
  readonly choking: boolean;
}

/** How our origin seeds: plainly (`ours`) or super-seeding to save origin bytes (`ours-egress`). */
export interface OursOrigin {
  readonly superSeed: boolean;
}

function settle(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** `seedfleet get --seed` (agent) or `seedfleet seed` (origin) with --json-progress, run as bin/seedfleet.js runs it. */
export async function launchOurs(options: LaunchOptions, features: CliFeatures, origin: OursOrigin = { superSeed: false }, extraArgs: readonly string[] = []): Promise<Member> {
  const cli = join(repoRoot(), 'bin', 'seedfleet.js');
  const common = ['--port', String(options.port), '--json-progress', ...(features.noDht ? ['--no-dht'] : []), ...(features.noLsd ? ['--no-lsd'] : [])];
  const args =
    options.role === 'seed'
      ? ['seed', options.torrentPath, '--data', options.directory, ...common, ...(features.choking ? ['--choking', 'cooperative'] : []), ...(features.superSeed && origin.superSeed ? ['--super-seed'] : [])]
      : ['get', options.torrentPath, '-o', options.directory, '--seed', ...common, ...(features.origin ? ['--origin', 'fallback'] : []), ...(features.choking ? ['--choking', 'cooperative'] : []), ...extraArgs];
  const child = await options.network.spawn(options.host, `seedfleet ${args[0]} in ${options.host}`, process.execPath, ['--max-semi-space-size=1', cli, ...args]);
  return new ProcessMember(options.host, child, options.role);
}

class ProcessMember implements Member {
  completedAt: number | undefined;
  readonly timeline: TimelineSample[] = [];
  failure: string | undefined;
  readonly done: Promise<void>;
  readonly seeding: Promise<void>;
  private latest: Record<string, unknown> = {};

  constructor(
    readonly host: string,
    private readonly child: ManagedProcess,
    role: 'seed' | 'download',
  ) {
    const { promise, resolve } = settle();
    this.done = promise;
    this.seeding = new Promise((seeds, exits) => {
      onJsonLines(child, (event) => {
        if (event.state === 'seeding') seeds();
      });
      void child.exited.then(() => exits(new Error(child.describeExit())));
    });
    this.seeding.catch(() => undefined);
    const complete = (): void => {
      if (role === 'download' && this.completedAt === undefined) {
        this.completedAt = performance.now();
        resolve();
      }
    };
    onJsonLines(child, (event) => {
      this.latest = event;
      sample(this.timeline, Number(event.downloaded ?? 0), Number(event.uploaded ?? 0));
      const total = Number(event.total);
      if (total > 0 && Number(event.downloaded) >= total) complete();
    });
    // The CLI says so on stderr the moment the torrent completes (JSON lines come about once a second).
    child.child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('is complete')) complete();
    });
    void child.exited.then(() => {
      if (this.completedAt === undefined) this.failure ??= child.describeExit();
      resolve();
    });
  }

  get pid(): number {
    return this.child.pid;
  }

  uploaded(): number {
    return Number(this.latest.uploaded ?? 0);
  }

  webSeedDownloaded(): number | undefined {
    return this.latest.webSeedDownloaded === undefined ? undefined : Number(this.latest.webSeedDownloaded);
  }

  async stop(): Promise<void> {
    await this.child.stop();
  }
}

/** libtorrent's lt_peer.py inside the host, listening on its address. */
export async function launchLibtorrent(options: LaunchOptions): Promise<Member> {
  const address = options.network.host(options.host).address;
  const args = peerScriptArgs({
    torrentPath: options.torrentPath,
    directory: options.directory,
    role: options.role,
    trustData: options.role === 'seed',
    progressIntervalMs: 250,
    settings: { listen_interfaces: `${address}:${options.port}` },
  });
  const invocation = pythonScriptInvocation('lt_peer.py', args);
  const peer = await ScriptedPeer.start('libtorrent', options.network.invocation(options.host, invocation.command, invocation.args), 120_000);
  return new LibtorrentMember(options.host, peer, options.role);
}

class LibtorrentMember implements Member {
  failure: string | undefined;
  readonly timeline: TimelineSample[] = [];
  readonly done: Promise<void>;
  /** lt_peer.py is ready only once its seed data is checked. */
  readonly seeding = Promise.resolve();
  private lastUploaded = 0;

  constructor(
    readonly host: string,
    private readonly peer: ScriptedPeer,
    role: 'seed' | 'download',
  ) {
    const timer = setInterval(
      () =>
        void peer.progress().then(
          (progress) => {
            this.lastUploaded = progress.uploaded;
            sample(this.timeline, progress.downloaded, progress.uploaded);
          },
          () => undefined,
        ),
      500,
    );
    timer.unref();
    this.done =
      role === 'seed'
        ? new Promise(() => undefined)
        : peer.whenComplete(24 * 3600_000).then(
            () => undefined,
            (error: unknown) => {
              this.failure = error instanceof Error ? error.message : String(error);
            },
          );
    this.stopTimer = () => clearInterval(timer);
  }

  private readonly stopTimer: () => void;

  get pid(): number {
    return this.peer.pid;
  }

  get completedAt(): number | undefined {
    return this.peer.completedAt;
  }

  uploaded(): number {
    return this.lastUploaded;
  }

  webSeedDownloaded(): undefined {
    return undefined;
  }

  async stop(): Promise<void> {
    // A last reading of the upload counter before the process goes.
    await Promise.race([this.peer.progress().then((progress) => (this.lastUploaded = progress.uploaded)), new Promise((resolve) => setTimeout(resolve, 1000))]).catch(() => undefined);
    this.stopTimer();
    await this.peer.stop();
  }
}

/** A plain HTTP download of the whole file from the origin (curl), the no-P2P reference. */
export async function launchHttp(options: { network: TestNetwork; host: string; url: string; output: string }): Promise<Member> {
  const child = await options.network.spawn(options.host, `curl in ${options.host}`, 'curl', ['-sS', '--fail', '-o', options.output, options.url]);
  return new CurlMember(options.host, child);
}

class CurlMember implements Member {
  completedAt: number | undefined;
  failure: string | undefined;
  readonly timeline: readonly TimelineSample[] = [];
  readonly done: Promise<void>;
  readonly seeding = Promise.resolve();

  constructor(
    readonly host: string,
    private readonly child: ManagedProcess,
  ) {
    this.done = child.exited.then((exit) => {
      if (exit.code === 0) this.completedAt = performance.now();
      else this.failure = child.describeExit();
    });
  }

  get pid(): number {
    return this.child.pid;
  }

  uploaded(): number {
    return 0;
  }

  webSeedDownloaded(): undefined {
    return undefined;
  }

  async stop(): Promise<void> {
    await this.child.stop();
  }
}
