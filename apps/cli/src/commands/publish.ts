import { resolve } from 'node:path';
import { flag, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { CliError } from '../cli-error';
import type { CliIo } from '../io';
import { formatBytes } from '../output/format-units';
import { printJson } from '../output/print-json';
import { connectionOptions, publisherClient } from '../publisher-client/connection-options';
import type { PublisherClient } from '../publisher-client/publisher-client';
import { PublisherHttpError } from '../publisher-client/publisher-error';
import type { ReleaseView } from '../publisher-client/types';
import { defineCommand } from './command';
import { collectFiles, type LocalFile } from './publish-files';
import { interrupted, uploadFiles } from './publish-upload';
import { waitForBuild } from './publish-wait';
import { releaseDetails, releaseSummary } from './releases-render';

/** The publisher's name rules (the API refuses anything else); checked here so a typo is a usage error. */
const PRODUCT_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
const CHANNEL = /^[a-z][a-z0-9-]{0,31}$/;
const DEFAULT_CHANNELS = ['stable', 'beta'];

const matching = (pattern: RegExp, what: string, example: string) => (text: string) => {
  if (!pattern.test(text)) throw new Error(`'${text}' is not a valid ${what} (${pattern.source}, e.g. ${example})`);
  return text;
};

export const publishCommand = defineCommand({
  name: 'publish',
  summary: 'Upload a file or directory to a publisher as a new release, build its torrent and print it.',
  details: `
Creates the release (product and version), streams every file under PATH to the publisher (paths
relative to PATH; a single file keeps its name), starts the build and waits for it, then prints the info
hashes, the magnet link and the torrent and manifest URLs. Versions are immutable: publishing a version
that exists fails, unless that release is still open for uploads (an interrupted publish), which is then
resumed, skipping files already uploaded with the same SHA-256.
The product must exist on the publisher, or pass --create-product to create it (channels stable and beta,
plus --channel). Private releases (the default) are for enrolled agents; --public makes a torrent any
BitTorrent client can use (mirrors). SEEDFLEET_SERVER and SEEDFLEET_TOKEN are the defaults of --server
and --token. With --json one object is printed: {releaseId, product, version, channel, public, status,
infoHashV1, infoHashV2, magnet, torrentUrl, manifestUrl, webSeedUrl, totalSize, files: [{path, size,
sha256}], resumed}. Progress (bytes, rate, ETA) is drawn on stderr when it is a terminal.
Exit codes: 0 published, 1 refused or failed (the server's message is shown), 2 bad arguments,
130 interrupted (run the same command again to resume).`,
  args: {
    positionals: [{ name: 'path', description: 'the file or directory to publish', required: true }],
    options: {
      product: value('NAME', 'product name (required)', { parse: matching(PRODUCT_NAME, 'product name', 'my-app') }),
      version: value('V', 'release version, unique per product (required)', { parse: matching(VERSION, 'version', '1.4.0') }),
      channel: value('C', 'channel (default stable)', { parse: matching(CHANNEL, 'channel', 'beta') }),
      public: flag('a public torrent (no private flag, open tracker) for mirrors and any client'),
      'create-product': flag('create the product when the publisher does not know it'),
      wait: flag('wait for the build (default); --no-wait returns once it is queued', { negatable: true }),
      ...connectionOptions,
      json: flag('print one JSON object describing the release'),
    },
  },
  async run({ options, positionals: [path] }, io) {
    const product = required(options.product, '--product NAME');
    const version = required(options.version, '--version V');
    const channel = options.channel ?? 'stable';
    const client = publisherClient(options, io, 'publish');
    const files = await collectFiles(resolve(io.cwd, path));

    await ensureProduct(client, product, channel, options['create-product'] ?? false, io);
    const { release, resumed } = await openRelease(client, { product, version, channel, public: options.public ?? false }, files);
    const { skipped } = await uploadFiles(client, release.id, files, resumed ? release.files : [], io);
    const queued = await client.startBuild(release.id).catch((error: unknown) => {
      throw interrupted(error, io, release.id, 'while starting the build');
    });
    const final = options.wait === false ? queued : await waitForBuild(client, release.id, io);
    const totalSize = files.reduce((sum, file) => sum + file.size, 0);
    if (options.json) return printJson(io.stdout, { ...releaseSummary(final), resumed });
    const how = resumed ? `resumed release ${release.id} (${skipped} file(s) already uploaded)` : `release ${release.id}`;
    const what = final.status === 'ready' ? 'published' : `queued the build of`;
    io.stdout.write(`${what} ${product} ${version}: ${how}, ${files.length} file(s), ${formatBytes(totalSize)}\n${releaseDetails(final)}\n`);
  },
});

function required<T>(value: T | undefined, option: string): T {
  if (value === undefined) throw new UsageError(`${option} is required`, 'publish');
  return value;
}

async function ensureProduct(client: PublisherClient, name: string, channel: string, create: boolean, io: CliIo): Promise<void> {
  if (await client.findProduct(name)) return;
  if (!create) throw new CliError(`product ${name} does not exist on ${client.server}; pass --create-product to create it`);
  const channels = DEFAULT_CHANNELS.includes(channel) ? DEFAULT_CHANNELS : [...DEFAULT_CHANNELS, channel];
  try {
    await client.createProduct(name, channels);
    io.stderr.write(`created product ${name} (channels ${channels.join(', ')})\n`);
  } catch (error) {
    // Another publish created it meanwhile.
    if (!(error instanceof PublisherHttpError && error.status === 409)) throw error;
  }
}

/**
 * Creates the release; when the version exists and that release still accepts uploads (a publish was
 * interrupted), continues it instead, provided it holds no file that is not in `files`.
 */
async function openRelease(client: PublisherClient, input: { product: string; version: string; channel: string; public: boolean }, files: readonly LocalFile[]): Promise<{ release: ReleaseView; resumed: boolean }> {
  try {
    return { release: await client.createRelease(input), resumed: false };
  } catch (error) {
    if (!(error instanceof PublisherHttpError && error.status === 409)) throw error;
    const existing = (await client.listReleases({ product: input.product })).find((release) => release.version === input.version);
    if (!existing || existing.status !== 'uploading') throw error;
    if (existing.channel !== input.channel || existing.public !== input.public) {
      throw new CliError(`release ${existing.id} (${input.product} ${input.version}) is open for uploads but was created as channel ${existing.channel}, ${existing.public ? 'public' : 'private'}; run publish again with the same options to resume it`);
    }
    const local = new Set(files.map((file) => file.path));
    const foreign = existing.files.filter((file) => !local.has(file.path)).map((file) => file.path);
    if (foreign.length > 0) throw new CliError(`release ${existing.id} (${input.product} ${input.version}) already holds files that are not in the path given: ${foreign.slice(0, 5).join(', ')}; publish a new version`);
    return { release: existing, resumed: true };
  }
}
