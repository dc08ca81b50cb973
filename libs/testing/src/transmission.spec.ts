import { parseTransmissionShow, transmissionCreateArgs } from './transmission';
import { mktorrentArgs } from './mktorrent';

// Captured from transmission-show 3.00 (bb6b5a062e).
const sample = `Name: d
File: t1.torrent

GENERAL

  Name: d
  Hash: c9806e64f59235940c95fcdf4fa2ea07377c51a1
  Created by: Transmission/3.00 (bb6b5a062e)
  Created on: Sat Nov 21 17:18:07 2026
  Comment: hi
  Piece Count: 5
  Piece Size: 64.00 KiB
  Total Size: 300.0 kB
  Privacy: Private torrent

TRACKERS

  Tier #1
  http://a/announce

  Tier #2
  udp://b:1

FILES

  d/sub/y (0.01 kB)
  d/x (1) (300.0 kB)

`;

describe('reference tool wrappers', () => {
  it('parses transmission-show output', () => {
    expect(parseTransmissionShow(sample)).toEqual({
      name: 'd',
      hash: 'c9806e64f59235940c95fcdf4fa2ea07377c51a1',
      pieceCount: 5,
      privateTorrent: true,
      trackers: [['http://a/announce'], ['udp://b:1']],
      files: ['d/sub/y', 'd/x (1)'],
    });
  });

  it('builds mktorrent and transmission-create arguments', () => {
    expect(mktorrentArgs({ path: 'p', output: 'o', pieceLength: 262144, threads: 2, trackers: [['a', 'b'], ['c']], date: false })).toEqual([
      '-l', '18', '-o', 'o', '-t', '2', '-a', 'a,b', '-a', 'c', '-d', 'p',
    ]);
    expect(() => mktorrentArgs({ path: 'p', output: 'o', pieceLength: 300_000 })).toThrow('power-of-two');
    expect(transmissionCreateArgs({ path: 'p', output: 'o', pieceLength: 65536, trackers: ['a', 'b'], private: true })).toEqual([
      '-o', 'o', '-s', '64', '-t', 'a', '-t', 'b', '-p', 'p',
    ]);
  });
});
