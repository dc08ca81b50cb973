import { parsePeerAddress, parsePort, parseRate } from '../args/network';
import { flag, list, value, type ParsedOptions } from '../args/option-spec';
import { parseTrackerTier } from '../args/urls';
import type { EncryptionPolicy } from '@seedfleet/wire';
import type { CliIo } from '../io';
import type { ChokingMode, TransferPlan } from './run-transfer';

/** The options `get` and `seed` share: how to reach the swarm, the upload limit, progress output. */
export const swarmOptions = {
  port: value('N', 'TCP port to listen on (default 6881, or any free port if it is taken; 0 = any)', { parse: parsePort }),
  peer: list('HOST:PORT', 'connect to this peer', { parse: parsePeerAddress }),
  tracker: list('URL[,URL...]', 'announce to these trackers too (one tier per --tracker)', { parse: parseTrackerTier }),
  'max-up': value('RATE', 'upload rate limit in bytes/s: 500K, 10M (default unlimited)', { parse: parseRate }),
  'json-progress': flag('print progress as one JSON object per line on stdout'),
  dht: flag('find peers on the DHT, public torrents only (default; --no-dht turns it off)', { negatable: true }),
  lsd: flag('find peers on the local network (LSD), public torrents only (default; --no-lsd turns it off)', { negatable: true }),
  'dht-bootstrap': list('HOST:PORT', 'join the DHT through this node instead of the public routers', { parse: parseDhtNode }),
  encryption: value('MODE', 'peer encryption (MSE): prefer (default: try it, fall back to plaintext), require (RC4 only), off', { parse: parseEncryption }),
  choking: value('MODE', 'whom to upload to: tit-for-tat (default for public torrents: reciprocate, plus a rotating optimistic slot) or cooperative (default for private ones: 8 peers take turns, for fleets where every peer cooperates)', { parse: parseChoking }),
};

/** The part of a TransferPlan that comes from swarmOptions. */
export function swarmPlan(options: ParsedOptions<typeof swarmOptions>): Pick<TransferPlan, 'port' | 'peers' | 'trackers' | 'maxUpRate' | 'jsonProgress' | 'dht' | 'lsd' | 'dhtBootstrap' | 'encryption' | 'choking'> {
  return {
    port: options.port,
    peers: options.peer,
    trackers: options.tracker,
    maxUpRate: options['max-up'] ?? 0,
    jsonProgress: options['json-progress'] ?? false,
    dht: options.dht ?? true,
    lsd: options.lsd ?? true,
    dhtBootstrap: options['dht-bootstrap'].length > 0 ? options['dht-bootstrap'] : undefined,
    encryption: options.encryption ?? 'prefer',
    choking: options.choking,
  };
}

const CHOKING_MODES: readonly ChokingMode[] = ['tit-for-tat', 'cooperative'];

function parseChoking(text: string): ChokingMode {
  const mode = CHOKING_MODES.find((name) => name === text);
  if (!mode) throw new Error(`'${text}' is not one of ${CHOKING_MODES.join(', ')}`);
  return mode;
}

/** Listed here rather than imported, so parsing arguments does not load the wire library. */
const ENCRYPTION_POLICIES: readonly EncryptionPolicy[] = ['prefer', 'require', 'off'];

function parseEncryption(text: string): EncryptionPolicy {
  const policy = ENCRYPTION_POLICIES.find((name) => name === text);
  if (!policy) throw new Error(`'${text}' is not one of ${ENCRYPTION_POLICIES.join(', ')}`);
  return policy;
}

/** A DHT node as bittorrent-dht takes it: `host:port` (IPv4 or a name; the DHT is IPv4 only). */
function parseDhtNode(text: string): string {
  const { host, port } = parsePeerAddress(text);
  if (host.includes(':')) throw new Error(`'${text}': the DHT is IPv4 only here`);
  return `${host}:${port}`;
}

/** runTransfer, loaded on use: the engine is most of the CLI's start-up cost, and other commands never need it. */
export function runTransferLazily(plan: TransferPlan, io: CliIo): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runTransfer } = require('./run-transfer') as typeof import('./run-transfer');
  return runTransfer(plan, io);
}
