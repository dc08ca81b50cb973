import type { AddTorrentOptions } from '@seedfleet/engine';
import { parseRate } from '../args/network';
import { list, value, type ParsedOptions } from '../args/option-spec';
import { parseWebSeed } from '../args/urls';
import type { TransferPlan } from './run-transfer';

export type OriginMode = NonNullable<AddTorrentOptions['origin']>;
const ORIGIN_MODES: readonly OriginMode[] = ['fallback', 'assist', 'off'];

/** `get`'s web-seed options (BEP 19): extra url-list entries and how much to take from them. */
export const originOptions = {
  'web-seed': list('URL', 'fetch from this http(s) web seed too, on top of the torrent\'s url-list', { parse: parseWebSeed }),
  origin: value('MODE', 'web seeds: fallback (default) only for pieces no peer has or when peers stall; assist also when peers are slower than --download-goal; off', { parse: parseOrigin }),
  'download-goal': value('RATE', 'with --origin assist: web seeds fill in while peers are below this rate: 5M, 100M (default: always)', { parse: parseRate }),
};

/** The part of a TransferPlan that comes from originOptions. */
export function originPlan(options: ParsedOptions<typeof originOptions>): Pick<TransferPlan, 'webSeeds' | 'origin' | 'downloadGoal'> {
  return {
    webSeeds: options['web-seed'],
    origin: options.origin ?? 'fallback',
    ...(options['download-goal'] ? { downloadGoal: options['download-goal'] } : {}),
  };
}

export function parseOrigin(text: string): OriginMode {
  const mode = ORIGIN_MODES.find((candidate) => candidate === text.trim());
  if (!mode) throw new Error(`'${text}': expected one of ${ORIGIN_MODES.join(', ')}`);
  return mode;
}
