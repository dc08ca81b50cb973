import { clientFromPeerId, generatePeerId, PEER_ID_PREFIX } from './peer-id';

describe('peer ids', () => {
  it('are our Azureus-style prefix and 12 printable random characters', () => {
    const peerId = generatePeerId();
    expect(peerId).toHaveLength(20);
    expect(peerId.toString('latin1')).toMatch(/^-SF0001-[0-9a-zA-Z]{12}$/);
    expect(generatePeerId().equals(peerId)).toBe(false);
    expect(generatePeerId(() => new Uint8Array(12)).toString('latin1')).toBe(`${PEER_ID_PREFIX}000000000000`);
  });

  it.each([
    ['-LT2080-abcdefghijkl', 'libtorrent 2.0.8.0'],
    ['-lt0D80-abcdefghijkl', 'libTorrent (rakshasa) 0.13.8.0'],
    ['-TR300Z-abcdefghijkl', 'Transmission 3.00'],
    ['-qB4520-abcdefghijkl', 'qBittorrent 4.5.2.0'],
    ['A2-1-36-0-abcdefghij', 'aria2 1.36.0'],
    ['M7-2-0--abcdefghijkl', 'BitTorrent 7.2.0'],
    ['-SF0001-abcdefghijkl', 'seedfleet 0.0.0.1'],
    ['-XX1234-abcdefghijkl', 'XX 1.2.3.4'],
  ])('names %s as %s', (peerId, name) => {
    expect(clientFromPeerId(Buffer.from(peerId, 'latin1'))).toBe(name);
  });

  it('names nothing for ids in no known convention', () => {
    expect(clientFromPeerId(Buffer.alloc(20, 0xff))).toBeUndefined();
  });
});
