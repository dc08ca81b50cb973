import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore, Session, StorageError, type Torrent, type TorrentProgress } from '@seedfleet/engine';
import type { Metainfo } from '@seedfleet/metainfo';
import type { EncryptionPolicy } from '@seedfleet/wire';
import type { PeerAddress } from '../args/network';
import { CliError, describeSystemError } from '../cli-error';
import type { CliIo } from '../io';
import { formatBytes, formatDuration, formatRate } from '../output/format-units';
import type { OriginMode } from './origin-options';
import { TransferReporter } from './transfer-reporter';

/** The listen port when --port is not given; if it is taken, any free port is used instead. */
export const DEFAULT_PORT = 6881;

export interface TransferPlan {
  readonly metainfo: Metainfo;
  /** get: -o DIR; seed: --data DIR. The content is DIR/<name>. */
  readonly directory: string;
  /** 'download' finishes when complete (or keeps seeding with `seedAfter`); 'seed' only uploads. */
  readonly mode: 'download' | 'seed';
  readonly seedAfter: boolean;
  readonly port?: number;
  readonly peers: readonly PeerAddress[];
  readonly trackers: readonly string[][];
  readonly maxDownRate: number;
  readonly maxUpRate: number;
  readonly jsonProgress: boolean;
  /** DHT and LSD for public torrents (the engine never uses them for private ones). */
  readonly dht: boolean;
  readonly lsd: boolean;
  /** DHT routers instead of the public ones. */
  readonly dhtBootstrap?: readonly string[];
  /** Message Stream Encryption policy (--encryption; the engine's default is prefer). */
  readonly encryption?: EncryptionPolicy;
  /** Web seeds on top of the torrent's url-list (get --web-seed). */
  readonly webSeeds?: readonly string[];
  /** How much to take from web seeds (default fallback: the fleet's default). */
  readonly origin?: OriginMode;
  /** assist: bytes per second peers should reach before web seeds stop filling in. */
  readonly downloadGoal?: number;
  /** seed --super-seed: BEP 16 super-seeding while the data is complete. */
  readonly superSeed?: boolean;
  /** --choking; unset: cooperative for private torrents (a fleet's), tit-for-tat for public ones. */
  readonly choking?: ChokingMode;
}

export type ChokingMode = 'tit-for-tat' | 'cooperative';

/** Where resume data lives: beside the content, so moving DIR moves it too. */
export function resumePathFor(directory: string, metainfo: Metainfo): string {
  const hash = (metainfo.infoHashV1 ?? metainfo.infoHashV2!).toString('hex');
  return join(directory, '.seedfleet', `${hash}.resume`);
}

/**
 * Runs one torrent until it is done: complete (download), or interrupted (seeding, or --seed after
 * completion). Resume data is saved on every exit path, so an interrupted download continues where it
 * stopped. Resolves to the exit code.
 */
export async function runTransfer(plan: TransferPlan, io: CliIo): Promise<number> {
  const startedAt = io.now();
  const reporter = new TransferReporter(io.stdout, io.stderr, plan.jsonProgress);
  let session: Session | undefined;
  try {
    const opened = await openSession(plan, io);
    session = opened.session;
    await prepareDirectory(plan.directory);
    const torrent = await session.add({
      metainfo: plan.metainfo,
      store: new FileStore({ metainfo: plan.metainfo, directory: plan.directory }),
      resumePath: resumePathFor(plan.directory, plan.metainfo),
      trackers: plan.trackers,
      peers: plan.peers,
      // seed: serve what verifies, never fetch (a mirror's data is not changed by `seed`).
      uploadOnly: plan.mode === 'seed',
      webSeeds: [...plan.metainfo.urlList, ...(plan.webSeeds ?? [])],
      origin: plan.origin ?? 'fallback',
      downloadGoal: plan.downloadGoal,
      superSeed: plan.superSeed,
      chokeMode: plan.choking ?? (plan.metainfo.private ? 'cooperative' : 'tit-for-tat'),
    });
    torrent.on('progress', (progress: TorrentProgress) => reporter.update(progress));
    warnOnce(torrent, reporter, io);
    notice(io, `${plan.mode === 'seed' ? 'seeding' : 'downloading'} ${plan.metainfo.name} on port ${opened.port}`);
    const outcome = await waitForOutcome(torrent, plan, io);
    reporter.update(torrent.progress());
    reporter.finish();
    return finish(outcome, torrent.progress(), plan, io, io.now() - startedAt);
  } catch (error) {
    throw transferError(error);
  } finally {
    reporter.finish();
    await session?.close().catch(() => undefined);
  }
}

/** Tracker and web-seed failures on stderr, each distinct one once: both retry with backoff and would repeat it for hours. */
function warnOnce(torrent: Torrent, reporter: TransferReporter, io: CliIo): void {
  const shown = new Set<string>();
  const warn = (line: string): void => {
    if (shown.has(line) || shown.size >= 100) return;
    shown.add(line);
    reporter.finish();
    io.stderr.write(`${line}\n`);
  };
  torrent.on('tracker', ({ error, url }) => warn(url === undefined ? `warning: tracker: ${error}` : `warning: tracker ${url}: ${error}`));
  torrent.on('webSeed', ({ error }) => warn(`warning: web seed ${error}`));
}

