import { ip, ipSync } from './ip-command';
import { namespacePrefix, ownerPid, parseNetnsList } from './network-names';
import { killInside } from './test-network';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespaces made by createTestNetwork that are still there (`ip netns list`). */
export async function listTestNamespaces(): Promise<string[]> {
  return parseNetnsList(await ip(['netns', 'list'])).filter((name) => name.startsWith(namespacePrefix));
}

/**
 * Removes the namespaces of test networks whose creating process is gone (killed before its exit handlers
 * ran), with any process left inside them. Live runs' namespaces are left alone. Returns the names removed.
 */
export async function cleanupStaleNetworks(): Promise<string[]> {
  const stale = (await listTestNamespaces()).filter((name) => {
    const pid = ownerPid(name);
    return pid === undefined || !alive(pid);
  });
  for (const name of stale) killInside(name);
  for (const name of stale) ipSync(['netns', 'del', name]);
  return stale;
}
