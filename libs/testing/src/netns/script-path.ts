import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The plain-JS helpers in libs/testing/src/netns/scripts, found by walking up from src/ or dist/ alike. */
export function netnsScript(name: string): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'libs', 'testing', 'src', 'netns', 'scripts', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) throw new Error(`cannot find libs/testing/src/netns/scripts/${name} above ${__dirname}`);
  }
}