/** Listens on --port, or on 6881 falling back to any free port when 6881 is taken and no --port was given. */
async function openSession(plan: TransferPlan, io: CliIo): Promise<{ session: Session; port: number }> {
  const dht = plan.dht && (plan.dhtBootstrap ? { bootstrap: plan.dhtBootstrap } : true);
  const make = (port: number): Session => new Session({ port, maxDownRate: plan.maxDownRate, maxUpRate: plan.maxUpRate, dht, lsd: plan.lsd, encryption: plan.encryption });
  const session = make(plan.port ?? DEFAULT_PORT);
  try {
    return { session, port: (await session.listen()).port };
  } catch (error) {
    await session.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? (error as { cause?: NodeJS.ErrnoException }).cause?.code;
    if (plan.port === undefined && code === 'EADDRINUSE') {
      io.stderr.write(`port ${DEFAULT_PORT} is in use; listening on a free port instead (choose one with --port)\n`);
      const fallback = make(0);
      return { session: fallback, port: (await fallback.listen()).port };
    }
    throw new CliError(`cannot listen on port ${plan.port ?? DEFAULT_PORT}: ${describeSystemError(error)}`, { cause: error });
  }
}

async function prepareDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create '${directory}': ${describeSystemError(error)}`, { cause: error });
  }
}

type Outcome = 'complete' | 'interrupted';

/** Resolves when the run should end; rejects with the torrent's error (a full disk, unreadable data). */
function waitForOutcome(torrent: Torrent, plan: TransferPlan, io: CliIo): Promise<Outcome> {
  const { signal } = io;
  return new Promise<Outcome>((resolve, reject) => {
    if (signal?.aborted) return resolve('interrupted');
    signal?.addEventListener('abort', () => resolve('interrupted'), { once: true });
    torrent.on('error', (error: Error) => reject(error));
    if (plan.mode === 'seed') {
      let checked = checkSeedData(torrent, plan, io, reject);
      torrent.on('state', () => {
        if (!checked) checked = checkSeedData(torrent, plan, io, reject);
      });
    }
    if (plan.mode === 'download') {
      const seeding = (): void => notice(io, `${plan.metainfo.name} is complete; seeding until interrupted (Ctrl-C stops)`);
      torrent.whenComplete().then(plan.seedAfter ? seeding : () => resolve('complete'), reject);
    }
  });
}

/** After checking, a seeder with nothing valid was pointed at the wrong directory; say so and stop. */
function checkSeedData(torrent: Torrent, plan: TransferPlan, io: CliIo, reject: (error: Error) => void): boolean {
  const progress = torrent.progress();
  if (progress.state === 'checking' || progress.pieceCount === 0) return false;
  const where = join(plan.directory, plan.metainfo.name);
  if (progress.piecesHave === 0) {
    reject(new CliError(`no valid data for '${plan.metainfo.name}' at '${where}': is --data the directory that contains '${plan.metainfo.name}'?`));
  } else if (progress.piecesHave < progress.pieceCount) {
    io.stderr.write(`warning: only ${progress.piecesHave} of ${progress.pieceCount} pieces at '${where}' are valid; seeding those\n`);
  }
  return true;
}

function finish(outcome: Outcome, progress: TorrentProgress, plan: TransferPlan, io: CliIo, elapsedMs: number): number {
  const complete = progress.downloaded >= progress.total;
  const where = join(plan.directory, plan.metainfo.name);
  if (plan.mode === 'seed') {
    notice(io, `stopped seeding ${where}: uploaded ${formatBytes(progress.uploaded)}`);
    return 0;
  }
  if (complete) {
    const seconds = elapsedMs / 1000;
    notice(io, `downloaded ${where}: ${formatBytes(progress.total)} in ${formatDuration(seconds)} (${formatRate(progress.total / Math.max(seconds, 0.001))}), uploaded ${formatBytes(progress.uploaded)}`);
    return 0;
  }
  if (outcome === 'interrupted') {
    throw new CliError(`interrupted at ${formatBytes(progress.downloaded)} of ${formatBytes(progress.total)}; run the same command again to resume`, { exitCode: 130 });
  }
  return 1;
}

/** Human notices go to stderr, so stdout stays machine-readable with --json-progress. */
function notice(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`);
}

/** Maps engine failures to one line for the user. */
export function transferError(error: unknown): Error {
  if (error instanceof CliError) return error;
  if (error instanceof StorageError) {
    const where = error.path !== undefined ? ` ('${error.path}')` : '';
    const reason = error.code === 'no-space' ? 'the disk is full' : error.message;
    return new CliError(`storage failed${where}: ${reason}`, { cause: error });
  }
  return new CliError(error instanceof Error ? error.message : String(error), { cause: error });
}
