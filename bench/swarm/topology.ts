import { createTestNetwork, type HostSpec, type TestNetwork } from '@seedfleet/testing';
import type { ScenarioId, SwarmBenchArgs } from './swarm-args';
import { trackerAddress, webSeedAddress, webSeedPort, type SwarmTopology } from './swarm-run';

/** One-way delay the S8 relay adds in front of the web seed (about 50 ms per round trip). */
const relayDelayMs = 25;
/** S8's slow agent uploads at this rate. */
const slowAgentUpMbit = 1;

/**
 * The network of one scenario at one N: a tracker host (unshaped), the origin (upload shaped), N agents
 * (upload and download shaped); S8 adds a relay host delaying the web seed and a host for
 * the corrupting peer, makes the last agent a 1 Mbit uploader and a quarter of the others churn.
 */
export async function buildTopology(scenario: ScenarioId, n: number, args: SwarmBenchArgs): Promise<SwarmTopology> {
  const agentHosts = Array.from({ length: n }, (_, index) => `a${index + 1}`);
  const slow = scenario === 'S8' ? agentHosts[n - 1] : undefined;
  const agentSpecs: HostSpec[] = agentHosts.map((name) => ({ name, upMbit: name === slow ? slowAgentUpMbit : args.agentUpMbit, downMbit: args.agentDownMbit }));
  const hosts: HostSpec[] = [{ name: 'tracker' }, { name: 'origin', upMbit: args.originUpMbit }, ...(scenario === 'S8' ? [{ name: 'wan' }, { name: 'bad', upMbit: args.agentUpMbit, downMbit: args.agentDownMbit }] : []), ...agentSpecs];
  const network: TestNetwork = await createTestNetwork({ hosts });
  try {
    // The tracker is never behind the relay: it would see every announce coming from the relay's address.
    const trackerUrl = trackerAddress(network);
    let webSeedUrl = webSeedAddress(network);
    if (scenario === 'S8') {
      const seedRelay = await network.startRelay('wan', { targetHost: network.host('origin').address, targetPort: webSeedPort, delayMs: relayDelayMs });
      webSeedUrl = `http://${seedRelay.address}:${seedRelay.port}`;
    }
    const churnCount = scenario === 'S8' ? Math.max(1, Math.round(n / 4)) : 0;
    return {
      network,
      links: { originUpMbit: args.originUpMbit, agents: agentSpecs.map((spec) => ({ upMbit: spec.upMbit!, downMbit: spec.downMbit! })) },
      agentHosts,
      churnHosts: agentHosts.filter((host) => host !== slow).slice(0, churnCount),
      corrupterHost: scenario === 'S8' ? 'bad' : undefined,
      trackerUrl,
      webSeedUrl,
    };
  } catch (error) {
    await network.destroy();
    throw error;
  }
}
