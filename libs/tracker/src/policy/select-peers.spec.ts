import { compactAddress } from '../core/address';
import type { SwarmPeer } from '../core/types';
import { selectPeers, type Requester } from './select-peers';

/**
 * Peers in a tiny notation: "name:flags@zone/region", flags s = seeder; the requester is "me". Groups
 * are shuffled, so expectations list each group as a set, in order.
 */
function peer(spec: string): SwarmPeer {
  const [head, where = '/'] = spec.split('@');
  const [name, flags = ''] = head.split(':');
  const [zone, region] = where.split('/');
  const id = Buffer.alloc(20);
  id.write(name);
  return { peerId: id, address: { ip: `10.0.0.${name.charCodeAt(0)}`, family: 4, port: 6881 }, seeder: flags.includes('s'), locality: { zone, region } };
}

function me(flags: string, zone = '', region = ''): Requester {
  const id = Buffer.alloc(20);
  id.write('me');
  return { peerId: id, address: { ip: '10.9.9.9', family: 4, port: 6881 }, seeder: flags.includes('s'), locality: { zone, region } };
}

const names = (peers: readonly SwarmPeer[]) => peers.map((candidate) => candidate.peerId.toString('latin1').replace(/\0+$/, ''));
const fixedRandom = () => 0.5;

