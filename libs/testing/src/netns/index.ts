export { createTestNetwork, TestNetwork, type HostSpec, type LinkBytes, type NetworkHost, type Relay, type TestNetworkOptions } from './test-network';
export { cleanupStaleNetworks, listTestNamespaces } from './stale-networks';
export { measureTcpRate, type ProbeResult } from './rate-probe';
export { tbfArgs } from './shaping';
