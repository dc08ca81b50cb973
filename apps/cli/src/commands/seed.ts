import { resolve } from 'node:path';
import { flag, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { readTorrentFile } from '../torrent/read-torrent-file';
import { runTransferLazily, swarmOptions, swarmPlan } from '../transfer/swarm-options';
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
      'super-seed': flag('super-seeding (BEP 16) when the data is complete: reveal one piece per peer at a time, so each leaves this seed about once'),
      ...swarmOptions,
    },
  },
  async run({ options, positionals: [path] }, io) {
    if (options.data === undefined) throw new UsageError('--data DIR is required: which directory holds the content?');
    const metainfo = await readTorrentFile(io.cwd, path);
    return runTransferLazily(
      {
        ...swarmPlan(options),
        metainfo,
        directory: resolve(io.cwd, options.data),
        mode: 'seed',
        seedAfter: true,
        maxDownRate: 0,
        superSeed: options['super-seed'] ?? false,
      },
      io,
    );
  },
});