describe('selectPeers', () => {
  const table: [string, string[], Requester, number, string[][]][] = [
    // [case, swarm, requester, numwant, expected groups in order (each group's members in any order)]
    ['leecher, no labels: seeders first, then leechers', ['a', 'b:s', 'c', 'd:s'], me(''), 10, [['b', 'd'], ['a', 'c']]],
    ['a seeder gets no seeders', ['a', 'b:s', 'c'], me('s'), 10, [['a', 'c']]],
    ['same zone before same region before seeders', ['a:s@z9/r9', 'b@z1/r2', 'c@z2/r1', 'd@z1/r1', 'e:s@/'], me('', 'z1', 'r1'), 10, [['b', 'd'], ['c'], ['a', 'e']]],
    ['numwant truncates within the best group', ['a@z1/r1', 'b@z1/r1', 'c@z1/r1', 'd:s'], me('', 'z1', 'r1'), 2, [['a', 'b', 'c']]],
    ['numwant 0 gives nothing', ['a', 'b'], me(''), 0, []],
    ['empty labels never match each other', ['a@/', 'b:s@/'], me('', '', ''), 10, [['b'], ['a']]],
  ];

  it.each(table)('%s', (_, swarm, requester, numWant, groups) => {
    const chosen = names(selectPeers(swarm.map(peer), requester, numWant, Math.random));
    expect(chosen.length).toBe(Math.min(numWant, groups.flat().length));
    let offset = 0;
    for (const group of groups) {
      const slice = chosen.slice(offset, offset + group.length);
      slice.forEach((name) => expect(group).toContain(name));
      offset += group.length;
    }
  });

  it('never returns the requester, by peer id or by address', () => {
    const byId = peer('me');
    const byAddress = { ...peer('x'), address: { ip: '10.9.9.9', family: 4 as const, port: 6881 } };
    const sameHostOtherPort = { ...peer('y'), address: { ip: '10.9.9.9', family: 4 as const, port: 6882 } };
    expect(names(selectPeers([byId, byAddress, sameHostOtherPort], me(''), 10, fixedRandom))).toEqual(['y']);
  });

  it('never returns the requester when both sides carry compact addresses', () => {
    const withCompact = (candidate: SwarmPeer): SwarmPeer => ({ ...candidate, compact: compactAddress(candidate.address) });
    const byAddress = withCompact({ ...peer('x'), address: { ip: '10.9.9.9', family: 4 as const, port: 6881 } });
    const sameHostOtherPort = withCompact({ ...peer('y'), address: { ip: '10.9.9.9', family: 4 as const, port: 6882 } });
    const requester = { ...me(''), compact: compactAddress(me('').address) };
    expect(names(selectPeers([byAddress, sameHostOtherPort], requester, 10, fixedRandom))).toEqual(['y']);
  });

  it('never returns the requester when both sides carry stored members (peer id + compact address)', () => {
    // Members at an offset inside a shared buffer, as a packed Redis reply holds them.
    const packed = (member: Buffer) => ({ bytes: Buffer.concat([Buffer.alloc(3, 0xff), member]), start: 3, end: 3 + member.length });
    const withMember = (candidate: SwarmPeer): SwarmPeer => ({ ...candidate, member: packed(Buffer.concat([candidate.peerId, compactAddress(candidate.address)])) });
    const byId = withMember({ ...peer('me'), address: { ip: '10.1.1.1', family: 4 as const, port: 1 } });
    const byAddress = withMember({ ...peer('x'), address: { ip: '10.9.9.9', family: 4 as const, port: 6881 } });
    const sameHostOtherPort = withMember({ ...peer('y'), address: { ip: '10.9.9.9', family: 4 as const, port: 6882 } });
    const v6 = withMember({ ...peer('z'), address: { ip: '::1', family: 6 as const, port: 6881 } });
    const self = me('');
    const requester = { ...self, member: packed(Buffer.concat([self.peerId, compactAddress(self.address)])) };
    expect(names(selectPeers([byId, byAddress, sameHostOtherPort, v6], requester, 10, fixedRandom)).sort()).toEqual(['y', 'z']);
  });

  it('is a function of its inputs, random source included', () => {
    const swarm = 'abcdefghijklmnop'.split('').map((name) => peer(name));
    let seed = 1;
    const seeded = () => () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    seed = 1;
    const first = names(selectPeers(swarm, me(''), 5, seeded()));
    seed = 1;
    expect(names(selectPeers(swarm, me(''), 5, seeded()))).toEqual(first);
  });

  it('draws and answers as shuffling each group on its own list would (its earlier form)', () => {
    // The earlier selectPeers: four lists, each shuffled (Fisher-Yates from the end), then concatenated.
    const reference = (swarm: SwarmPeer[], requester: Requester, numWant: number, random: () => number): string[] => {
      const groups: SwarmPeer[][] = [[], [], [], []];
      for (const candidate of swarm) {
        if (candidate.peerId.equals(requester.peerId) || (requester.seeder && candidate.seeder)) continue;
        const { zone, region } = requester.locality;
        groups[zone !== '' && candidate.locality.zone === zone ? 0 : region !== '' && candidate.locality.region === region ? 1 : candidate.seeder ? 2 : 3].push(candidate);
      }
      const chosen: SwarmPeer[] = [];
      for (const group of groups) {
        if (chosen.length >= numWant) break;
        for (let index = group.length - 1; index > 0; index--) {
          const other = Math.floor(random() * (index + 1));
          [group[index], group[other]] = [group[other], group[index]];
        }
        chosen.push(...group.slice(0, numWant - chosen.length));
      }
      return names(chosen);
    };
    const labels = ['', 'z1', 'z2'];
    for (let round = 0; round < 300; round++) {
      let seed = round + 1;
      const draw = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
      const size = Math.floor(draw() * 60);
      const swarm = Array.from({ length: size }, (_, index) => peer(`p${index}${draw() < 0.4 ? ':s' : ''}@${labels[Math.floor(draw() * 3)]}/${labels[Math.floor(draw() * 3)]}`));
      const requester = me(draw() < 0.3 ? 's' : '', labels[Math.floor(draw() * 3)], labels[Math.floor(draw() * 3)]);
      const numWant = Math.floor(draw() * 60);
      const start = seed;
      const expected = reference(swarm, requester, numWant, draw);
      seed = start;
      expect(names(selectPeers(swarm, requester, numWant, draw))).toEqual(expected);
    }
  });

  it('spreads load: every peer is picked sometimes', () => {
    const swarm = 'abcdefghij'.split('').map((name) => peer(name));
    const seen = new Set<string>();
    for (let round = 0; round < 200; round++) names(selectPeers(swarm, me(''), 2, Math.random)).forEach((name) => seen.add(name));
    expect(seen.size).toBe(10);
  });
});
