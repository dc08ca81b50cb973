import { access, rename, rm, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fillJobPoolOptions, HashPool } from '@seedfleet/hashing';
import type { CreatedTorrent, TorrentVersion } from '@seedfleet/metainfo';
import { parsePieceLength } from '../args/byte-size';
import { flag, list, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { parseTrackerTier, parseWebSeed } from '../args/urls';
import { CliError, describeSystemError } from '../cli-error';
import type { CliIo } from '../io';
import { formatBytes } from '../output/format-units';
import { printJson } from '../output/print-json';
import { ProgressReporter } from '../output/progress-reporter';
import { packageVersion } from '../version';
import { defineCommand } from './command';

export const torrentCreateCommand = defineCommand({
  name: 'torrent create',
  summary: 'Hash a file or directory into a v1, v2 or hybrid (default) .torrent file.',
  details: `
Trackers follow mktorrent: the URLs of one --tracker, separated by commas, form one tier (tried in order
as backups of each other); each further --tracker adds a tier. Example:
  --tracker udp://a/announce,udp://b/announce --tracker https://c/announce   -> [[a, b], [c]]
The piece length defaults to the smallest power of two from 16K to 16M giving at most 2,000 pieces.
With --json, one object is printed: {path, name, infoHashV1, infoHashV2, pieceLength, pieceCount,
totalSize, magnet}. A progress line is drawn on stderr when it is a terminal.`,
  args: {
    positionals: [{ name: 'path', description: 'the file or directory to share', required: true }],
    options: {
      output: value('FILE', 'where to write the .torrent (default: <name>.torrent in the current directory)', { short: 'o' }),
      force: flag('overwrite the output file if it exists', { short: 'f' }),
      v1: flag('BitTorrent v1 only (BEP 3)'),
      v2: flag('BitTorrent v2 only (BEP 52)'),
      hybrid: flag('v1 and v2 in one torrent, the default (BEP 52 hybrid, BEP 47 pad files)'),
      'piece-length': value('BYTES', 'a power of two from 16K to 256M: 262144, 256K, 1M, 16MiB', { parse: parsePieceLength }),
      tracker: list('URL[,URL...]', 'announce URL(s) forming one tier', { parse: parseTrackerTier }),
      'web-seed': list('URL', 'BEP 19 web seed (url-list)', { parse: parseWebSeed }),
      private: flag('set the private flag (BEP 27): no DHT, PEX or local discovery'),
      comment: value('TEXT', 'comment stored in the torrent'),
      date: flag('write the creation date (default); --no-date leaves it out', { negatable: true }),
      json: flag('print one JSON object describing the result'),
    },
  },
  async run({ options, positionals: [path] }, io) {
    const version = pickVersion(options);
    const sourcePath = resolve(io.cwd, path);
    const outputPath = resolve(io.cwd, options.output ?? `${basename(sourcePath)}.torrent`);
    if (!options.force && (await exists(outputPath))) throw new CliError(`'${outputPath}' already exists (use --force to overwrite)`);
    // The hash threads boot (~40-90 ms) while the creation code loads, instead of after it.
    const pool = new HashPool(fillJobPoolOptions());
    pool.prestart();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createTorrentFromPath, toMagnet } = require('@seedfleet/metainfo') as typeof import('@seedfleet/metainfo');
    const progress = new ProgressReporter(io.stderr, 'hashing', io.now);
    let created: CreatedTorrent;
    try {
      created = await createTorrentFromPath(sourcePath, {
        pool,
        version,
        pieceLength: options['piece-length'],
        trackers: options.tracker,
        webSeeds: options['web-seed'],
        private: options.private ?? false,
        comment: options.comment,
        createdBy: `seedfleet/${packageVersion()}`,
        creationDate: options.date === false ? null : Math.floor(Date.now() / 1000),
        onProgress: ({ hashedBytes, totalBytes }) => progress.update(hashedBytes, totalBytes),
        signal: io.signal,
      });
    } catch (error) {
      throw creationError(error, path, io);
    } finally {
      progress.finish();
      await pool.close();
    }
    await writeAtomically(outputPath, created.torrent);
    const magnet = toMagnet({ infoHashV1: created.infoHashV1, infoHashV2: created.infoHashV2, name: created.name, trackers: options.tracker.flat(), webSeeds: options['web-seed'], peers: [] });
    report(io, outputPath, created, magnet, options.json ?? false);
  },
});

function pickVersion(options: { v1?: boolean; v2?: boolean; hybrid?: boolean }): TorrentVersion {
  const chosen = (['v1', 'v2', 'hybrid'] as const).filter((version) => options[version]);
  if (chosen.length > 1) throw new UsageError(`choose one of --v1, --v2 and --hybrid (got --${chosen.join(', --')})`);
  return chosen[0] ?? 'hybrid';
}

function creationError(error: unknown, path: string, io: CliIo): Error {
  if (io.signal?.aborted) return new CliError('interrupted; no torrent written', { cause: error, exitCode: 130 });
  if ((error as NodeJS.ErrnoException).code !== undefined) {
    return new CliError(`cannot read '${path}': ${describeSystemError(error)}`, { cause: error });
  }
  return new CliError(`cannot create a torrent from '${path}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Write-then-rename, so an interrupted run never leaves a truncated .torrent behind. */
async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`cannot write '${path}': ${describeSystemError(error)}`, { cause: error });
  }
}

/** Built from what creation returned: re-parsing a 10k-file torrent would cost half a second. */
function report(io: CliIo, outputPath: string, created: CreatedTorrent, magnet: string, json: boolean): void {
  const result = {
    path: outputPath,
    name: created.name,
    infoHashV1: created.infoHashV1?.toString('hex') ?? null,
    infoHashV2: created.infoHashV2?.toString('hex') ?? null,
    pieceLength: created.pieceLength,
    pieceCount: created.pieceCount,
    totalSize: created.totalSize,
    magnet,
  };
  if (json) return printJson(io.stdout, result);
  io.stdout.write(
    [
      `Created ${outputPath}`,
      `  name          ${result.name}`,
      `  size          ${formatBytes(result.totalSize)} in ${result.pieceCount} pieces of ${formatBytes(result.pieceLength)}`,
      `  info hash v1  ${result.infoHashV1 ?? '-'}`,
      `  info hash v2  ${result.infoHashV2 ?? '-'}`,
      `  magnet        ${result.magnet}`,
      '',
    ].join('\n'),
  );
}
