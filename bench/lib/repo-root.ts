import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from source (bench/) and compiled (dist/bench/) locations alike. */
export function repoRoot(start: string = __dirname): string {
  for (let directory = start; ; directory = dirname(directory)) {
    try {
      if ((JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string }).name === 'seedfleet') return directory;
    } catch {
      // Not here; keep walking up.
    }
    if (dirname(directory) === directory) throw new Error(`no seedfleet package.json above ${start}`);
  }
}
