import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitCommit } from './git-commit';

/** dist/ file of the `seedfleet` CLI, the one bin/seedfleet.js loads. */
export const CLI_ENTRY = 'apps/cli/src/main.js';

/**
 * A checkout of the repository with its dist/ built, as a bench runs it: this one, or another one given
 * with --baseline DIR (e.g. a git worktree of an older commit), run next to ours for an A/B of two builds.
 */
export interface BuiltCheckout {
  readonly root: string;
  /** Its bin/seedfleet.js. */
  readonly cli: string;
  /** The node flags on the first line of its bin/seedfleet.js, with which the product runs. */
  readonly nodeFlags: readonly string[];
  /** Its commit, for the report. */
  readonly commit: string;
  /** Why it cannot run (not built), if it cannot. */
  readonly unavailable?: string;
}

/**
 * The checkout at `root`, needing its bin/seedfleet.js and these files under its dist/ (e.g. CLI_ENTRY);
 * `dirs`: where uncommitted changes mark its commit (gitCommit's default when not given).
 */
export function builtCheckout(root: string, compiled: readonly string[], dirs?: readonly string[]): BuiltCheckout {
  const cli = join(root, 'bin', 'seedfleet.js');
  const missing = [cli, ...compiled.map((path) => join(root, 'dist', path))].find((path) => !existsSync(path));
  return {
    root,
    cli,
    nodeFlags: missing ? [] : shebangNodeFlags(cli),
    commit: ownsGitCheckout(root) ? gitCommit(root, dirs) : `unknown commit (${root} is not a git checkout)`,
    unavailable: missing && `${missing} is missing (build the checkout with npm run build)`,
  };
}

/** The flags on bin/seedfleet.js's `#!/usr/bin/env -S node ...` line (none if it has no such line). */
function shebangNodeFlags(bin: string): string[] {
  const first = readFileSync(bin, 'utf8').split('\n', 1)[0];
  const match = /^#!\S*env\s+-S\s+node(?:\s+(.*))?$/.exec(first.trim());
  return match?.[1] ? match[1].split(/\s+/) : [];
}

/** True when `root` is a git working tree itself, not a plain directory inside another one (git would report that one's HEAD). */
function ownsGitCheckout(root: string): boolean {
  try {
    return resolve(execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) === resolve(root);
  } catch {
    return false;
  }
}
