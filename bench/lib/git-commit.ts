import { execFileSync } from 'node:child_process';

/**
 * HEAD, marked when `dirs` (default libs/ and bench/, what the numbers depend on) have uncommitted changes:
 * the numbers may then not match HEAD.
 */
export function gitCommit(root: string, dirs: readonly string[] = ['libs', 'bench']): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', ...dirs], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in ${listed(dirs.map((dir) => `${dir}/`))}` : head;
  } catch {
    return 'unknown';
  }
}

/** "a/ or b/", "a/, b/ or c/". */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
