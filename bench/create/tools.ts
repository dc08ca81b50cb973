import { libtorrentCreateInvocation, mktorrentArgs, transmissionCreateArgs, type ReferenceVersion } from '@seedfleet/testing';
import type { BuiltCheckout } from '../lib/checkout';

export interface CreateJob {
  readonly contentPath: string;
  readonly output: string;
  readonly pieceLength: number;
}

export interface CreateTool {
  /** e.g. 'seedfleet', 'mktorrent -t 2'. */
  readonly name: string;
  readonly version: ReferenceVersion;
  readonly ours: boolean;
  /** False when the tool writes a different info dict by design, so its info hash cannot match ours. */
  readonly comparableHashes: boolean;
  invocation(job: CreateJob): { command: string; args: string[] };
}

/** `seedfleet torrent create` of a checkout, with the node flags of its bin/seedfleet.js, as a user runs it. */
function seedfleet(checkout: BuiltCheckout, version: ReferenceVersion, name = 'seedfleet'): CreateTool {
  return {
    name,
    version,
    ours: name === 'seedfleet',
    comparableHashes: true,
    invocation: (job) => ({
      command: process.execPath,
      args: [...checkout.nodeFlags, checkout.cli, 'torrent', 'create', job.contentPath, '-o', job.output, `--${version}`, '--piece-length', String(job.pieceLength), '--no-date', '--force'],
    }),
  };
}

function libtorrent(version: ReferenceVersion): CreateTool {
  return {
    name: 'libtorrent',
    version,
    ours: false,
    comparableHashes: true,
    invocation: (job) => libtorrentCreateInvocation({ path: job.contentPath, output: job.output, version, pieceLength: job.pieceLength }),
  };
}

/**
 * The S5 line-up: ours against each reference for the versions it can make, and against the same CLI of
 * another built checkout (`baseline`) when given.
 */
export function createTools(ours: BuiltCheckout, baseline?: BuiltCheckout): CreateTool[] {
  const base = (version: ReferenceVersion): CreateTool[] => (baseline === undefined ? [] : [seedfleet(baseline, version, 'seedfleet base')]);
  return [
    seedfleet(ours, 'v1'),
    {
      name: 'mktorrent -t 2',
      version: 'v1',
      ours: false,
      comparableHashes: true,
      invocation: (job) => ({ command: 'mktorrent', args: mktorrentArgs({ path: job.contentPath, output: job.output, pieceLength: job.pieceLength, threads: 2, date: false }) }),
    },
    {
      name: 'transmission-create',
      version: 'v1',
      ours: false,
      // Transmission 3.00 always writes `private: 0` into the info dict.
      comparableHashes: false,
      invocation: (job) => ({ command: 'transmission-create', args: transmissionCreateArgs({ path: job.contentPath, output: job.output, pieceLength: job.pieceLength }) }),
    },
    ...base('v1'),
    seedfleet(ours, 'v2'),
    libtorrent('v2'),
    ...base('v2'),
    seedfleet(ours, 'hybrid'),
    libtorrent('hybrid'),
    ...base('hybrid'),
  ];
}
