import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version in the repository's package.json, found by walking up from this file (dist/ and the
 * sources sit at different depths). Part of every torrent's `created by`.
 */
export function seedfleetVersion(start: string = __dirname): string {
  for (let directory = start; ; directory = dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'seedfleet' && manifest.version) return manifest.version;
    } catch {
      // No readable package.json here: keep walking up.
    }
    if (dirname(directory) === directory) return 'unknown';
  }
}
