import { runTool, type ToolResult } from './run-tool';

export interface TransmissionCreateOptions {
  readonly path: string;
  readonly output: string;
  /** Bytes; transmission-create takes KiB. Omitted: Transmission picks. */
  readonly pieceLength?: number;
  /** Each `-t` is a tier of its own in Transmission 3.00. */
  readonly trackers?: readonly string[];
  readonly private?: boolean;
  readonly comment?: string;
  readonly timeoutMs?: number;
}

export function transmissionCreateArgs(options: TransmissionCreateOptions): string[] {
  const args = ['-o', options.output];
  if (options.pieceLength !== undefined) {
    if (options.pieceLength % 1024 !== 0) throw new RangeError(`transmission-create needs whole KiB, got ${options.pieceLength}`);
    args.push('-s', String(options.pieceLength / 1024));
  }
  for (const tracker of options.trackers ?? []) args.push('-t', tracker);
  if (options.private) args.push('-p');
  if (options.comment !== undefined) args.push('-c', options.comment);
  args.push(options.path);
  return args;
}

/** transmission-create 3.00: v1 only, and it leaves empty files out of the torrent. */
export function transmissionCreate(options: TransmissionCreateOptions): Promise<ToolResult> {
  return runTool('transmission-create', transmissionCreateArgs(options), { timeoutMs: options.timeoutMs ?? 120_000 });
}

export interface TransmissionShown {
  readonly name: string;
  /** v1 info hash, hex. */
  readonly hash: string;
  readonly pieceCount: number;
  readonly privateTorrent: boolean;
  /** Tiers in order. */
  readonly trackers: string[][];
  /** Paths including the torrent name, as transmission-show prints them. */
  readonly files: string[];
}

/**
 * Parses `transmission-show` (3.00) output. Transmission 3.00 cannot load v2 or hybrid torrents at all
 * (empty dict keys in `file tree`, transmission/transmission#1339, fixed in 4.0); it exits 1 for them.
 */
export async function transmissionShow(path: string, timeoutMs = 30_000): Promise<TransmissionShown> {
  const { stdout } = await runTool('transmission-show', [path], { timeoutMs });
  return parseTransmissionShow(stdout);
}

export function parseTransmissionShow(text: string): TransmissionShown {
  const field = (label: string): string => {
    const match = new RegExp(`^  ${label}: (.*)$`, 'm').exec(text);
    if (!match) throw new Error(`transmission-show output has no '${label}' line:\n${text}`);
    return match[1];
  };
  return {
    name: field('Name'),
    hash: field('Hash'),
    pieceCount: Number(field('Piece Count')),
    privateTorrent: field('Privacy') === 'Private torrent',
    trackers: section(text, 'TRACKERS')
      .split(/\n\s*Tier #\d+\n/)
      .map((tier) => tier.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('Tier #')))
      .filter((tier) => tier.length > 0),
    files: section(text, 'FILES')
      .split('\n')
      .map((line) => /^  (.*) \([^()]*\)$/.exec(line)?.[1])
      .filter((file): file is string => file !== undefined),
  };
}

function section(text: string, title: string): string {
  const start = text.indexOf(`\n${title}\n`);
  if (start < 0) return '';
  const rest = text.slice(start + title.length + 2);
  const end = rest.search(/\n[A-Z]+\n/);
  return end < 0 ? rest : rest.slice(0, end);
}
