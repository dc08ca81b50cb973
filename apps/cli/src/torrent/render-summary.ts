import { formatBytes } from '../output/format-units';
import type { TorrentSummary } from './torrent-summary';

/** Fields only a .torrent file has, shown in the human-readable output but not part of the JSON shape. */
export interface TorrentExtras {
  comment?: string;
  createdBy?: string;
  creationDate?: number;
}

/** The human-readable `torrent info` output. */
export function renderSummary(summary: TorrentSummary, extras: TorrentExtras = {}): string {
  const rows: [string, string][] = [
    ['Name', summary.name ?? '(unknown)'],
    ['Total size', sizeText(summary.totalSize)],
    ['Piece length', sizeText(summary.pieceLength)],
    ['Pieces', summary.pieceCount === null ? '(unknown)' : String(summary.pieceCount)],
    ['Info hash v1', summary.infoHashV1 ?? '-'],
    ['Info hash v2', summary.infoHashV2 ?? '-'],
    ['Private', summary.private === null ? '(unknown)' : summary.private ? 'yes' : 'no'],
  ];
  if (extras.comment !== undefined) rows.push(['Comment', extras.comment]);
  if (extras.createdBy !== undefined) rows.push(['Created by', extras.createdBy]);
  if (extras.creationDate !== undefined) rows.push(['Created on', new Date(extras.creationDate * 1000).toISOString()]);
  const lines = rows.map(([label, text]) => `${`${label}:`.padEnd(14)}${text}`);
  lines.push(...listSection('Trackers', summary.trackers.map((tier, index) => `tier ${index + 1}: ${tier.join(' ')}`)));
  lines.push(...listSection('Web seeds', summary.webSeeds));
  if (summary.files !== null) {
    const width = Math.max(0, ...summary.files.map((file) => file.path.length));
    lines.push(...listSection(`Files (${summary.files.length})`, summary.files.map((file) => `${file.path.padEnd(width)}  ${formatBytes(file.size)}`)));
  }
  lines.push(`${'Magnet:'.padEnd(14)}${summary.magnet}`);
  return `${lines.join('\n')}\n`;
}

function sizeText(bytes: number | null): string {
  if (bytes === null) return '(unknown)';
  return bytes < 1024 ? formatBytes(bytes) : `${formatBytes(bytes)} (${bytes} bytes)`;
}

function listSection(title: string, items: readonly string[]): string[] {
  return items.length === 0 ? [`${`${title}:`.padEnd(14)}none`] : [`${title}:`, ...items.map((item) => `  ${item}`)];
}
