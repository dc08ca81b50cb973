import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { writeFileAtomically } from '../../storage/atomic-write';

/** What a DHT node keeps across restarts: its id (peers remember it) and contacts to start from. */
export interface DhtState {
  /** 40 hex digits. */
  readonly nodeId: string;
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
}

const maxNodes = 1000;

export function encodeDhtState(state: DhtState): Buffer {
  return Buffer.from(`${JSON.stringify({ nodeId: state.nodeId, nodes: state.nodes.slice(0, maxNodes) })}\n`);
}

/** A state file that is damaged or not ours reads as undefined (start fresh); good entries of a list are kept. */
export function parseDhtState(bytes: Buffer | string): DhtState | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString());
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { nodeId, nodes } = parsed as { nodeId?: unknown; nodes?: unknown };
  if (typeof nodeId !== 'string' || !/^[0-9a-f]{40}$/.test(nodeId)) return undefined;
  const goodNodes = (Array.isArray(nodes) ? nodes : []).filter(isNodeAddress).slice(0, maxNodes);
  return { nodeId, nodes: goodNodes.map(({ host, port }) => ({ host, port })) };
}

function isNodeAddress(value: unknown): value is { host: string; port: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { host, port } = value as { host?: unknown; port?: unknown };
  return typeof host === 'string' && isIP(host) === 4 && Number.isInteger(port) && (port as number) > 0 && (port as number) <= 0xffff;
}

/** Undefined when the file is missing or unreadable as a state. */
export async function loadDhtState(path: string): Promise<DhtState | undefined> {
  try {
    return parseDhtState(await readFile(path));
  } catch {
    return undefined;
  }
}

export function saveDhtState(path: string, state: DhtState): Promise<void> {
  return writeFileAtomically(path, encodeDhtState(state));
}
