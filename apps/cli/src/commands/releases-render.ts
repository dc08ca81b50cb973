import type { OutputStream } from '../io';
import { formatBytes } from '../output/format-units';
import type { ReleaseView } from '../publisher-client/types';

/** The JSON object `publish --json` prints (and `releases show` adds to the record). */
export function releaseSummary(release: ReleaseView) {
  return {
    releaseId: release.id,
    product: release.product,
    version: release.version,
    channel: release.channel,
    public: release.public,
    status: release.status,
    infoHashV1: release.infoHashV1 ?? null,
    infoHashV2: release.infoHashV2 ?? null,
    magnet: release.magnet ?? null,
    torrentUrl: release.torrentUrl,
    manifestUrl: release.manifestUrl,
    webSeedUrl: release.webSeedUrl,
    totalSize: release.files.reduce((sum, file) => sum + file.size, 0),
    files: release.files.map((file) => ({ path: file.path, size: file.size, sha256: file.sha256 })),
  };
}

/** Labelled lines describing one release, for people. */
export function releaseDetails(release: ReleaseView): string {
  const total = release.files.reduce((sum, file) => sum + file.size, 0);
  const rows: Array<[string, string | undefined]> = [
    ['release', release.id],
    ['product', `${release.product} ${release.version} (channel ${release.channel}, ${release.public ? 'public' : 'private'})`],
    ['status', release.status + (release.error ? ` (${release.error})` : '') + (release.build && release.status === 'building' ? ` ${release.build.phase} ${percent(release.build.bytesDone, release.build.bytesTotal)}` : '')],
    ['created', release.createdAt],
    ['files', `${release.files.length} (${formatBytes(total)})`],
    ['info hash v1', release.infoHashV1],
    ['info hash v2', release.infoHashV2],
    ['magnet', release.magnet],
    ['torrent', release.status === 'ready' ? release.torrentUrl : undefined],
    ['manifest', release.status === 'ready' ? release.manifestUrl : undefined],
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([label, text]) => `  ${label.padEnd(13)}${text}`)
    .join('\n');
}

const COLUMNS = ['ID', 'PRODUCT', 'VERSION', 'CHANNEL', 'STATUS', 'CREATED'] as const;

/** A table with a header on a terminal; tab-separated lines without one otherwise (for scripts). */
export function writeReleaseTable(stream: OutputStream, releases: readonly ReleaseView[]): void {
  const rows = releases.map((release) => [release.id, release.product, release.version, release.channel, release.status, release.createdAt.replace(/\.\d{3}Z$/, 'Z')]);
  if (!stream.isTTY) {
    for (const row of rows) stream.write(`${row.join('\t')}\n`);
    return;
  }
  if (rows.length === 0) {
    stream.write('no releases\n');
    return;
  }
  const table = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, column) => Math.max(...table.map((row) => row[column].length)));
  for (const row of table) stream.write(`${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')}\n`);
}

function percent(done: number, total: number): string {
  return `${total > 0 ? Math.floor((done / total) * 100) : 100}%`;
}
