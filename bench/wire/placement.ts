import type { TestNetwork } from '@seedfleet/testing';

/** Where a side runs in shaped mode: inside one host of a test network, listening on its address. */
export interface Placement {
  readonly network: TestNetwork;
  readonly host: string;
  readonly address: string;
}

/** The command as given on loopback, or wrapped to run inside the placement's namespace. */
export function placed(placement: Placement | undefined, invocation: { command: string; args: readonly string[] }): { command: string; args: readonly string[] } {
  return placement ? placement.network.invocation(placement.host, invocation.command, invocation.args) : invocation;
}
