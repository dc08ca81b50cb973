export { type SwarmHarness, type SwarmMember, startSwarm } from './swarm-harness';
export { makeTestTorrent, seededBytes, storeContent, type TestTorrent } from './test-torrent';
export { DiscardingStore, SyntheticContent, SyntheticSeedStore, syntheticTorrent } from './synthetic-stores';
