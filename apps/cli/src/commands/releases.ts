import { flag, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { printJson } from '../output/print-json';
import { connectionOptions, publisherClient } from '../publisher-client/connection-options';
import { RELEASE_STATUSES, type ReleaseStatus } from '../publisher-client/types';
import { defineCommand } from './command';
import { releaseDetails, releaseSummary, writeReleaseTable } from './releases-render';

const RELEASE_ID = /^rel_[0-9a-z]{26}$/;

function parseStatus(text: string): ReleaseStatus {
  if (!(RELEASE_STATUSES as readonly string[]).includes(text)) throw new Error(`'${text}' is not a release status (${RELEASE_STATUSES.join(', ')})`);
  return text as ReleaseStatus;
}

const releaseIdPositional = { name: 'id', description: "release id (rel_..., see 'seedfleet releases list')", required: true };

export const releasesListCommand = defineCommand({
  name: 'releases list',
  summary: "List a publisher's releases, newest first.",
  details: `
On a terminal a table (ID, PRODUCT, VERSION, CHANNEL, STATUS, CREATED); otherwise one tab-separated line
per release, for scripts. With --json, {items: [<release record>, ...]} as the publisher returns them.`,
  args: {
    positionals: [],
    options: {
      product: value('NAME', 'only this product'),
      channel: value('C', 'only this channel'),
      status: value('S', `only this status (${RELEASE_STATUSES.join(', ')})`, { parse: parseStatus }),
      ...connectionOptions,
      json: flag('print the releases as JSON'),
    },
  },
  async run({ options }, io) {
    const client = publisherClient(options, io, 'releases list');
    const items = await client.listReleases({ product: options.product, channel: options.channel, status: options.status });
    if (options.json) return printJson(io.stdout, { items });
    writeReleaseTable(io.stdout, items);
  },
});

export const releasesShowCommand = defineCommand({
  name: 'releases show',
  summary: 'Show one release: status, build progress, files, info hashes and URLs.',
  details: `
With --json, the publisher's release record plus releaseId, infoHashV1/V2 (null before the build),
magnet, torrentUrl, manifestUrl and totalSize.`,
  args: {
    positionals: [releaseIdPositional],
    options: { ...connectionOptions, json: flag('print the release as JSON') },
  },
  async run({ options, positionals: [id] }, io) {
    const client = publisherClient(options, io, 'releases show');
    const release = await client.getRelease(usageChecked(id, 'releases show'));
    if (options.json) return printJson(io.stdout, { ...release, ...releaseSummary(release) });
    io.stdout.write(`${releaseDetails(release)}\n${release.files.map((file) => `    ${file.sha256}  ${String(file.size).padStart(12)}  ${file.path}`).join('\n')}\n`);
  },
});

export const releasesRetireCommand = defineCommand({
  name: 'releases retire',
  summary: 'Retire a release: agents stop getting it, the tracker forgets it, its TUF targets are removed.',
  details: `
Retiring is final and repeatable (retiring a retired release changes nothing). To go back to older bits,
publish them as a new version. With --json, the retired release record.`,
  args: {
    positionals: [releaseIdPositional],
    options: { ...connectionOptions, json: flag('print the retired release as JSON') },
  },
  async run({ options, positionals: [id] }, io) {
    const client = publisherClient(options, io, 'releases retire');
    const release = await client.retireRelease(usageChecked(id, 'releases retire'));
    if (options.json) return printJson(io.stdout, { ...release, ...releaseSummary(release) });
    io.stdout.write(`retired release ${release.id} (${release.product} ${release.version}, channel ${release.channel})\n`);
  },
});

/** A malformed id is a usage error (exit 2), not a question for the server. */
function usageChecked(id: string, command: string): string {
  if (!RELEASE_ID.test(id)) throw new UsageError(`'${id}' is not a release id (rel_ followed by 26 characters; see 'seedfleet releases list')`, command);
  return id;
}
