import { BLOCK_SIZE } from '../policy';
import { SmartBan } from './smart-ban';

const good = Buffer.alloc(4 * BLOCK_SIZE, 7);
const withBadBlock = (block: number): Buffer => {
  const bad = Buffer.from(good);
  bad[block * BLOCK_SIZE + 5] ^= 0xff;
  return bad;
};

it('convicts the only sender of a failed piece at once', () => {
  expect(new SmartBan().failed(3, withBadBlock(1), ['a', 'a', 'a', 'a'])).toEqual(['a']);
});

it('with several senders, convicts only those whose blocks differ once the piece passes', () => {
  const ban = new SmartBan();
  expect(ban.failed(3, withBadBlock(2), ['honest', 'honest', 'liar', 'other'])).toEqual([]);
  expect(ban.verified(3, good)).toEqual(['liar']);
  // The record is used once.
  expect(ban.verified(3, good)).toEqual([]);
});

it('remembers every failed attempt until the piece passes', () => {
  const ban = new SmartBan();
  ban.failed(0, withBadBlock(0), ['liar', 'honest', 'honest', 'honest']);
  ban.failed(0, withBadBlock(3), ['honest', 'honest', 'honest', 'liar2']);
  expect(ban.verified(0, good).sort()).toEqual(['liar', 'liar2']);
  expect(ban.verified(7, good)).toEqual([]);
});

describe('trust points (libtorrent): -2 per failed piece, +1 per passed one, banned at -7', () => {
  it('bans a sender taking part in its fourth failed piece with no pass in between', () => {
    const ban = new SmartBan();
    for (let index = 0; index < 3; index++) expect(ban.failed(index, withBadBlock(0), ['liar', 'honest', 'honest', 'honest'])).toEqual([]);
    // Both took part in every failure so far; the honest peer also sent pieces that passed.
    for (let index = 10; index < 14; index++) ban.verified(index, good, ['honest', 'honest', 'honest', 'honest']);
    expect(ban.failed(3, withBadBlock(0), ['liar', 'honest', 'honest', 'honest'])).toEqual(['liar']);
  });

  it('a sender is on probation until a piece it sent passes, and again after failures', () => {
    const ban = new SmartBan();
    expect(ban.onProbation('peer')).toBe(true);
    ban.verified(0, good, ['peer', 'peer', 'other', 'other']);
    expect(ban.onProbation('peer')).toBe(false);
    ban.failed(1, withBadBlock(0), ['peer', 'other', 'other', 'other']);
    expect(ban.onProbation('peer')).toBe(true);
  });
});
