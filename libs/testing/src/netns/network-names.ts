import { randomBytes } from 'node:crypto';

/** Every namespace a test network creates starts with this, so stale ones can be found (see cleanupStaleNetworks). */
export const namespacePrefix = 'sfn-';

/**
 * A run id carries the creating process's PID, so a cleanup can tell a live run's namespaces (leave them)
 * from those of a run that died without cleaning up. Kept short: names end up in `ip netns list`.
 */
export function newRunId(pid: number = process.pid): string {
  return `${pid.toString(36)}${randomBytes(2).toString('hex')}`;
}

export function namespaceName(runId: string, suffix: string): string {
  return `${namespacePrefix}${runId}-${suffix}`;
}

/** The PID encoded in a namespace name made by namespaceName, or undefined for names that are not ours. */
export function ownerPid(namespace: string): number | undefined {
  const match = /^sfn-([0-9a-z]+)([0-9a-f]{4})-/.exec(namespace);
  if (!match) return undefined;
  const pid = parseInt(match[1], 36);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Parses `ip netns list` ("name (id: 3)" or "name" per line). */
export function parseNetnsList(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name): name is string => Boolean(name));
}
