import { CONFORMANCE_PEER_TTL_MS, describeSwarmStore } from '../testing/swarm-store-conformance';
import { MemorySwarmStore } from './memory-swarm-store';

describeSwarmStore('MemorySwarmStore', async () => ({ store: new MemorySwarmStore({ peerTtlMs: CONFORMANCE_PEER_TTL_MS }), cleanup: async () => undefined }));
