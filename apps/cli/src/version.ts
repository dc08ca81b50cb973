import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version in the repository's package.json. Looked up by walking up from this file because the
 * compiled copy in dist/ sits at a different depth than the source that tests load.
 */
export function packageVersion(start: string = __dirname): string {
  for (let directory = start; ; directory = dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'seedfleet' && manifest.version) return manifest.version;
    } catch {
      // No readable package.json at this level: keep walking up.
    }
    if (dirname(directory) === directory) return 'unknown';
  }
}
