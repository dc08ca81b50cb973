import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitCommit } from '../lib/git-commit';

/** One build of our engine the bench can run: its peer script and the node flags its CLI runs with. */
export interface OurBuild {
  /** bench/wire/our-peer.js of the build. */
  readonly script: string;
  /** From the build's bin/seedfleet.js, so the bench runs the engine as the product does. */
  readonly nodeFlags: readonly string[];
  /** Why it cannot run (not built), if it cannot. */
  readonly unavailable?: string;
  /** Its commit, for the report. */
  readonly commit: string;
}

/** The flags on bin/seedfleet.js's `#!/usr/bin/env -S node ...` line (none if it has no such line). */
export function shebangNodeFlags(bin: string): string[] {
  const first = readFileSync(bin, 'utf8').split('\n', 1)[0];
  const match = /^#!\S*env\s+-S\s+node(?:\s+(.*))?$/.exec(first.trim());
  return match?.[1] ? match[1].split(/\s+/) : [];
}

/**
 * A checkout of the repository with its dist/ built: `root` = the checkout, `compiled` = where its
 * compiled bench/wire lives (dist/bench/wire of the checkout, or this bench's own directory).
 */
export function ourBuild(root: string, compiled: string): OurBuild {
  const script = join(compiled, 'our-peer.js');
  const bin = join(root, 'bin', 'seedfleet.js');
  const missing = [script, bin].find((path) => !existsSync(path));
  return {
    script,
    nodeFlags: missing ? [] : shebangNodeFlags(bin),
    unavailable: missing && `${missing} is missing (build the checkout with npm run build)`,
    commit: ownsGitCheckout(root) ? gitCommit(root) : `unknown commit (${root} is not a git checkout)`,
  };
}

/** True when `root` is a git working tree itself, not a plain directory inside another one (git would report that one's HEAD). */
function ownsGitCheckout(root: string): boolean {
  try {
    return resolve(execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8' }).trim()) === resolve(root);
  } catch {
    return false;
  }
}
