import { discoveryAllowed } from './discovery-policy';

describe('discoveryAllowed', () => {
  it.each([
    ['dht', false, false, true],
    ['dht', true, false, false],
    ['dht', true, true, false],
    ['lsd', false, false, true],
    ['lsd', true, false, false],
    ['lsd', true, true, true],
  ] as const)('%s, private=%s, lsdForPrivateTorrents=%s -> %s', (source, isPrivate, lsdForPrivateTorrents, allowed) => {
    expect(discoveryAllowed(source, { private: isPrivate }, { lsdForPrivateTorrents })).toBe(allowed);
  });

  it('defaults to no LSD for private torrents', () => {
    expect(discoveryAllowed('lsd', { private: true })).toBe(false);
  });
});
