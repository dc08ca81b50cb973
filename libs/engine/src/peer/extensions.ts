import type { ExtensionHandshake } from '@seedfleet/wire';
import type { PeerConnection } from './peer-connection';

/**
 * The ids we ask peers to send our extensions under (BEP 10 `m`); the same numbers libtorrent uses, so
 * captures read alike. Peers send to us under these; we send to a peer under the ids in its own `m`.
 */
export const LOCAL_EXTENSION_IDS = { ut_pex: 1, ut_metadata: 2 } as const;
export type ExtensionName = keyof typeof LOCAL_EXTENSION_IDS;

export const CLIENT_VERSION = 'seedfleet 0.1.0';

export interface LocalExtensionsInit {
  /** Our listen port (0 or undefined: not listening yet, left out). */
  readonly port?: number;
  /** Requests from the peer we queue at once. */
  readonly reqq: number;
  /** Extensions this torrent speaks: a private torrent leaves out ut_pex (BEP 27). */
  readonly extensions: readonly ExtensionName[];
  /** BEP 9: the info dictionary's size, once we have it (a magnet still fetching leaves it out). */
  readonly metadataSize?: number;
  /** The peer's address as we see it (BEP 10 `yourip`): lets a peer behind NAT learn its address. */
  readonly yourIp?: string;
  /** BEP 21: we only upload. */
  readonly uploadOnly?: boolean;
}

/** Our BEP 10 handshake. */
export function localExtensionHandshake(init: LocalExtensionsInit): ExtensionHandshake {
  return {
    m: new Map(init.extensions.map((name) => [name, LOCAL_EXTENSION_IDS[name]])),
    v: CLIENT_VERSION,
    reqq: init.reqq,
    p: init.port || undefined,
    metadataSize: init.extensions.includes('ut_metadata') ? init.metadataSize : undefined,
    yourip: init.yourIp,
    uploadOnly: init.uploadOnly || undefined,
    unknown: new Map(),
  };
}

/** The id to send `name` to this peer under; undefined until its handshake arrives or when it lacks (or disabled) it. */
export function remoteExtensionId(connection: PeerConnection, name: ExtensionName): number | undefined {
  const id = connection.extensions?.m.get(name);
  return id === undefined || id === 0 ? undefined : id;
}

/** Which of our extensions an incoming extended message id (one we assigned) stands for. */
export function localExtensionName(id: number): ExtensionName | undefined {
  for (const [name, localId] of Object.entries(LOCAL_EXTENSION_IDS)) if (localId === id) return name as ExtensionName;
  return undefined;
}

/** One extension's handling of a connection's messages, plugged into an ExtensionRouter. */
export interface ExtensionModule {
  readonly name: ExtensionName;
  /** The peer's BEP 10 handshake arrived (it may or may not support this extension). */
  onHandshake?(connection: PeerConnection, handshake: ExtensionHandshake): void;
  /** A message the peer sent under our id for this extension. */
  onMessage(connection: PeerConnection, payload: Buffer): void;
  onClose?(connection: PeerConnection): void;
}

/**
 * Routes a connection's extended messages to the modules that handle them, by the ids we assigned. A
 * message for an extension we did not offer is ignored, as BEP 10 asks.
 */
export class ExtensionRouter {
  private readonly byName = new Map<ExtensionName, ExtensionModule>();

  constructor(modules: readonly ExtensionModule[]) {
    for (const module of modules) this.byName.set(module.name, module);
  }

  /** The extensions to offer in our handshake. */
  get names(): ExtensionName[] {
    return [...this.byName.keys()];
  }

  onExtensionHandshake(connection: PeerConnection, handshake: ExtensionHandshake): void {
    for (const module of this.byName.values()) module.onHandshake?.(connection, handshake);
  }

  onExtended(connection: PeerConnection, id: number, payload: Buffer): void {
    const name = localExtensionName(id);
    const module = name === undefined ? undefined : this.byName.get(name);
    module?.onMessage(connection, payload);
  }

  onClose(connection: PeerConnection): void {
    for (const module of this.byName.values()) module.onClose?.(connection);
  }
}
