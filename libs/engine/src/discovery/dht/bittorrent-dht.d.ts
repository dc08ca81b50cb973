// The part of bittorrent-dht 11 (ESM only, no bundled types) that DhtDiscovery uses.
declare module 'bittorrent-dht' {
  import type { EventEmitter } from 'node:events';

  export interface DhtNodeAddress {
    host: string;
    port: number;
  }

  export interface DhtConstructorOptions {
    nodeId?: Buffer;
    /** `host:port` strings or addresses; false for none. */
    bootstrap?: false | (string | DhtNodeAddress)[];
    /** k-rpc: the KRPC transport to use instead of k-rpc-socket. */
    krpcSocket?: unknown;
    concurrency?: number;
    maxPeers?: number;
    maxAge?: number;
  }

  export default class DHT extends EventEmitter {
    constructor(options?: DhtConstructorOptions);
    readonly nodeId: Buffer;
    readonly listening: boolean;
    readonly destroyed: boolean;
    readonly nodes: { toArray(): (DhtNodeAddress & { id: Buffer })[]; count(): number };
    listen(port: number, address: string, onListening?: () => void): void;
    address(): { address: string; family: string; port: number };
    lookup(infoHash: Buffer, callback?: (error: Error | null, nodesWithPeers?: number) => void): () => void;
    announce(infoHash: Buffer, port: number, callback?: (error: Error | null, nodesAnnouncedTo?: number) => void): void;
    addNode(node: DhtNodeAddress & { id?: Buffer }): void;
    toJSON(): { nodes: DhtNodeAddress[] };
    destroy(callback?: () => void): void;
  }
}
