import { MetainfoError, parseMagnet, toMagnet } from '@seedfleet/metainfo';
import { flag } from '../args/option-spec';
import { CliError } from '../cli-error';
import { printJson } from '../output/print-json';
import { renderSummary, type TorrentExtras } from '../torrent/render-summary';
import { readTorrentFile } from '../torrent/read-torrent-file';
import { summarizeMagnet, summarizeTorrent, type TorrentSummary } from '../torrent/torrent-summary';
import { defineCommand } from './command';

export const torrentInfoCommand = defineCommand({
  name: 'torrent info',
  summary: 'Show what a .torrent file or magnet link describes.',
  details: `
With --json, prints one object with exactly the keys name, totalSize, pieceLength, pieceCount, files
([{path, size}], pad files left out, path below the torrent name joined with '/'), infoHashV1, infoHashV2
(hex, null when the torrent has no such hash), trackers (tiers: an array of arrays of URLs), webSeeds,
private and magnet. For a magnet link, what it cannot tell (piece length, files, ...) is null.`,
  args: {
    positionals: [{ name: 'torrent', description: 'a .torrent file or a magnet: link', required: true }],
    options: { json: flag('print one JSON object instead of text') },
  },
  async run({ options, positionals: [source] }, io) {
    const { summary, extras } = source.startsWith('magnet:') ? describeMagnet(source) : await describeFile(source, io.cwd);
    if (options.json) printJson(io.stdout, summary);
    else io.stdout.write(renderSummary(summary, extras));
  },
});

async function describeFile(path: string, cwd: string): Promise<{ summary: TorrentSummary; extras: TorrentExtras }> {
  const metainfo = await readTorrentFile(cwd, path);
  const extras = { comment: metainfo.comment, createdBy: metainfo.createdBy, creationDate: metainfo.creationDate };
  return { summary: summarizeTorrent(metainfo, toMagnet(metainfo)), extras };
}

function describeMagnet(uri: string): { summary: TorrentSummary; extras: TorrentExtras } {
  try {
    const link = parseMagnet(uri);
    return { summary: summarizeMagnet(link, toMagnet(link)), extras: {} };
  } catch (error) {
    if (error instanceof MetainfoError) throw new CliError(`invalid magnet link: ${error.message}`, { cause: error });
    throw error;
  }
}
