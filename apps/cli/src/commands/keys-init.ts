import { join, resolve } from 'node:path';
import type { Ed25519Signer, RoleKeys } from '@seedfleet/trust';
import { flag, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { CliError } from '../cli-error';
import { printJson } from '../output/print-json';
import { defineCommand } from './command';
import { parseCount, requireOption } from './keys-options';

export const keysInitCommand = defineCommand({
  name: 'keys init',
  summary: 'Generate the TUF signing keys and write the first signed metadata (root v1).',
  details: `
Writes ed25519 private keys (PEM, mode 0600) into DIR: root-1.pem .. root-N.pem for the root role and
targets.pem, snapshot.pem, timestamp.pem for the online roles, then 1.root.json (and root.json) with
empty targets, snapshot and timestamp v1 into the metadata directory (default DIR/metadata).
Keep the root keys offline: the publisher needs only the three online keys (for example as base64 PEM in
environment variables) and the metadata; root.json is what agents ship as their trusted root.
Refuses to overwrite existing keys or metadata. With --json, prints {keysDir, metadataDir, root:
{version, expires}, roles: {<role>: {threshold, keys: [{keyId, file}]}}}.`,
  args: {
    positionals: [],
    options: {
      dir: value('DIR', 'directory for the private key files (created 0700)'),
      metadata: value('DIR', 'directory for the metadata (default DIR/metadata)'),
      threshold: value('N', 'root signatures required (default 1)', { parse: parseCount('threshold', 16) }),
      'root-keys': value('M', 'number of root keys to generate (default: the threshold)', { parse: parseCount('number of keys', 16) }),
      json: flag('print one JSON object instead of text'),
    },
  },
  async run({ options }, io) {
    // Loaded on use, so other commands do not pay for the TUF libraries at start-up.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { generateEd25519Signer, initRepository } = require('@seedfleet/trust') as typeof import('@seedfleet/trust');
    const { asCliError, listDir, metadataStore, ONLINE_KEY_FILES, prepareKeysDir, rootKeyFile, writeKeyFile } = require('./keys-files') as typeof import('./keys-files');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const keysDir = resolve(io.cwd, requireOption(options.dir, '--dir DIR', 'keys init'));
    const metadataDir = resolve(io.cwd, options.metadata ?? join(keysDir, 'metadata'));
    const threshold = options.threshold ?? 1;
    const rootCount = options['root-keys'] ?? threshold;
    if (threshold > rootCount) throw new UsageError(`--threshold ${threshold} is more than the ${rootCount} root key(s) of --root-keys`, 'keys init');
    const store = metadataStore(io.cwd, metadataDir);
    if ((await store.read('root.json')) || (await store.read('1.root.json'))) throw new CliError(`'${metadataDir}' already holds root metadata; use 'seedfleet keys rotate-root' to change root keys`);
    const existing = new Set(await listDir(keysDir));
    const fileNames = [...Array.from({ length: rootCount }, (_, index) => rootKeyFile(index + 1)), ...ONLINE_KEY_FILES];
    const clash = fileNames.filter((name) => existing.has(name));
    if (clash.length > 0) throw new CliError(`'${keysDir}' already has ${clash.join(', ')}; refusing to overwrite keys`);

    const rootSigners = Array.from({ length: rootCount }, () => generateEd25519Signer());
    const online = { targets: generateEd25519Signer(), snapshot: generateEd25519Signer(), timestamp: generateEd25519Signer() };
    await prepareKeysDir(keysDir);
    const files = new Map<Ed25519Signer, string>();
    for (const [index, signer] of rootSigners.entries()) files.set(signer, await writeKeyFile(keysDir, rootKeyFile(index + 1), signer));
    for (const role of ['targets', 'snapshot', 'timestamp'] as const) files.set(online[role], await writeKeyFile(keysDir, `${role}.pem`, online[role]));

    const one = (signer: Ed25519Signer): RoleKeys => ({ keys: [signer.publicKey], threshold: 1 });
    const repository = await initRepository({
      store,
      roles: { root: { keys: rootSigners.map((signer) => signer.publicKey), threshold }, targets: one(online.targets), snapshot: one(online.snapshot), timestamp: one(online.timestamp) },
      rootSigners,
      signers: { targets: [online.targets], snapshot: [online.snapshot], timestamp: [online.timestamp] },
    }).catch((error: unknown) => {
      const failure = asCliError(error);
      if (failure instanceof Error) failure.message += ` (the new keys are in ${keysDir}; remove them before running keys init again)`;
      throw failure;
    });
    const status = await repository.status();
    const describe = (signers: Ed25519Signer[], roleThreshold: number) => ({ threshold: roleThreshold, keys: signers.map((signer) => ({ keyId: signer.publicKey.keyId, file: files.get(signer)! })) });
    const roles = { root: describe(rootSigners, threshold), targets: describe([online.targets], 1), snapshot: describe([online.snapshot], 1), timestamp: describe([online.timestamp], 1) };
    const summary = { keysDir, metadataDir, root: status.root, roles };
    if (options.json) return printJson(io.stdout, summary);
    io.stdout.write(
      [
        `wrote ${rootCount} root key(s) (threshold ${threshold}) and the targets, snapshot and timestamp keys to ${keysDir}`,
        ...Object.entries(roles).flatMap(([name, role]) => role.keys.map((key) => `  ${name.padEnd(9)} ${key.keyId}  ${key.file}`)),
        `wrote root v1 (expires ${status.root.expires}) and empty targets, snapshot and timestamp v1 to ${metadataDir}`,
        `move the root-*.pem files offline; agents ship ${join(metadataDir, 'root.json')} as their trusted root`,
        '',
      ].join('\n'),
    );
  },
});
