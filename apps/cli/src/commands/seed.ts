import { resolve } from 'node:path';
import { parsePeerAddress, parsePort, parseRate } from '../args/network';
import { flag, list, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { parseTrackerTier } from '../args/urls';
import { readTorrentFile } from '../torrent/read-torrent-file';
import { defineCommand } from './command';

export const seedCommand = defineCommand({
  name: 'seed',
  summary: 'Verify existing data against a torrent and seed it until interrupted.',
  details: `
DIR holds the content as 'seedfleet get -o DIR' writes it: DIR/<name> for a single-file torrent,
DIR/<name>/... for a multi-file one. The data is verified first (fast when DIR/.seedfleet/ holds valid
resume data from an earlier get or seed), then seeded until SIGINT/SIGTERM, which exits 0.
Missing or damaged pieces are reported and not served; no valid piece at all is an error (a wrong --data
is the usual cause).`,
  args: {
    positionals: [{ name: 'torrent', description: 'the .torrent file', required: true }],
    options: {
      data: value('DIR', 'the directory holding the content (required)'),
      port: value('N', 'TCP port to listen on (default 6881, or any free port if it is taken; 0 = any)', { parse: parsePort }),
      peer: list('HOST:PORT', 'connect to this peer (repeatable)', { parse: parsePeerAddress }),
      tracker: list('URL[,URL...]', 'announce to these trackers too (one tier per --tracker)', { parse: parseTrackerTier }),
      'max-up': value('RATE', 'upload rate limit in bytes/s: 500K, 10M (default unlimited)', { parse: parseRate }),
      'json-progress': flag('print progress as one JSON object per line on stdout'),
    },
  },
  async run({ options, positionals: [path] }, io) {
    if (options.data === undefined) throw new UsageError('--data DIR is required: which directory holds the content?');
    const metainfo = await readTorrentFile(io.cwd, path);
    // Loaded on use: the engine is most of the CLI's start-up cost, and other commands never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runTransfer } = require('../transfer/run-transfer') as typeof import('../transfer/run-transfer');
    return runTransfer(
      {
        metainfo,
        directory: resolve(io.cwd, options.data),
        mode: 'seed',
        seedAfter: true,
        port: options.port,
        peers: options.peer,
        trackers: options.tracker,
        maxDownRate: 0,
        maxUpRate: options['max-up'] ?? 0,
        jsonProgress: options['json-progress'] ?? false,
      },
      io,
    );
  },
});
