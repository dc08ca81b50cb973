import { execFileSync } from 'node:child_process';

/** HEAD, marked when libs/ or bench/ have uncommitted changes (the numbers may then not match HEAD). */
export function gitCommit(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'libs', 'bench'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in libs/ or bench/` : head;
  } catch {
    return 'unknown';
  }
}
