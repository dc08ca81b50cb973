import { resolve } from 'node:path';
import { parseRate } from '../args/network';
import { flag, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { loadTorrentSource } from '../transfer/load-torrent-source';
import { originOptions, originPlan } from '../transfer/origin-options';
import { runTransferLazily, swarmOptions, swarmPlan } from '../transfer/swarm-options';
import { defineCommand } from './command';

export const getCommand = defineCommand({
  name: 'get',
  summary: 'Download a torrent into a directory, verify it, and optionally keep seeding.',
  details: `
The content is written as DIR/<name> (a file for a single-file torrent, a directory otherwise); resume
data is kept in DIR/.seedfleet/, so running the same command again after an interruption (Ctrl-C, a
crash, a reboot) re-verifies only what it must and continues. Peers come from the torrent's trackers,
from --tracker and from --peer. A magnet link's metadata is fetched from its peers (x.pe, its trackers,
--peer, --tracker) and kept as DIR/.seedfleet/<infohash>.torrent, so a second run does not fetch it again.
Exit codes: 0 complete (or, with --seed, stopped by SIGINT/SIGTERM), 1 error, 2 usage, 130 interrupted
before completion.
With --json-progress, one JSON object per line on stdout, about once a second:
  {"state","downloaded","total","downRate","upRate","peers","uploaded","seeds","piecesHave","pieceCount",
   "webSeedDownloaded","webSeeds"}
(state: checking, downloading, seeding, stopped, error; bytes and bytes per second; webSeedDownloaded is
the bytes that came from web seeds, webSeeds how many are in use).
Web seeds (BEP 19) are the torrent's url-list plus --web-seed. --origin fallback (the default, as on the
fleet) fetches from them only pieces no connected peer has, or anything while no peer is known or the
peers have stalled for 5 s, so a web-seed-only torrent downloads at full speed and a swarm spares the
origin; assist also fetches while peers are slower than --download-goal; off never uses them.`,
  args: {
    positionals: [{ name: 'torrent', description: 'a .torrent file, an http(s) URL of one, or a magnet link', required: true }],
    options: {
      output: value('DIR', 'where to put the content (required)', { short: 'o' }),
      seed: flag('keep seeding after the download completes, until interrupted'),
      'max-down': value('RATE', 'download rate limit in bytes/s: 500K, 10M (default unlimited)', { parse: parseRate }),
      ...swarmOptions,
      ...originOptions,
    },
  },
  async run({ options, positionals: [source] }, io) {
    if (options.output === undefined) throw new UsageError('-o DIR is required: where should the content go?');
    const directory = resolve(io.cwd, options.output);
    const swarm = swarmPlan(options);
    const { metainfo, peers } = await loadTorrentSource(io.cwd, source, io.signal, {
      directory,
      port: swarm.port,
      peers: swarm.peers,
      trackers: swarm.trackers,
      stderr: io.stderr,
    });
    return runTransferLazily(
      {
        ...swarm,
        ...originPlan(options),
        peers: [...swarm.peers, ...peers],
        metainfo,
        directory,
        mode: 'download',
        seedAfter: options.seed ?? false,
        maxDownRate: options['max-down'] ?? 0,
      },
      io,
    );
  },
});
