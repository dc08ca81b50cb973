import { basename, join, resolve } from 'node:path';
import type { Signer } from '@seedfleet/trust';
import { flag, list, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { CliError } from '../cli-error';
import { printJson } from '../output/print-json';
import { defineCommand } from './command';
import { parseCount, requireOption } from './keys-options';

const DAY_MS = 24 * 60 * 60 * 1000;

export const keysRotateRootCommand = defineCommand({
  name: 'keys rotate-root',
  summary: 'Sign a new root version with the old and the new root keys, offline.',
  details: `
Reads the newest root from the metadata directory and the private keys in DIR, and writes
<n+1>.root.json (and root.json) whose root role has the new keys: those given with --new-root-key
(PEM private keys, since each must sign), or freshly generated ones written to DIR as root-<k>.pem (as
many as the current root has). The new root is signed by enough old root keys for the current threshold
and by the new keys for the new one, so agents trusting version n accept n+1. The other roles keep their
keys. Old root key files are left in place: archive or destroy them once agents have updated.
With --json, prints {version, file, expires, root: {threshold, keyIds}, newKeyFiles, signedBy}.`,
  args: {
    positionals: [],
    options: {
      dir: value('DIR', 'directory with the current root key files (new ones are written here)'),
      metadata: value('DIR', 'the repository metadata directory (holding root.json)'),
      'new-root-key': list('FILE', 'a PEM private key to become a root key (repeatable)'),
      threshold: value('N', 'root signatures required by the new root (default: as now)', { parse: parseCount('threshold', 16) }),
      'expires-days': value('DAYS', 'validity of the new root in days (default 365)', { parse: parseCount('number of days', 3650) }),
      json: flag('print one JSON object instead of text'),
    },
  },
  async run({ options }, io) {
    // Loaded on use, so other commands do not pay for the TUF libraries at start-up.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { generateEd25519Signer, loadLatestRoot, loadSignerFromFile, rotateRoot } = require('@seedfleet/trust') as typeof import('@seedfleet/trust');
    const { asCliError, lastRootKeyIndex, listDir, loadKeyFiles, metadataStore, prepareKeysDir, rootKeyFile, writeKeyFile } = require('./keys-files') as typeof import('./keys-files');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const keysDir = resolve(io.cwd, requireOption(options.dir, '--dir DIR', 'keys rotate-root'));
    const metadataDir = resolve(io.cwd, requireOption(options.metadata, '--metadata DIR', 'keys rotate-root'));
    try {
      const store = metadataStore(io.cwd, metadataDir);
      const current = await loadLatestRoot(store);
      if (!current) throw new CliError(`'${metadataDir}' holds no root metadata (root.json or 1.root.json)`);
      const oldRole = current.signed.roles.root;
      const newKeyCount = options['new-root-key'].length || oldRole.keyIDs.length;
      const threshold = options.threshold ?? Math.min(oldRole.threshold, newKeyCount);
      if (threshold > newKeyCount) throw new UsageError(`--threshold ${threshold} is more than the ${newKeyCount} new root key(s)`, 'keys rotate-root');
      const available = await loadKeyFiles(keysDir);
      const oldSigners = available.filter((file) => oldRole.keyIDs.includes(file.signer.publicKey.keyId));
      if (oldSigners.length < oldRole.threshold) {
        throw new CliError(`root v${current.signed.version} needs ${oldRole.threshold} of its root keys to sign; found ${oldSigners.length} in '${keysDir}'`);
      }

      const newKeyFiles: string[] = [];
      let newSigners: Signer[];
      if (options['new-root-key'].length > 0) {
        newSigners = [];
        for (const file of options['new-root-key']) newSigners.push(await loadSignerFromFile(resolve(io.cwd, file)));
        if (new Set(newSigners.map((signer) => signer.publicKey.keyId)).size !== newSigners.length) throw new UsageError('the same key is given twice with --new-root-key', 'keys rotate-root');
      } else {
        await prepareKeysDir(keysDir);
        let index = lastRootKeyIndex(await listDir(keysDir));
        newSigners = [];
        for (let count = 0; count < oldRole.keyIDs.length; count++) {
          const signer = generateEd25519Signer();
          newKeyFiles.push(await writeKeyFile(keysDir, rootKeyFile(++index), signer));
          newSigners.push(signer);
        }
      }

      const signers = [...oldSigners.map((file) => file.signer), ...newSigners];
      const rotation = await rotateRoot({
        store,
        signers,
        roles: { root: { keys: newSigners.map((signer) => signer.publicKey), threshold } },
        expiresInMs: (options['expires-days'] ?? 365) * DAY_MS,
      });
      const signedBy = [...new Set(signers.map((signer) => signer.publicKey.keyId))];
      const summary = {
        version: rotation.version,
        file: join(metadataDir, rotation.fileName),
        expires: rotation.expires,
        root: { threshold: rotation.roles.root.threshold, keyIds: rotation.roles.root.keyIds },
        newKeyFiles,
        signedBy,
      };
      if (options.json) return printJson(io.stdout, summary);
      io.stdout.write(
        [
          `wrote root v${rotation.version} to ${summary.file} (expires ${rotation.expires}), signed by ${signedBy.length} key(s)`,
          `  new root keys (threshold ${summary.root.threshold}):`,
          ...summary.root.keyIds.map((keyId) => `    ${keyId}`),
          ...newKeyFiles.map((file) => `  generated ${basename(file)} in ${keysDir}`),
          `publish ${rotation.fileName} and root.json with the rest of the metadata; then move the old root keys offline for good`,
          '',
        ].join('\n'),
      );
    } catch (error) {
      throw asCliError(error);
    }
  },
});
